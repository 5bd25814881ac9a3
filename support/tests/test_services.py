"""The support desk's writes: filing, assigning, triaging and answering tickets, with
their events, their refusals and the email they send (and do not send)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend

from movies.tests.factories import MovieFactory
from support import services
from support.catalogue import CatalogueUnavailable
from support.models import Ticket, TicketComment, TicketEvent

from .factories import AgentFactory, TicketFactory

pytestmark = pytest.mark.django_db

Status = Ticket.Status


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of the block, as a committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def events(ticket) -> list[tuple[str, str, str, str]]:
    return [
        (event.actor.username if event.actor else "", event.field, event.old_value, event.new_value)
        for event in TicketEvent.objects.filter(ticket=ticket).order_by("id")
    ]


def create(requester, **overrides) -> Ticket:
    data = {
        "subject": "Wrong year",
        "description": "The year shown is wrong.",
        "category": Ticket.Category.MOVIE_INFO,
    } | overrides
    return services.ticket_create(requester=requester, **data)


# --- Filing a ticket --------------------------------------------------------------------------


def test_a_filed_ticket_is_new_normal_and_recorded(user, sent):
    with sent():
        ticket = create(user, subject="  Wrong year  ")
    ticket.refresh_from_db()
    assert ticket.requester == user
    assert ticket.subject == "Wrong year"
    assert ticket.status == Status.NEW
    assert ticket.priority == Ticket.Priority.NORMAL
    assert ticket.movie_id is None
    assert ticket.movie_title == ""
    assert ticket.reference == f"SUP-{ticket.pk:06d}"
    assert events(ticket) == [("alice", "created", "", "new")]


def test_filing_emails_the_requester_after_the_commit(user, sent):
    with sent() as callbacks:
        ticket = create(user)
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert ticket.reference in message.subject
    assert "Wrong year" in message.subject
    assert "The year shown is wrong." in message.body


def test_a_requester_without_email_gets_none(user, sent):
    user.email = ""
    user.save()
    with sent():
        create(user)
    assert mail.outbox == []


def test_a_movie_is_checked_through_graphql_and_its_title_kept(user):
    movie = MovieFactory(title="The Quiet Harbour")
    ticket = create(user, movie_id=movie.pk)
    movie.title = "Renamed Later"
    movie.save()
    ticket.refresh_from_db()
    assert (ticket.movie_id, ticket.movie_title) == (movie.pk, "The Quiet Harbour")


def test_a_movie_the_catalogue_does_not_know_is_refused(user, sent):
    with sent(), pytest.raises(ValidationError) as caught:
        create(user, movie_id=987654)
    assert caught.value.message_dict == {"movie_id": ["There is no movie with id 987654."]}
    assert not Ticket.objects.exists()
    assert mail.outbox == []


def test_nothing_is_filed_when_the_catalogue_is_unavailable(user, catalogue_down):
    movie = MovieFactory()
    with pytest.raises(CatalogueUnavailable):
        create(user, movie_id=movie.pk)
    assert not Ticket.objects.exists()


def test_a_ticket_without_a_movie_does_not_need_the_catalogue(user, catalogue_down):
    assert create(user).pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"description": ""}, "description"),
        ({"category": "complaint"}, "category"),
        ({"category": ""}, "category"),
        ({"priority": "whenever"}, "priority"),
    ],
)
def test_bad_input_is_refused_by_field(user, overrides, field):
    with pytest.raises(ValidationError) as caught:
        create(user, **overrides)
    assert list(caught.value.message_dict) == [field]
    assert not Ticket.objects.exists()


def test_anonymous_cannot_file(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        create(AnonymousUser())


# --- Status moves: the side effects (the full matrix is in test_transitions.py) ------------------


def test_resolving_stamps_resolved_at_and_emails_the_requester(user, agent, sent):
    ticket = TicketFactory(requester=user, status=Status.OPEN)
    with sent():
        services.ticket_transition(ticket=ticket, user=agent, status=Status.RESOLVED)
    assert ticket.status == Status.RESOLVED
    assert ticket.resolved_at is not None
    assert [message.to for message in mail.outbox] == [["alice@example.com"]]
    assert "Resolved" in mail.outbox[0].subject
    assert events(ticket) == [("agatha", "status", "open", "resolved")]


def test_closing_keeps_resolved_at_and_reopening_clears_it(user, agent, sent):
    ticket = TicketFactory(requester=user, status=Status.OPEN)
    services.ticket_transition(ticket=ticket, user=agent, status=Status.RESOLVED)
    resolved_at = ticket.resolved_at
    with sent():
        services.ticket_transition(ticket=ticket, user=user, status=Status.CLOSED)
    assert ticket.resolved_at == resolved_at
    services.ticket_transition(ticket=ticket, user=agent, status=Status.OPEN)
    assert ticket.resolved_at is None
    assert mail.outbox == []  # only resolving sends mail


@pytest.mark.parametrize("status", [Status.OPEN, Status.WAITING_ON_CUSTOMER, Status.CLOSED])
def test_other_moves_send_no_email(user, agent, sent, status):
    start = {Status.OPEN: Status.NEW, Status.WAITING_ON_CUSTOMER: Status.OPEN}
    ticket = TicketFactory(requester=user, status=start.get(status, Status.RESOLVED))
    with sent():
        services.ticket_transition(ticket=ticket, user=agent, status=status)
    assert mail.outbox == []


def test_a_move_is_checked_against_the_stored_status_not_a_stale_copy(user, agent):
    ticket = TicketFactory(requester=user, status=Status.RESOLVED)
    stale = Ticket.objects.get(pk=ticket.pk)
    services.ticket_transition(ticket=ticket, user=user, status=Status.CLOSED)
    # The stale copy still says "resolved"; closing twice is refused all the same.
    with pytest.raises(ValidationError) as caught:
        services.ticket_transition(ticket=stale, user=user, status=Status.CLOSED)
    assert caught.value.message_dict == {"status": ["The ticket is already closed."]}


def test_an_unknown_status_is_refused(user, agent):
    ticket = TicketFactory(requester=user)
    with pytest.raises(ValidationError) as caught:
        services.ticket_transition(ticket=ticket, user=agent, status="archived")
    assert caught.value.message_dict == {"status": ['"archived" is not a valid status.']}


# --- Assigning and triage ------------------------------------------------------------------------


def test_an_agent_assigns_reassigns_and_unassigns(user, agent, admin_user):
    ticket = TicketFactory(requester=user)
    services.ticket_assign(ticket=ticket, actor=agent, assignee=agent)
    assert ticket.assignee == agent
    services.ticket_assign(ticket=ticket, actor=agent, assignee=admin_user)
    services.ticket_assign(ticket=ticket, actor=admin_user, assignee=admin_user)  # no change
    services.ticket_assign(ticket=ticket, actor=admin_user, assignee=None)
    assert ticket.assignee is None
    assert events(ticket) == [
        ("agatha", "assignee", "", "agatha"),
        ("agatha", "assignee", "agatha", "root"),
        ("root", "assignee", "root", ""),
    ]


def test_only_agents_can_be_assigned(user, agent, other_user):
    ticket = TicketFactory(requester=user)
    with pytest.raises(ValidationError) as caught:
        services.ticket_assign(ticket=ticket, actor=agent, assignee=other_user)
    assert caught.value.message_dict == {"assignee_id": ["bob is not a support agent."]}
    ticket.refresh_from_db()
    assert ticket.assignee is None


@pytest.mark.parametrize("who", ["requester", "other"])
def test_only_agents_assign(user, other_user, agent, who):
    ticket = TicketFactory(requester=user)
    actor = {"requester": user, "other": other_user}[who]
    with pytest.raises(PermissionDenied):
        services.ticket_assign(ticket=ticket, actor=actor, assignee=agent)
    with pytest.raises(PermissionDenied):
        services.ticket_update(ticket=ticket, actor=actor, priority=Ticket.Priority.URGENT)


def test_an_agent_changes_priority_and_category_each_recorded(user, agent):
    ticket = TicketFactory(requester=user, category=Ticket.Category.OTHER)
    services.ticket_update(
        ticket=ticket,
        actor=agent,
        priority=Ticket.Priority.URGENT,
        category=Ticket.Category.TECHNICAL,
    )
    services.ticket_update(ticket=ticket, actor=agent, priority=Ticket.Priority.URGENT)
    assert (ticket.priority, ticket.category) == ("urgent", "technical")
    assert events(ticket) == [
        ("agatha", "priority", "normal", "urgent"),
        ("agatha", "category", "other", "technical"),
    ]


def test_an_update_is_all_or_nothing(user, agent, other_user):
    ticket = TicketFactory(requester=user)
    with pytest.raises(ValidationError):
        services.ticket_update(
            ticket=ticket, actor=agent, priority=Ticket.Priority.HIGH, assignee=other_user
        )
    with pytest.raises(ValidationError) as caught:
        services.ticket_update(ticket=ticket, actor=agent, priority="asap", category="other")
    assert list(caught.value.message_dict) == ["priority"]
    ticket.refresh_from_db()
    assert ticket.priority == Ticket.Priority.NORMAL
    assert events(ticket) == []


# --- The conversation ---------------------------------------------------------------------------


def test_a_requester_replies_publicly_and_no_email_goes_to_themselves(user, sent):
    ticket = TicketFactory(requester=user, status=Status.OPEN)
    with sent():
        comment = services.comment_add(ticket=ticket, author=user, body="  More details.  ")
    assert (comment.body, comment.internal, comment.author) == ("More details.", False, user)
    assert mail.outbox == []


def test_a_requester_cannot_write_internal_notes(user):
    ticket = TicketFactory(requester=user)
    with pytest.raises(ValidationError) as caught:
        services.comment_add(ticket=ticket, author=user, body="psst", internal=True)
    assert caught.value.message_dict == {
        "internal": ["Only support agents can write internal notes."]
    }
    assert not TicketComment.objects.exists()


def test_an_agents_public_reply_emails_the_requester(user, agent, sent):
    ticket = TicketFactory(requester=user, status=Status.OPEN)
    with sent():
        services.comment_add(ticket=ticket, author=agent, body="We fixed the year.")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    assert "We fixed the year." in mail.outbox[0].body
    assert "agatha" in mail.outbox[0].body


def test_internal_notes_are_never_emailed(user, agent, admin_user, sent):
    ticket = TicketFactory(requester=user, status=Status.OPEN)
    with sent():
        services.comment_add(ticket=ticket, author=agent, body="Secret note", internal=True)
        services.comment_add(ticket=ticket, author=admin_user, body="Another", internal=True)
    assert mail.outbox == []
    assert TicketComment.objects.filter(internal=True).count() == 2


def test_a_requesters_reply_reopens_a_ticket_waiting_on_them(user, agent):
    ticket = TicketFactory(requester=user, status=Status.WAITING_ON_CUSTOMER)
    services.comment_add(ticket=ticket, author=user, body="Here is the screenshot.")
    assert ticket.status == Status.OPEN
    assert events(ticket) == [("alice", "status", "waiting_on_customer", "open")]


@pytest.mark.parametrize("status", [Status.NEW, Status.OPEN, Status.RESOLVED])
def test_a_requesters_reply_leaves_other_statuses_alone(user, status):
    ticket = TicketFactory(requester=user, status=status)
    services.comment_add(ticket=ticket, author=user, body="Hello?")
    assert ticket.status == status
    assert events(ticket) == []


def test_an_agents_reply_or_note_does_not_reopen(user, agent):
    ticket = TicketFactory(requester=user, status=Status.WAITING_ON_CUSTOMER)
    services.comment_add(ticket=ticket, author=agent, body="Reminder", internal=False)
    services.comment_add(ticket=ticket, author=agent, body="Note", internal=True)
    assert ticket.status == Status.WAITING_ON_CUSTOMER


def test_a_requester_cannot_reply_to_a_closed_ticket_but_an_agent_can(user, agent):
    ticket = TicketFactory(requester=user, status=Status.CLOSED)
    with pytest.raises(ValidationError) as caught:
        services.comment_add(ticket=ticket, author=user, body="Still broken")
    assert list(caught.value.message_dict) == ["body"]
    services.comment_add(ticket=ticket, author=agent, body="For the record", internal=True)


def test_an_empty_reply_is_refused(user):
    ticket = TicketFactory(requester=user)
    with pytest.raises(ValidationError) as caught:
        services.comment_add(ticket=ticket, author=user, body="  \n ")
    assert caught.value.message_dict == {"body": ["Write a message."]}


def test_strangers_cannot_reply_move_or_see(user, other_user):
    ticket = TicketFactory(requester=user, status=Status.RESOLVED)
    with pytest.raises(PermissionDenied):
        services.comment_add(ticket=ticket, author=other_user, body="Me too")
    with pytest.raises(PermissionDenied):
        services.ticket_transition(ticket=ticket, user=other_user, status=Status.CLOSED)


def test_a_reply_moves_the_ticket_up_the_updated_order(user, agent):
    old = TicketFactory(requester=user)
    TicketFactory(requester=user)
    before = Ticket.objects.get(pk=old.pk).updated_at
    services.comment_add(ticket=old, author=agent, body="Looking into it")
    assert Ticket.objects.get(pk=old.pk).updated_at > before


class BrokenEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("no mail server")


def test_a_mail_server_that_fails_after_the_commit_does_not_undo_or_raise(user, settings, sent):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenEmailBackend"
    with sent():
        ticket = create(user)
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_an_agent_filing_their_own_ticket_is_the_requester(db):
    agent = AgentFactory()
    ticket = create(agent)
    # As the requester they may also close it once resolved; as an agent, anything else.
    services.ticket_transition(ticket=ticket, user=agent, status=Status.RESOLVED)
    services.ticket_transition(ticket=ticket, user=agent, status=Status.CLOSED)
    assert ticket.status == Status.CLOSED


# --- Emails link to the ticket (issue 16) -------------------------------------------------------


def test_every_support_email_links_to_the_ticket_at_site_url(user, agent, sent, settings):
    settings.SITE_URL = "https://movies.example.com"
    with sent():
        ticket = create(user)
        services.ticket_transition(ticket=ticket, user=agent, status=Status.OPEN)
        services.comment_add(ticket=ticket, author=agent, body="We fixed the year.")
        services.ticket_transition(ticket=ticket, user=agent, status=Status.RESOLVED)
    link = f"https://movies.example.com/support/{ticket.pk}/"
    assert len(mail.outbox) == 3  # filed, replied, resolved
    for message in mail.outbox:
        assert link in message.body, message.subject
        assert "movie_api" not in message.body
