"""Ratings and reviews in the admin: search, filters, escaping, and hide/restore through
``support.services.review_set_hidden`` (recorded on the reporting tickets)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from support import services
from support.models import TicketEvent
from users import services as member_services
from users.models import Rating
from users.tests.factories import MovieFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:users_rating_changelist"


@pytest.fixture
def superuser_client(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-unused-1")
    client.force_login(boss)
    return client


@pytest.fixture
def reviews(user, other_user):
    first = MovieFactory(title="Harbour")
    second = MovieFactory(title="Mountain")
    a, _ = member_services.rating_set(
        user=user, movie_id=first.pk, score=1, review="<script>alert('x')</script>"
    )
    b, _ = member_services.rating_set(user=other_user, movie_id=second.pk, score=5, review="Lovely")
    return a, b


def test_the_changelist_searches_filters_and_escapes(superuser_client, reviews):
    url = reverse(CHANGELIST)
    page = superuser_client.get(url).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert('x')</script>" not in page
    found = superuser_client.get(url, {"q": "Mountain"}).context["cl"].result_list
    assert [rating.pk for rating in found] == [reviews[1].pk]
    hidden = superuser_client.get(url, {"hidden__exact": "0"}).context["cl"].result_count
    assert hidden == 2
    change = superuser_client.get(reverse("admin:users_rating_change", args=[reviews[0].pk]))
    assert change.status_code == 200
    assert "<script>alert('x')</script>" not in change.content.decode()


def test_hide_and_restore_actions_go_through_the_service(superuser_client, reviews, agent):
    ticket, _ = services.review_report(reporter=agent, review=reviews[0], reason="rude")
    url = reverse(CHANGELIST)
    superuser_client.post(
        url, {"action": "hide_reviews", "_selected_action": [reviews[0].pk, reviews[1].pk]}
    )
    assert set(Rating.objects.filter(hidden=True).values_list("pk", flat=True)) == {
        reviews[0].pk,
        reviews[1].pk,
    }
    superuser_client.post(url, {"action": "restore_reviews", "_selected_action": [reviews[0].pk]})
    reviews[0].refresh_from_db()
    assert reviews[0].hidden is False
    events = ticket.events.filter(field=TicketEvent.Field.REVIEW)
    assert [(event.new_value, event.actor.username) for event in events] == [
        ("hidden", "boss"),
        ("visible", "boss"),
    ]


def test_deleting_in_the_admin_keeps_the_members_rating(superuser_client, reviews):
    movie = reviews[0].movie
    superuser_client.post(
        reverse("admin:users_rating_delete", args=[reviews[0].pk]), {"post": "yes"}
    )
    movie.refresh_from_db()
    assert not Rating.objects.filter(pk=reviews[0].pk).exists()
    assert (movie.members_rating_average, movie.members_rating_count) == (None, 0)


def test_a_member_without_staff_cannot_open_it(client, user):
    client.force_login(user)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302


def test_score_filter_lists_only_that_score(superuser_client, reviews):
    cl = superuser_client.get(reverse(CHANGELIST), {"score": "5.0"}).context["cl"]
    assert [rating.score for rating in cl.result_list] == [Decimal("5.0")]


def test_another_staffer_needs_view_permission(client):
    staffer = UserFactory(username="clerk", is_staff=True)
    client.force_login(staffer)
    assert client.get(reverse(CHANGELIST)).status_code == 403
