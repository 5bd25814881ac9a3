"""Public profiles over REST: /api/users/public/<username>/.

Private by default; a private, inactive or unknown name is the same 404 for everyone;
the shape never holds an email or a phone number; hidden reviews stay out."""

from __future__ import annotations

import pytest

from users import services
from users.models import UserProfile

from .factories import MovieFactory, UserFactory, UserProfileFactory

pytestmark = pytest.mark.django_db


def public(username: str) -> str:
    return f"/api/users/public/{username}/"


@pytest.fixture
def alice_profile(user):
    return UserProfileFactory(user=user, phone_number="+14155550101")


@pytest.fixture
def alice_public(alice_profile):
    alice_profile.is_public = True
    alice_profile.save()
    return alice_profile


@pytest.mark.parametrize("role", ["anonymous", "member", "other", "agent", "admin"])
def test_a_private_profile_is_404_for_everyone_even_its_owner_and_admins(
    client_as, alice_profile, role
):
    response = client_as(role).get(public("alice"))

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "member", "other", "agent", "admin"])
def test_a_public_profile_is_shown_to_everyone(client_as, alice_public, role):
    response = client_as(role).get(public("alice"))

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_unknown_and_private_names_give_the_same_answer(api_client, alice_profile):
    private = api_client.get(public("alice"))
    unknown = api_client.get(public("nobody-here"))

    assert private.status_code == unknown.status_code == 404
    assert private.json() == unknown.json()


def test_an_inactive_account_is_not_shown_even_if_public(api_client):
    UserProfileFactory(user=UserFactory(username="gone", is_active=False), is_public=True)

    assert api_client.get(public("gone")).status_code == 404


def test_the_name_matches_ignoring_case(api_client, alice_public):
    assert api_client.get(public("ALICE")).status_code == 200


def test_shape_has_favorites_counts_diary_reviews_and_never_email_or_phone(
    api_client, user, alice_public
):
    favorite, reviewed, hidden = MovieFactory(title="Fav"), MovieFactory(), MovieFactory()
    alice_public.favorite_movies.add(favorite)
    services.diary_log(user=user, movie_id=favorite.pk, watched_on="2026-01-01", note="Great")
    services.rating_set(user=user, movie_id=reviewed.pk, score="4.5", review="Fine film.")
    services.rating_set(user=user, movie_id=favorite.pk, score="3")  # a score alone
    rating, _ = services.rating_set(user=user, movie_id=hidden.pk, score="1", review="Rude.")
    type(rating).objects.filter(pk=rating.pk).update(hidden=True)

    response = api_client.get(public("alice"))

    body = response.json()
    assert set(body) == {
        "username",
        "favorite_movies",
        "ratings_count",
        "recent_diary",
        "recent_reviews",
    }
    assert body["favorite_movies"] == [
        {"id": favorite.pk, "title": "Fav", "rating": 3.5, "image": None}
    ]
    assert body["ratings_count"] == 3
    assert [(d["movie"]["id"], d["watched_on"], d["note"]) for d in body["recent_diary"]] == [
        (favorite.pk, "2026-01-01", "Great")
    ]
    assert [(r["movie"]["id"], r["review"]) for r in body["recent_reviews"]] == [
        (reviewed.pk, "Fine film.")
    ]
    text = response.content.decode()
    assert "alice@example.com" not in text
    assert "4155550101" not in text


def test_making_a_profile_public_and_private_again_through_the_api(client_as, alice_profile):
    owner = client_as("member")
    assert (
        owner.patch("/api/users/profiles/me/", {"is_public": True}, format="json").status_code
        == 200
    )
    assert client_as("anonymous").get(public("alice")).status_code == 200

    owner.patch("/api/users/profiles/me/", {"is_public": False}, format="json")

    assert client_as("anonymous").get(public("alice")).status_code == 404
    assert UserProfile.objects.get(pk=alice_profile.pk).is_public is False


def test_public_profile_stays_at_constant_queries(api_client, user, alice_public):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get(public("alice")).status_code == 200
        return len(captured)

    def add_some():
        for _ in range(4):
            movie = MovieFactory()
            alice_public.favorite_movies.add(movie)
            services.diary_log(user=user, movie_id=movie.pk)
            services.rating_set(user=user, movie_id=movie.pk, score="2", review="Hm.")

    add_some()
    few = queries()
    add_some()

    assert queries() == few
