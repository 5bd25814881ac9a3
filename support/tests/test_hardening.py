"""Issue 17 on the support desk: bounded texts, per-user write throttles, plain-text
email subjects, and a requester's PATCH that cannot probe which user ids exist."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from support import services
from support.models import Ticket, TicketComment

from .factories import TicketFactory

pytestmark = pytest.mark.django_db

LIST = "/api/support/tickets/"
TICKET = {"subject": "Wrong year", "description": "It says 1999.", "category": "other"}


def comments_url(ticket) -> str:
    return f"{LIST}{ticket.pk}/comments/"


# --- Bounded texts ------------------------------------------------------------------


def test_a_description_of_10000_characters_is_accepted(api_for):
    response = api_for("requester").post(LIST, {**TICKET, "description": "x" * 10_000})

    assert response.status_code == 201


def test_a_description_over_10000_characters_is_a_400_naming_it(api_for):
    response = api_for("requester").post(LIST, {**TICKET, "description": "x" * 10_001})

    assert response.status_code == 400
    assert list(response.json()) == ["description"]
    assert not Ticket.objects.exists()


def test_a_20_mb_description_is_refused_and_not_stored():
    """The audit stored one (201); now the body cap refuses it before parsing."""
    client = Client(raise_request_exception=False)
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("carol", password="pw-long-enough"))
    body = '{"subject": "s", "category": "other", "description": "' + "x" * 20_000_000 + '"}'

    response = client.post(LIST, body, content_type="application/json")

    assert response.status_code == 413
    assert not Ticket.objects.exists()


def test_a_comment_over_10000_characters_is_a_400_naming_body(api_for, user):
    ticket = TicketFactory(requester=user)

    response = api_for("requester").post(comments_url(ticket), {"body": "x" * 10_001})

    assert response.status_code == 400
    assert list(response.json()) == ["body"]
    assert not TicketComment.objects.exists()


def test_the_services_refuse_long_texts_too(user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        services.ticket_create(requester=user, **{**TICKET, "description": "x" * 10_001})
    assert "description" in excinfo.value.message_dict

    ticket = TicketFactory(requester=user)
    with pytest.raises(ValidationError) as excinfo:
        services.comment_add(ticket=ticket, author=user, body="x" * 10_001)
    assert "body" in excinfo.value.message_dict


def test_the_ticket_form_refuses_a_long_description(page_for):
    response = page_for("requester").post(
        reverse("support:ticket_create"),
        {**TICKET, "description": "x" * 10_001, "priority": "normal"},
    )

    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert not Ticket.objects.exists()


# --- Throttles ----------------------------------------------------------------------


def test_a_burst_of_30_tickets_is_cut_off_at_the_default_rate(
    api_for, django_capture_on_commit_callbacks
):
    client = api_for("requester")

    with django_capture_on_commit_callbacks(execute=True):
        statuses = [client.post(LIST, TICKET).status_code for _ in range(30)]

    assert statuses == [201] * 20 + [429] * 10
    assert Ticket.objects.count() == 20
    assert len(mail.outbox) == 20


def test_the_ticket_throttle_counts_per_user(api_for, settings):
    _rates(settings, ticket_create="2/hour")
    alice, bob = api_for("requester"), api_for("other")
    assert [alice.post(LIST, TICKET).status_code for _ in range(3)] == [201, 201, 429]

    assert bob.post(LIST, TICKET).status_code == 201
    # Reading is never counted.
    assert alice.get(LIST).status_code == 200


def test_comments_are_throttled_per_user(api_for, user, settings):
    _rates(settings, ticket_comment="3/hour")
    ticket = TicketFactory(requester=user)
    client = api_for("requester")

    statuses = [client.post(comments_url(ticket), {"body": "hi"}).status_code for _ in range(4)]

    assert statuses == [201, 201, 201, 429]
    assert client.get(comments_url(ticket)).status_code == 200


def test_the_ticket_page_shares_the_throttle(page_for, api_for, settings):
    _rates(settings, ticket_create="1/hour")
    assert api_for("requester").post(LIST, TICKET).status_code == 201

    response = page_for("requester").post(
        reverse("support:ticket_create"), {**TICKET, "priority": "normal"}
    )

    assert response.status_code == 429
    assert "try again" in str(response.context["form"].non_field_errors())
    assert Ticket.objects.count() == 1


def test_the_reply_page_shares_the_throttle(page_for, user, settings):
    _rates(settings, ticket_comment="1/hour")
    ticket = TicketFactory(requester=user)
    client = page_for("requester")
    url = reverse("support:ticket_reply", args=[ticket.pk])

    client.post(url, {"body": "one"})
    client.post(url, {"body": "two"})

    assert list(TicketComment.objects.values_list("body", flat=True)) == ["one"]


def _rates(settings, **rates: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


# --- Plain-text email subjects ------------------------------------------------------


def test_email_subjects_are_plain_text(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_create(requester=user, **{**TICKET, "subject": "Tom & Jerry's <cartoon>"})

    assert mail.outbox[0].subject.endswith("We received your ticket: Tom & Jerry's <cartoon>")


# --- assignee_id from a requester ---------------------------------------------------


def test_a_requester_gets_the_same_403_for_an_unknown_and_an_existing_assignee_id(
    api_for, user, other_user
):
    ticket = TicketFactory(requester=user)
    client = api_for("requester")
    url = f"{LIST}{ticket.pk}/"

    unknown = client.patch(url, {"assignee_id": 987654}, format="json")
    existing = client.patch(url, {"assignee_id": other_user.pk}, format="json")
    garbage = client.patch(url, {"assignee_id": "bob"}, format="json")

    assert unknown.status_code == existing.status_code == garbage.status_code == 403
    assert unknown.json() == existing.json() == garbage.json()
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
