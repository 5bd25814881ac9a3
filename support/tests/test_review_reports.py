"""Reporting a member review, and hiding or restoring it from the ticket.

POST /api/movies/<id>/reviews/<id>/report/ opens a ticket of category ``review`` once a
member a review; ``support.services.review_set_hidden`` (agents only) is the one way to
hide it, from the API, the ticket page or the admin, and goes into the ticket's history.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from support import services
from support.models import Ticket, TicketEvent
from users import services as member_services
from users.models import Rating
from users.tests.factories import MovieFactory, UserFactory

from .conftest import ROLES

pytestmark = pytest.mark.django_db


def report_url(review: Rating) -> str:
    return f"/api/movies/{review.movie_id}/reviews/{review.pk}/report/"


def reviews_url(movie_id: int) -> str:
    return f"/api/movies/{movie_id}/reviews/"


@pytest.fixture
def author():
    return UserFactory(username="critic")


@pytest.fixture
def review(author):
    movie = MovieFactory(title="The Quiet Harbour")
    rating, _ = member_services.rating_set(
        user=author, movie_id=movie.pk, score=1, review="<script>alert('x')</script> awful"
    )
    return rating


@pytest.fixture
def reported(review, user):
    ticket, _ = services.review_report(reporter=user, review=review, reason="Offensive")
    return ticket


# --------------------------------------------------------------------------- reporting


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("requester", 202), ("other", 202), ("agent", 202), ("admin", 202)],
)
def test_any_logged_in_member_can_report(api_for, role, expected, review):
    response = api_for(role).post(report_url(review), {"reason": "Rude"}, format="json")
    assert response.status_code == expected
    assert Ticket.objects.count() == (0 if expected == 401 else 1)


def test_a_report_opens_one_review_ticket_on_that_review(user_client, user, review):
    response = user_client.post(report_url(review), {"reason": "Insults"}, format="json")
    assert response.status_code == 202
    ticket = Ticket.objects.get()
    assert ticket.category == Ticket.Category.REVIEW
    assert (ticket.review_id, ticket.requester_id) == (review.pk, user.pk)
    assert (ticket.movie_id, ticket.movie_title) == (review.movie_id, "The Quiet Harbour")
    assert ticket.description == "Insults"


def test_reporting_again_opens_nothing_new(user_client, other_client, review):
    for _ in range(2):
        assert (
            user_client.post(report_url(review), {"reason": "x"}, format="json").status_code == 202
        )
    assert Ticket.objects.count() == 1
    other_client.post(report_url(review), {"reason": "y"}, format="json")
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize(
    ("reason", "field"), [("", "reason"), ("   ", "reason"), ("x" * 2001, "reason")]
)
def test_a_report_needs_a_reason(user_client, review, reason, field):
    response = user_client.post(report_url(review), {"reason": reason}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Ticket.objects.exists()


def test_a_member_cannot_report_their_own_review(author, review):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(author)
    response = client.post(report_url(review), {"reason": "me"}, format="json")
    assert response.status_code == 400
    assert "review" in response.json()


@pytest.mark.parametrize("path", ["999999/reviews/{r}", "{m}/reviews/999999", "abc/reviews/x"])
def test_reporting_an_unknown_review_is_404(user_client, review, path):
    url = "/api/movies/" + path.format(m=review.movie_id, r=review.pk) + "/report/"
    assert user_client.post(url, {"reason": "x"}, format="json").status_code == 404


def test_a_review_of_another_movie_is_404(user_client, review):
    other_movie = MovieFactory()
    url = f"/api/movies/{other_movie.pk}/reviews/{review.pk}/report/"
    assert user_client.post(url, {"reason": "x"}, format="json").status_code == 404


def test_a_score_without_text_cannot_be_reported(user_client, author):
    rating, _ = member_services.rating_set(user=author, movie_id=MovieFactory().pk, score=3)
    assert user_client.post(report_url(rating), {"reason": "x"}, format="json").status_code == 404


# --------------------------------------------------------------------------- hiding


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("requester", 403), ("other", 404), ("agent", 200), ("admin", 200)],
)
def test_only_agents_hide_a_review_from_its_ticket(api_for, role, expected, reported, review):
    url = f"/api/support/tickets/{reported.pk}/review/"
    response = api_for(role).post(url, {"hidden": True}, format="json")
    assert response.status_code == expected
    review.refresh_from_db()
    assert review.hidden is (expected == 200)


def test_hiding_and_restoring_are_in_the_ticket_history(agent_client_api, agent, reported, review):
    url = f"/api/support/tickets/{reported.pk}/review/"
    body = agent_client_api.post(url, {"hidden": True}, format="json").json()
    assert body["review"]["hidden"] is True
    agent_client_api.post(url, {"hidden": True}, format="json")  # no change, no event
    agent_client_api.post(url, {"hidden": False}, format="json")
    events = TicketEvent.objects.filter(ticket=reported, field=TicketEvent.Field.REVIEW)
    assert [(event.old_value, event.new_value, event.actor_id) for event in events] == [
        ("visible", "hidden", agent.pk),
        ("hidden", "visible", agent.pk),
    ]
    assert [event.new_display for event in events] == ["Hidden", "Visible"]


def test_hiding_is_recorded_on_every_ticket_reporting_the_review(agent, review, user, other_user):
    first, _ = services.review_report(reporter=user, review=review, reason="a")
    second, _ = services.review_report(reporter=other_user, review=review, reason="b")
    services.review_set_hidden(review=review, hidden=True, actor=agent, ticket=first)
    for ticket in (first, second):
        assert ticket.events.filter(field=TicketEvent.Field.REVIEW).count() == 1


def test_a_hidden_review_disappears_for_everyone_but_its_author(
    agent, reported, review, author, user_client
):
    from rest_framework.test import APIClient

    services.review_set_hidden(review=review, hidden=True, actor=agent)
    assert APIClient().get(reviews_url(review.movie_id)).json()["count"] == 0
    assert user_client.get(reviews_url(review.movie_id)).json()["count"] == 0
    own = APIClient()
    own.force_authenticate(author)
    rows = own.get(reviews_url(review.movie_id)).json()["results"]
    assert [(row["id"], row["hidden"]) for row in rows] == [(review.pk, True)]
    # ... and it cannot be reported again by someone who no longer sees it
    assert user_client.post(report_url(review), {"reason": "x"}, format="json").status_code == 404


def test_the_service_refuses_non_agents_and_another_tickets_review(user, reported, review, agent):
    with pytest.raises(PermissionDenied):
        services.review_set_hidden(review=review, hidden=True, actor=user)
    other_review, _ = member_services.rating_set(
        user=UserFactory(), movie_id=review.movie_id, score=2, review="other"
    )
    with pytest.raises(Exception, match="does not report"):
        services.review_set_hidden(review=other_review, hidden=True, actor=agent, ticket=reported)
    review.refresh_from_db()
    other_review.refresh_from_db()
    assert not review.hidden
    assert not other_review.hidden


def test_the_review_action_on_a_ticket_without_a_review_is_400(agent_client_api, user):
    ticket = services.ticket_create(
        requester=user, subject="Help", description="Login", category="account"
    )
    response = agent_client_api.post(
        f"/api/support/tickets/{ticket.pk}/review/", {"hidden": True}, format="json"
    )
    assert response.status_code == 400
    assert "review" in response.json()


def test_agents_read_the_review_on_the_ticket_the_reporter_only_its_id(
    agent_client_api, user_client, reported, review
):
    as_agent = agent_client_api.get(f"/api/support/tickets/{reported.pk}/").json()["review"]
    assert as_agent["review"] == review.review
    assert as_agent["author"]["username"] == "critic"
    as_reporter = user_client.get(f"/api/support/tickets/{reported.pk}/").json()["review"]
    assert as_reporter == {"id": review.pk}


def test_the_report_email_is_plain_text_so_markup_stays_inert(
    user_client, review, user, django_capture_on_commit_callbacks
):
    """The acknowledgement email is text/plain only (no HTML part a mail client would
    render): the reason is quoted as typed, and the review text is not in it at all."""
    reason = "<b>bold</b> <script>x</script>"
    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(report_url(review), {"reason": reason}, format="json")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.content_subtype == "plain"
    assert getattr(message, "alternatives", []) == []
    assert reason in message.body
    assert review.review not in message.body


def test_roles_list_is_the_shared_one():
    assert ROLES == ["anonymous", "requester", "other", "agent", "admin"]
