"""Ratings and reviews over REST: profiles/me/ratings/ and /api/movies/<id>/reviews/.

Who may do what (anonymous, the member, another member, an agent, an admin), the
shapes, the status codes, bad input by field, escaping and constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from users import services
from users.models import Rating

from .factories import MovieFactory, UserFactory

pytestmark = pytest.mark.django_db

MINE = "/api/users/profiles/me/ratings/"


def mine(movie_id) -> str:
    return f"/api/users/profiles/me/ratings/{movie_id}/"


def reviews(movie_id) -> str:
    return f"/api/movies/{movie_id}/reviews/"


@pytest.fixture
def movie():
    return MovieFactory(title="The Quiet Harbour")


# --------------------------------------------------------------------------- permission matrix


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("member", 201), ("other", 201), ("agent", 201), ("admin", 201)],
)
def test_put_rating_needs_a_login_and_is_each_callers_own(api_for, role, expected, movie, user):
    response = api_for(role).put(mine(movie.pk), {"score": 4}, format="json")
    assert response.status_code == expected
    if expected == 401:
        assert not Rating.objects.exists()
    else:
        rating = Rating.objects.get()
        assert rating.user.username == response.json()["user"]["username"]


@pytest.mark.parametrize(
    ("role", "expected", "left"),
    [("anonymous", 401, 1), ("member", 204, 0), ("other", 204, 1), ("admin", 204, 1)],
)
def test_delete_removes_only_the_callers_own_rating(api_for, role, expected, left, movie, user):
    services.rating_set(user=user, movie_id=movie.pk, score=3)
    response = api_for(role).delete(mine(movie.pk))
    assert response.status_code == expected
    assert Rating.objects.count() == left


@pytest.mark.parametrize(
    ("role", "expected", "count"),
    [("anonymous", 401, None), ("member", 200, 2), ("other", 200, 1), ("admin", 200, 0)],
)
def test_own_ratings_list_shows_only_the_callers(api_for, role, expected, count, user, other_user):
    for title in ("A", "B"):
        services.rating_set(user=user, movie_id=MovieFactory(title=title).pk, score=3)
    services.rating_set(user=other_user, movie_id=MovieFactory().pk, score=5)
    response = api_for(role).get(MINE)
    assert response.status_code == expected
    if count is not None:
        assert response.json()["count"] == count


@pytest.mark.parametrize("role", ["anonymous", "member", "other", "agent", "admin"])
def test_reviews_are_public(api_for, role, movie, user):
    services.rating_set(user=user, movie_id=movie.pk, score=3, review="Fine")
    response = api_for(role).get(reviews(movie.pk))
    assert response.status_code == 200
    assert [row["review"] for row in response.json()["results"]] == ["Fine"]


def test_session_put_without_csrf_is_refused(user, movie):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.put(mine(movie.pk), {"score": 4}, format="json")
    assert response.status_code == 403
    assert not Rating.objects.exists()


# --------------------------------------------------------------------------- behaviour


def test_put_creates_201_then_changes_200_with_the_shape(user_client, user, movie):
    response = user_client.put(
        mine(movie.pk), {"score": 4.5, "review": "Lovely", "spoiler": True}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["score"] == 4.5
    assert body["review"] == "Lovely"
    assert body["spoiler"] is True
    assert body["hidden"] is False
    assert body["movie"]["id"] == movie.pk
    assert body["user"] == {"id": user.pk, "username": user.username}
    assert set(body) == {
        "id", "movie", "user", "score", "review", "spoiler", "hidden", "created_at", "updated_at"
    }  # fmt: skip

    response = user_client.put(mine(movie.pk), {"score": "2"}, format="json")
    assert response.status_code == 200
    assert (response.json()["score"], response.json()["review"]) == (2.0, "")
    movie.refresh_from_db()
    assert (movie.members_rating_average, movie.members_rating_count) == (Decimal("2.00"), 1)


def test_delete_twice_is_204_both_times(user_client, user, movie):
    services.rating_set(user=user, movie_id=movie.pk, score=3)
    assert user_client.delete(mine(movie.pk)).status_code == 204
    assert user_client.delete(mine(movie.pk)).status_code == 204
    assert user_client.delete(mine(99999999999999999999)).status_code == 204


def test_movie_members_rating_follows_in_the_movie_api(user_client, movie):
    user_client.put(mine(movie.pk), {"score": 3.5}, format="json")
    body = APIClient().get(f"/api/movies/{movie.pk}/").json()
    assert body["members_rating"] == {"average": 3.5, "count": 1}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"score": 4.25}, "score"),
        ({"score": 0}, "score"),
        ({"score": 5.5}, "score"),
        ({"score": "abc"}, "score"),
        ({"score": True}, "score"),
        ({"score": None}, "score"),
        ({}, "score"),
        ({"score": 3, "review": "x" * 5001}, "review"),
        ({"score": 3, "review": ["a"]}, "review"),
        ({"score": 3, "spoiler": "perhaps"}, "spoiler"),
    ],
)
def test_bad_input_is_400_naming_the_field(user_client, movie, payload, field):
    response = user_client.put(mine(movie.pk), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Rating.objects.exists()


@pytest.mark.parametrize("movie_id", ["999999", "0", "99999999999999999999", "abc"])
def test_unknown_movie_is_400_naming_movie_id(user_client, movie_id):
    response = user_client.put(mine(movie_id), {"score": 3}, format="json")
    assert response.status_code == 400
    assert "movie_id" in response.json()


def test_own_ratings_newest_first_paginated_with_hidden_marked(user_client, user):
    movies = [MovieFactory(title=f"M{index}") for index in range(3)]
    for movie in movies:
        services.rating_set(user=user, movie_id=movie.pk, score=3, review="text")
    Rating.objects.filter(movie=movies[0]).update(hidden=True)
    body = user_client.get(MINE, {"page_size": 2}).json()
    assert body["count"] == 3
    assert body["next"] is not None
    assert [row["movie"]["id"] for row in body["results"]] == [movies[2].pk, movies[1].pk]
    last = user_client.get(MINE, {"page_size": 2, "page": 2}).json()["results"]
    assert [(row["movie"]["id"], row["hidden"]) for row in last] == [(movies[0].pk, True)]


def test_reviews_leave_out_scores_alone_and_hidden_ones_except_for_the_author(
    user, other_user, movie, user_client, other_client
):
    hidden, _ = services.rating_set(user=user, movie_id=movie.pk, score=2, review="Rude words")
    services.rating_set(user=other_user, movie_id=movie.pk, score=5)  # no text
    third = UserFactory(username="carol")
    shown, _ = services.rating_set(user=third, movie_id=movie.pk, score=4, review="Good")
    Rating.objects.filter(pk=hidden.pk).update(hidden=True)

    anonymous = APIClient().get(reviews(movie.pk)).json()
    assert [row["id"] for row in anonymous["results"]] == [shown.pk]
    assert anonymous["results"][0] == {
        "id": shown.pk,
        "user": {"id": third.pk, "username": "carol"},
        "score": 4.0,
        "review": "Good",
        "spoiler": False,
        "hidden": False,
        "created_at": anonymous["results"][0]["created_at"],
        "updated_at": anonymous["results"][0]["updated_at"],
    }
    assert [row["id"] for row in other_client.get(reviews(movie.pk)).json()["results"]] == [
        shown.pk
    ]
    author_view = user_client.get(reviews(movie.pk)).json()["results"]
    assert [(row["id"], row["hidden"]) for row in author_view] == [
        (shown.pk, False),
        (hidden.pk, True),
    ]


@pytest.mark.parametrize("movie_id", ["999999", "0", "abc", "99999999999999999999"])
def test_reviews_of_an_unknown_movie_are_404(movie_id):
    response = APIClient().get(reviews(movie_id))
    assert response.status_code == 404
    assert "detail" in response.json()


def test_review_text_is_returned_as_given_not_as_markup(user_client, movie):
    text = "<script>alert(1)</script>\nline two"
    user_client.put(mine(movie.pk), {"score": 3, "review": text}, format="json")
    assert APIClient().get(reviews(movie.pk)).json()["results"][0]["review"] == text


def test_reviews_list_keeps_a_constant_number_of_queries(movie, django_assert_max_num_queries):
    def add(count):
        for _ in range(count):
            member = UserFactory()
            services.rating_set(user=member, movie_id=movie.pk, score=4, review="Good")

    add(2)
    client = APIClient()
    with django_assert_max_num_queries(4):
        assert len(client.get(reviews(movie.pk)).json()["results"]) == 2
    add(10)
    with django_assert_max_num_queries(4):
        assert len(client.get(reviews(movie.pk)).json()["results"]) == 12


def test_own_ratings_list_keeps_a_constant_number_of_queries(
    user, user_client, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            services.rating_set(user=user, movie_id=MovieFactory().pk, score=4)

    add(2)
    with django_assert_max_num_queries(6):
        assert user_client.get(MINE).json()["count"] == 2
    add(10)
    with django_assert_max_num_queries(6):
        assert user_client.get(MINE).json()["count"] == 12
