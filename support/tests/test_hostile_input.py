"""Hostile values in addresses and forms (NUL bytes, NaN, huge numbers, odd ids) are
a 400 naming the field, a form error, a 404 or simply no match; never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from support.models import Ticket

from .factories import TicketFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
HUGE = "9" * 30

FILTER_VALUES = [
    {"search": "harbour\x00"},
    {"status": "\x00"},
    {"priority": "NaN"},
    {"category": HUGE},
    {"assignee": "\x00"},
    {"assignee": HUGE},
    {"assignee": "-1"},
    {"movie": "NaN"},
    {"movie": "inf"},
    {"movie": "1e309"},
    {"movie": HUGE},
    {"movie": "-5"},
    {"ordering": "\x00"},
    {"page": "\x00"},
    {"page": HUGE},
    {"page_size": "NaN"},
]


@pytest.mark.parametrize("params", FILTER_VALUES)
def test_the_api_list_never_fails_on_hostile_filters(api_for, user, params):
    TicketFactory(requester=user)
    response = api_for("agent").get("/api/support/tickets/", params)
    assert response.status_code in (200, 400, 404), response.content
    if response.status_code == 400:
        assert set(response.json()) <= {*params, "detail"}


@pytest.mark.parametrize("page", ["support:queue", "support:ticket_list"])
@pytest.mark.parametrize("params", FILTER_VALUES)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full", "htmx"])
def test_the_lists_never_fail_on_hostile_filters(page_for, user, page, params, headers):
    TicketFactory(requester=user)
    response = page_for("agent").get(reverse(page), params, **headers)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"movie_search": "harb\x00"},
        {"movie_search": "x" * 5000},
        {"movie": "\x00"},
        {"movie": HUGE},
        {"movie": "NaN"},
        {"movie": "-3"},
    ],
)
def test_the_picker_never_fails(page_for, params):
    response = page_for("requester").get(reverse("support:movie_options"), params, **HTMX)
    assert response.status_code == 200
    create = page_for("requester").get(reverse("support:ticket_create"), params)
    assert create.status_code == 200


def test_a_nul_byte_in_the_picker_search_is_said_as_such(page_for):
    response = page_for("requester").get(
        reverse("support:movie_options"), {"movie_search": "harb\x00"}, **HTMX
    )
    assert "Null characters are not allowed." in response.content.decode()


@pytest.mark.parametrize("ticket_id", [HUGE, "0"])
def test_odd_ticket_ids_are_404(page_for, api_for, ticket_id):
    assert page_for("agent").get(f"/support/{ticket_id}/").status_code == 404
    assert api_for("agent").get(f"/api/support/tickets/{ticket_id}/").status_code == 404
    response = api_for("agent").post(
        f"/api/support/tickets/{ticket_id}/transition/", {"status": "open"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"subject": "a\x00b", "description": "d", "category": "other"},
        {"subject": "s", "description": "d\x00", "category": "other"},
        {"subject": "s", "description": "d", "category": "other", "movie_id": HUGE},
        {"subject": "s", "description": "d", "category": "other", "movie_id": "NaN"},
        {"subject": "s", "description": "d", "category": "other", "movie_id": 1.5},
        {"subject": ["s"], "description": {"a": 1}, "category": ["other"]},
    ],
)
def test_hostile_tickets_are_400(api_for, body):
    response = api_for("requester").post("/api/support/tickets/", body, format="json")
    assert response.status_code == 400
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"subject": "a\x00b", "description": "d", "category": "other", "priority": "normal"},
        {
            "subject": "s",
            "description": "d",
            "category": "other",
            "priority": "normal",
            "movie": HUGE,
        },
        {"subject": "s", "description": "d", "category": "\x00", "priority": "NaN", "movie": "NaN"},
    ],
)
def test_hostile_ticket_forms_are_form_errors(page_for, data):
    response = page_for("requester").post(reverse("support:ticket_create"), data)
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("view", "data"),
    [
        ("ticket_reply", {"body": "\x00"}),
        ("ticket_transition", {"status": "\x00"}),
        ("ticket_assign", {"assignee": HUGE}),
        ("ticket_assign", {"assignee": "\x00"}),
        ("ticket_update", {"priority": "NaN", "category": HUGE}),
    ],
)
def test_hostile_ticket_page_posts_never_fail(page_for, user, view, data):
    ticket = TicketFactory(requester=user)
    url = reverse(f"support:{view}", args=[ticket.pk])
    assert page_for("agent").post(url, data).status_code in (200, 302)
    assert page_for("agent").post(url, data, **HTMX).status_code == 200
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee) == ("new", "normal", None)


@pytest.mark.parametrize(
    "body",
    [{"assignee_id": HUGE}, {"assignee_id": "\x00"}, {"priority": ["high"]}, {"category": None}],
)
def test_hostile_patches_are_400(api_for, user, body):
    ticket = TicketFactory(requester=user)
    response = api_for("agent").patch(f"/api/support/tickets/{ticket.pk}/", body, format="json")
    assert response.status_code == 400
