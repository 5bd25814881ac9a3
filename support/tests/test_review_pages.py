"""Reporting a review from the movie page, and hiding or restoring it from the support
desk's ticket page (agents only, through review_set_hidden, in the ticket's history)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from support.models import Ticket, TicketEvent
from users import services
from users.tests.factories import MovieFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def movie():
    return MovieFactory(title="The Quiet Harbour")


def detail(movie) -> str:
    return reverse("movies:detail", args=[movie.pk])


def save_url(movie) -> str:
    return reverse("users:rating_save", args=[movie.pk])


# --------------------------------------------------------------------------- reporting


@pytest.mark.parametrize(
    ("role", "tickets"),
    [("anonymous", 0), ("member", 0), ("other", 1), ("agent", 1), ("admin", 1)],
)
def test_reporting_from_the_page(page_for, movie, user, role, tickets):
    rating, _ = services.rating_set(user=user, movie_id=movie.pk, score=1, review="Meh")
    url = reverse("support:review_report", args=[rating.pk])
    response = page_for(role).post(url, {"reason": "Offensive"})
    assert response.status_code == 302
    assert Ticket.objects.filter(category="review", review=rating).count() == tickets


def test_reporting_twice_from_the_page_says_so_and_opens_one_ticket(page_for, movie, user):
    rating, _ = services.rating_set(user=user, movie_id=movie.pk, score=1, review="Meh")
    client = page_for("other")
    url = reverse("support:review_report", args=[rating.pk])
    client.post(url, {"reason": "Offensive"})
    response = client.post(url, {"reason": "Again"}, follow=True)
    assert "already reported" in response.content.decode()
    assert Ticket.objects.count() == 1


def test_reporting_without_a_reason_is_an_error_message(page_for, movie, user):
    rating, _ = services.rating_set(user=user, movie_id=movie.pk, score=1, review="Meh")
    response = page_for("other").post(
        reverse("support:review_report", args=[rating.pk]), {"reason": " "}, follow=True
    )
    assert "Say what is wrong with this review." in response.content.decode()
    assert not Ticket.objects.exists()


# --------------------------------------------------------------------------- support desk


@pytest.fixture
def reported(movie, user, other_user):
    from support import services as support_services

    rating, _ = services.rating_set(user=user, movie_id=movie.pk, score=1, review="<b>Rude</b>")
    ticket, _ = support_services.review_report(reporter=other_user, review=rating, reason="Rude")
    return ticket, rating


def test_agents_see_the_review_escaped_and_hide_then_restore_it(page_for, reported, agent):
    ticket, rating = reported
    client = page_for("agent")
    page = client.get(reverse("support:ticket_detail", args=[ticket.pk])).content.decode()
    assert "&lt;b&gt;Rude&lt;/b&gt;" in page
    assert "Hide the review" in page
    url = reverse("support:ticket_review", args=[ticket.pk])
    response = client.post(url, {"hidden": "true"}, **HTMX)
    assert response.status_code == 200
    assert "Restore the review" in response.content.decode()
    rating.refresh_from_db()
    assert rating.hidden
    client.post(url, {"hidden": "false"})
    rating.refresh_from_db()
    assert not rating.hidden
    assert list(
        TicketEvent.objects.filter(ticket=ticket, field="review").values_list(
            "new_value", flat=True
        )
    ) == ["hidden", "visible"]
    assert (
        "changed reported review from"
        in client.get(reverse("support:ticket_detail", args=[ticket.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 302), ("other", 403), ("member", 404)]
)
def test_non_agents_cannot_hide_from_the_ticket_page(page_for, reported, role, expected):
    ticket, rating = reported
    response = page_for(role).post(
        reverse("support:ticket_review", args=[ticket.pk]), {"hidden": "true"}
    )
    assert response.status_code == expected
    rating.refresh_from_db()
    assert not rating.hidden


def test_the_reporter_does_not_see_the_hide_button(page_for, reported):
    ticket, _ = reported
    page = (
        page_for("other").get(reverse("support:ticket_detail", args=[ticket.pk])).content.decode()
    )
    assert "Hide the review" not in page
