"""Members over GraphQL: ``me``, ``Movie.reviews``, ``rateMovie`` and ``deleteRating``.

Member mutations need a logged-in member (Bearer JWT, or the session with its CSRF
token); anyone else gets the shared denial message and nothing changes. Bad input is
``BAD_USER_INPUT`` naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from core.graphql import PERMISSION_DENIED_MESSAGE
from users import services
from users.models import Rating

from .factories import MovieFactory, UserFactory

pytestmark = pytest.mark.django_db

RATE = """
mutation Rate($movieId: ID!, $score: Float!, $review: String, $spoiler: Boolean) {
  rateMovie(movieId: $movieId, score: $score, review: $review, spoiler: $spoiler) {
    created
    rating { id username score review spoiler hidden movie { id } }
    movie { id membersRating { average count } }
  }
}
"""

DELETE = "mutation Delete($movieId: ID!) { deleteRating(movieId: $movieId) { ok id } }"

ME = """
query Me($limit: Int, $offset: Int) {
  me { username ratings(limit: $limit, offset: $offset) { id score review hidden movie { title } } }
}
"""

REVIEWS = """
query Reviews($id: ID!, $limit: Int, $offset: Int) {
  movie(id: $id) {
    membersRating { average count }
    reviews(limit: $limit, offset: $offset) { id username score review spoiler hidden createdAt }
  }
}
"""


@pytest.fixture
def agent(settings):
    agent = UserFactory(username="agatha")
    group, _ = Group.objects.get_or_create(name=settings.SUPPORT_AGENT_GROUP)
    agent.groups.add(group)
    return agent


@pytest.fixture
def movie():
    return MovieFactory(title="The Quiet Harbour")


def _errors(response) -> list[dict]:
    return response.json().get("errors") or []


# --------------------------------------------------------------------------- permissions


def test_anonymous_cannot_rate_or_delete(graphql, movie, user):
    services.rating_set(user=user, movie_id=movie.pk, score=3)
    for document, variables in (
        (RATE, {"movieId": movie.pk, "score": 4}),
        (DELETE, {"movieId": movie.pk}),
    ):
        errors = _errors(graphql(document, variables))
        assert [error["message"] for error in errors] == [PERMISSION_DENIED_MESSAGE]
    assert list(Rating.objects.values_list("score", flat=True)) == [Decimal("3.0")]


@pytest.mark.parametrize("role", ["member", "other", "agent", "admin"])
def test_every_logged_in_member_rates_for_themselves(
    graphql, movie, role, user, other_user, agent, admin_user
):
    caller = {"member": user, "other": other_user, "agent": agent, "admin": admin_user}[role]
    body = graphql(RATE, {"movieId": movie.pk, "score": 4.5}, user=caller).json()
    assert "errors" not in body
    assert body["data"]["rateMovie"]["rating"]["username"] == caller.username
    assert Rating.objects.get().user == caller


def test_another_members_delete_leaves_my_rating(graphql, movie, user, other_user):
    services.rating_set(user=user, movie_id=movie.pk, score=3)
    body = graphql(DELETE, {"movieId": movie.pk}, user=other_user).json()
    assert body["data"]["deleteRating"] == {"ok": False, "id": str(movie.pk)}
    assert Rating.objects.filter(user=user).exists()


def test_an_inactive_account_with_a_token_is_refused(graphql, movie):
    ghost = UserFactory(username="ghost", is_active=False)
    errors = _errors(graphql(RATE, {"movieId": movie.pk, "score": 4}, user=ghost))
    assert errors
    assert not Rating.objects.exists()


def test_a_session_post_needs_the_csrf_token(movie, user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        "/graphql/",
        {"query": RATE, "variables": {"movieId": movie.pk, "score": 4}},
        content_type="application/json",
    )
    assert response.status_code in (400, 403)
    assert not Rating.objects.exists()
    client.get("/")  # the pages set the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/graphql/",
        {"query": RATE, "variables": {"movieId": movie.pk, "score": 4}},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert "errors" not in response.json()
    assert Rating.objects.get().user == user


# --------------------------------------------------------------------------- behaviour


def test_rate_then_change_then_delete(graphql, movie, user):
    body = graphql(
        RATE, {"movieId": movie.pk, "score": 4.5, "review": "Lovely", "spoiler": True}, user=user
    ).json()["data"]["rateMovie"]
    assert body["created"] is True
    assert body["rating"]["score"] == 4.5
    assert (body["rating"]["review"], body["rating"]["spoiler"]) == ("Lovely", True)
    assert body["movie"]["membersRating"] == {"average": 4.5, "count": 1}

    body = graphql(RATE, {"movieId": movie.pk, "score": 2}, user=user).json()["data"]["rateMovie"]
    assert body["created"] is False
    assert (body["rating"]["review"], body["rating"]["spoiler"]) == ("", False)
    assert body["movie"]["membersRating"] == {"average": 2.0, "count": 1}

    body = graphql(DELETE, {"movieId": str(movie.pk)}, user=user).json()
    assert body["data"]["deleteRating"] == {"ok": True, "id": str(movie.pk)}
    movie.refresh_from_db()
    assert (movie.members_rating_average, movie.members_rating_count) == (None, 0)


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"score": 4.25}, "score"),
        ({"score": 0}, "score"),
        ({"score": 5.5}, "score"),
        ({"score": 3, "review": "x" * 5001}, "review"),
        ({"score": 3, "movieId": "999999"}, "movieId"),
        ({"score": 3, "movieId": "abc"}, "movieId"),
        ({"score": 3, "movieId": "99999999999999999999"}, "movieId"),
    ],
)
def test_bad_input_is_bad_user_input_naming_the_field(graphql, movie, user, variables, field):
    errors = _errors(graphql(RATE, {"movieId": movie.pk, **variables}, user=user))
    assert len(errors) == 1
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert field in errors[0]["extensions"]["fields"]
    assert not Rating.objects.exists()


def test_me_is_null_for_anonymous_and_lists_own_ratings_newest_first(graphql, user, other_user):
    assert graphql(ME).json()["data"] == {"me": None}
    first, second = MovieFactory(title="First"), MovieFactory(title="Second")
    services.rating_set(user=user, movie_id=first.pk, score=3, review="ok")
    services.rating_set(user=user, movie_id=second.pk, score=5)
    services.rating_set(user=other_user, movie_id=first.pk, score=1)
    Rating.objects.filter(user=user, movie=first).update(hidden=True)
    me = graphql(ME, user=user).json()["data"]["me"]
    assert me["username"] == user.username
    assert [(row["movie"]["title"], row["hidden"]) for row in me["ratings"]] == [
        ("Second", False),
        ("First", True),
    ]
    page = graphql(ME, {"limit": 1, "offset": 1}, user=user).json()["data"]["me"]["ratings"]
    assert [row["movie"]["title"] for row in page] == ["First"]


def test_movie_reviews_leave_out_scores_alone_and_hidden_except_for_the_author(
    graphql, movie, user, other_user
):
    hidden, _ = services.rating_set(user=user, movie_id=movie.pk, score=1, review="<b>rude</b>")
    services.rating_set(user=other_user, movie_id=movie.pk, score=5)
    shown, _ = services.rating_set(
        user=UserFactory(username="carol"), movie_id=movie.pk, score=4, review="Good"
    )
    Rating.objects.filter(pk=hidden.pk).update(hidden=True)
    anonymous = graphql(REVIEWS, {"id": movie.pk}).json()["data"]["movie"]
    assert anonymous["membersRating"] == {"average": 3.33, "count": 3}
    assert [row["id"] for row in anonymous["reviews"]] == [str(shown.pk)]
    assert anonymous["reviews"][0]["username"] == "carol"
    author = graphql(REVIEWS, {"id": movie.pk}, user=user).json()["data"]["movie"]["reviews"]
    assert [(row["id"], row["hidden"], row["review"]) for row in author] == [
        (str(shown.pk), False, "Good"),
        (str(hidden.pk), True, "<b>rude</b>"),
    ]


def test_reviews_paginate_and_refuse_a_limit_over_the_cap(graphql, movie):
    for index in range(3):
        services.rating_set(user=UserFactory(), movie_id=movie.pk, score=3, review=f"r{index}")
    rows = graphql(REVIEWS, {"id": movie.pk, "limit": 2, "offset": 1}).json()["data"]
    assert [row["review"] for row in rows["movie"]["reviews"]] == ["r1", "r0"]
    errors = _errors(graphql(REVIEWS, {"id": movie.pk, "limit": 1000}))
    assert errors
    assert "limit" in errors[0]["message"]


def test_reviews_of_one_movie_cost_a_constant_number_of_queries(
    graphql, movie, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            services.rating_set(user=UserFactory(), movie_id=movie.pk, score=3, review="text")

    add(2)
    with django_assert_max_num_queries(5):
        assert len(graphql(REVIEWS, {"id": movie.pk}).json()["data"]["movie"]["reviews"]) == 2
    add(8)
    with django_assert_max_num_queries(5):
        assert len(graphql(REVIEWS, {"id": movie.pk}).json()["data"]["movie"]["reviews"]) == 10


def test_me_ratings_cost_a_constant_number_of_queries(graphql, user, django_assert_max_num_queries):
    def add(count):
        for _ in range(count):
            services.rating_set(user=user, movie_id=MovieFactory().pk, score=3)

    add(2)
    with django_assert_max_num_queries(4):
        assert len(graphql(ME, user=user).json()["data"]["me"]["ratings"]) == 2
    add(8)
    with django_assert_max_num_queries(4):
        assert len(graphql(ME, user=user).json()["data"]["me"]["ratings"]) == 10


MOVIES_WITH_REVIEWS = """
query { allMovies(limit: 50) { id reviews(limit: 2) { id username review hidden } } }
"""


def test_reviews_under_a_list_of_movies_cost_a_constant_number_of_queries(
    graphql, user, django_assert_max_num_queries
):
    def add(movies: int):
        for _ in range(movies):
            movie = MovieFactory()
            for index in range(3):
                services.rating_set(
                    user=UserFactory(), movie_id=movie.pk, score=3, review=f"r{index}"
                )

    add(2)
    with django_assert_max_num_queries(8) as first:
        body = graphql(MOVIES_WITH_REVIEWS).json()
    assert [len(movie["reviews"]) for movie in body["data"]["allMovies"]] == [2, 2]
    add(8)
    with django_assert_max_num_queries(len(first)):
        body = graphql(MOVIES_WITH_REVIEWS).json()
    assert [len(movie["reviews"]) for movie in body["data"]["allMovies"]] == [2] * 10
    assert body["data"]["allMovies"][0]["reviews"][0]["review"] == "r2"


def test_prefetched_reviews_keep_hidden_ones_for_their_author_only(graphql, user, other_user):
    movie = MovieFactory()
    mine, _ = services.rating_set(user=user, movie_id=movie.pk, score=1, review="mine")
    Rating.objects.filter(pk=mine.pk).update(hidden=True)
    services.rating_set(user=other_user, movie_id=movie.pk, score=4, review="theirs")
    rows = graphql(MOVIES_WITH_REVIEWS, user=user).json()["data"]["allMovies"][0]["reviews"]
    assert [(row["review"], row["hidden"]) for row in rows] == [("theirs", False), ("mine", True)]
    rows = graphql(MOVIES_WITH_REVIEWS).json()["data"]["allMovies"][0]["reviews"]
    assert [row["review"] for row in rows] == ["theirs"]
