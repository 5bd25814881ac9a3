"""Who is an agent, who sees which ticket and which messages, and the data migration
that creates the agents' group; plus the read-only admin."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError

from support import selectors
from support.models import Ticket, TicketEvent, format_reference

from .factories import AgentFactory, CommentFactory, EventFactory, TicketFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_data_migration_creates_and_removes_the_support_agents_group():
    migration = import_module("support.migrations.0002_support_agents_group")
    assert settings.SUPPORT_AGENT_GROUP == "Support agents"
    Group.objects.filter(name="Support agents").delete()
    migration.create_group(django_apps, None)
    migration.create_group(django_apps, None)  # running it again changes nothing
    assert Group.objects.filter(name="Support agents").count() == 1
    migration.delete_group(django_apps, None)
    assert not Group.objects.filter(name="Support agents").exists()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("anonymous", False),
        ("plain", False),
        ("group member", True),
        ("staff", True),
        ("inactive staff", False),
        ("inactive member", False),
        ("member of another group", False),
    ],
)
def test_who_is_an_agent(kind, expected):
    if kind == "anonymous":
        person = AnonymousUser()
    elif kind == "plain":
        person = UserFactory()
    elif kind == "group member":
        person = AgentFactory()
    elif kind == "staff":
        person = UserFactory(is_staff=True)
    elif kind == "inactive staff":
        person = UserFactory(is_staff=True, is_active=False)
    elif kind == "inactive member":
        person = AgentFactory(is_active=False)
    else:
        person = UserFactory()
        person.groups.add(Group.objects.create(name="Editors"))
    assert selectors.is_agent(person) is expected
    if not isinstance(person, AnonymousUser):
        assert (person in selectors.agent_list()) is expected


def test_agent_list_is_by_username_without_duplicates(admin_user):
    zed = AgentFactory(username="zed")
    zed.is_staff = True  # staff and member: listed once
    zed.save()
    amy = AgentFactory(username="amy")
    UserFactory(username="plain")
    assert list(selectors.agent_list()) == [amy, admin_user, zed]


def test_a_requester_sees_only_their_tickets_and_an_agent_all(user, other_user, agent):
    mine = TicketFactory(requester=user)
    theirs = TicketFactory(requester=other_user)
    assert list(selectors.ticket_list(user=user)) == [mine]
    assert list(selectors.ticket_list(user=other_user)) == [theirs]
    assert list(selectors.ticket_list(user=agent)) == [theirs, mine]
    assert list(selectors.ticket_list(user=agent, mine=True)) == []
    assert list(selectors.ticket_list(user=AnonymousUser())) == []
    assert selectors.ticket_get(user=user, ticket_id=theirs.pk) is None
    assert selectors.ticket_get(user=agent, ticket_id=theirs.pk) == theirs
    assert selectors.ticket_get(user=agent, ticket_id="nope") is None


def test_filters_are_validated_by_field(agent):
    with pytest.raises(ValidationError) as caught:
        selectors.ticket_list(user=agent, filters={"status": "lost", "priority": "high"})
    assert list(caught.value.message_dict) == ["status"]


def test_an_unassigned_or_former_agents_tickets_can_be_filtered(agent):
    former = AgentFactory()
    ticket = TicketFactory(assignee=former)
    former.groups.clear()  # no longer an agent, still holds the ticket
    found = selectors.ticket_list(user=agent, filters={"assignee": str(former.pk)})
    assert list(found) == [ticket]


def test_requesters_never_see_internal_notes(user, agent):
    ticket = TicketFactory(requester=user)
    public = CommentFactory(ticket=ticket, author=agent)
    note = CommentFactory(ticket=ticket, author=agent, internal=True)
    assert list(selectors.comment_list(user=user, ticket=ticket)) == [public]
    assert list(selectors.comment_list(user=agent, ticket=ticket)) == [public, note]


def test_ticket_movie_choices_are_the_movies_of_visible_tickets(user, other_user, agent):
    TicketFactory(requester=user, movie_id=3, movie_title="Beta")
    TicketFactory(requester=user, movie_id=3, movie_title="Beta")
    TicketFactory(requester=other_user, movie_id=9, movie_title="Alpha")
    TicketFactory(requester=user)
    assert selectors.ticket_movie_choices(user=agent) == [(9, "Alpha"), (3, "Beta")]
    assert selectors.ticket_movie_choices(user=user) == [(3, "Beta")]


def test_a_reference_is_the_id_on_six_digits():
    assert format_reference(123) == "SUP-000123"
    assert format_reference(1234567) == "SUP-1234567"
    assert Ticket().reference == ""
    ticket = TicketFactory()
    assert ticket.reference == f"SUP-{ticket.pk:06d}"
    assert str(ticket) == f"{ticket.reference} {ticket.subject}"


def test_events_read_as_labels():
    event = EventFactory(
        field=TicketEvent.Field.STATUS, old_value="new", new_value="waiting_on_customer"
    )
    assert (event.old_display, event.new_display) == ("New", "Waiting on customer")
    event = EventFactory(field=TicketEvent.Field.ASSIGNEE, old_value="", new_value="agatha")
    assert (event.old_display, event.new_display) == ("", "agatha")


def test_the_admin_shows_tickets_read_only(client, admin_user):
    admin_user.is_superuser = True
    admin_user.save()
    ticket = TicketFactory()
    CommentFactory(ticket=ticket)
    client.force_login(admin_user)
    assert client.get("/admin/support/ticket/").status_code == 200
    page = client.get(f"/admin/support/ticket/{ticket.pk}/change/")
    assert page.status_code == 200
    assert b'name="subject"' not in page.content
    assert client.get("/admin/support/ticket/add/").status_code == 403
