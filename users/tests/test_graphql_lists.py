"""GraphQL for the members' lists and diary: Me.favorites/watched/watchlist/diary,
setListMembership, logWatch, and Movie.similar.

Who may (anonymous, member, another member, agent, admin), bad input as
BAD_USER_INPUT naming the field, the watched/watchlist rule, constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.graphql import PERMISSION_DENIED_MESSAGE
from movies.tests.factories import GenreFactory, PersonFactory
from movies.tests.factories import MovieFactory as CatalogueMovieFactory
from users import selectors, services
from users.models import DiaryEntry

from .factories import MovieFactory

pytestmark = pytest.mark.django_db

SET_LIST = """
mutation Set($movieId: ID!, $list: MemberList!, $member: Boolean!) {
  setListMembership(movieId: $movieId, list: $list, member: $member) {
    me { username favorites { id } watched { id } watchlist { id } }
  }
}
"""

LOG = """
mutation Log($movieId: ID!, $watchedOn: Date, $rewatch: Boolean, $note: String) {
  logWatch(movieId: $movieId, watchedOn: $watchedOn, rewatch: $rewatch, note: $note) {
    entry { id watchedOn rewatch note movie { id title } }
  }
}
"""

ME = """
query Me($limit: Int, $offset: Int) {
  me {
    username
    favorites { id title genres { name } }
    watched { id }
    watchlist { id }
    diary(limit: $limit, offset: $offset) { id watchedOn movie { id title genres { name } } }
  }
}
"""

SIMILAR = """
query Similar($id: ID!, $limit: Int) {
  movie(id: $id) { id similar(limit: $limit) { id title } }
}
"""


def _errors(response) -> list[dict]:
    return response.json().get("errors") or []


@pytest.fixture
def people(user, other_user, support_agent, admin_user):
    return {"member": user, "other": other_user, "agent": support_agent, "admin": admin_user}


@pytest.fixture
def movie():
    return MovieFactory(title="The Quiet Harbour")


# --- who may ---------------------------------------------------------------------------


def test_anonymous_cannot_change_lists_or_log_and_nothing_changes(graphql, movie):
    for document, variables in (
        (SET_LIST, {"movieId": movie.pk, "list": "WATCHLIST", "member": True}),
        (LOG, {"movieId": movie.pk}),
    ):
        errors = _errors(graphql(document, variables))
        assert [error["message"] for error in errors] == [PERMISSION_DENIED_MESSAGE]
    assert not DiaryEntry.objects.exists()
    assert not movie.watchlisted_by.exists()


def test_anonymous_me_is_null(graphql):
    assert graphql(ME).json()["data"] == {"me": None}


@pytest.mark.parametrize("role", ["member", "other", "agent", "admin"])
def test_every_logged_in_member_changes_only_their_own_lists(graphql, movie, people, role):
    caller = people[role]

    body = graphql(
        SET_LIST, {"movieId": movie.pk, "list": "WATCHLIST", "member": True}, user=caller
    ).json()
    logged = graphql(LOG, {"movieId": movie.pk}, user=caller).json()

    assert "errors" not in body
    assert "errors" not in logged
    assert body["data"]["setListMembership"]["me"]["username"] == caller.username
    assert list(DiaryEntry.objects.values_list("user_id", flat=True)) == [caller.pk]
    for name, person in people.items():
        watched = list(selectors.watched_movie_list(user=person))
        assert watched == ([movie] if name == role else [])


def test_another_members_me_does_not_show_mine(graphql, movie, user, other_user):
    services.diary_log(user=user, movie_id=movie.pk)

    me = graphql(ME, user=other_user).json()["data"]["me"]

    assert me["diary"] == []
    assert me["watched"] == []


# --- behaviour ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("list_name", "field"),
    [("FAVORITES", "favorites"), ("WATCHED", "watched"), ("WATCHLIST", "watchlist")],
)
def test_set_list_membership_adds_and_removes_idempotently(graphql, movie, user, list_name, field):
    def set_to(member: bool) -> dict:
        body = graphql(
            SET_LIST, {"movieId": movie.pk, "list": list_name, "member": member}, user=user
        ).json()
        assert "errors" not in body, body
        return body["data"]["setListMembership"]["me"]

    assert set_to(True)[field] == [{"id": str(movie.pk)}]
    assert set_to(True)[field] == [{"id": str(movie.pk)}]
    assert set_to(False)[field] == []
    assert set_to(False)[field] == []


def test_marking_watched_takes_it_off_the_watchlist(graphql, movie, user):
    graphql(SET_LIST, {"movieId": movie.pk, "list": "WATCHLIST", "member": True}, user=user)

    me = graphql(
        SET_LIST, {"movieId": movie.pk, "list": "WATCHED", "member": True}, user=user
    ).json()["data"]["setListMembership"]["me"]

    assert me["watchlist"] == []
    assert me["watched"] == [{"id": str(movie.pk)}]


def test_log_watch_defaults_marks_watched_and_leaves_the_watchlist(graphql, movie, user):
    services.watchlist_add(profile=services.profile_get_or_create(user=user), movie_id=movie.pk)

    body = graphql(LOG, {"movieId": movie.pk, "rewatch": True, "note": "Again"}, user=user).json()

    entry = body["data"]["logWatch"]["entry"]
    assert entry["watchedOn"] == timezone.localdate().isoformat()
    assert (entry["rewatch"], entry["note"]) == (True, "Again")
    assert entry["movie"] == {"id": str(movie.pk), "title": "The Quiet Harbour"}
    assert list(selectors.watched_movie_list(user=user)) == [movie]
    assert list(selectors.watchlist_movie_list(user=user)) == []


def test_me_diary_is_newest_first_and_paged(graphql, user):
    movies = MovieFactory.create_batch(3)
    for day, film in enumerate(movies, start=1):
        services.diary_log(user=user, movie_id=film.pk, watched_on=f"2025-05-0{day}")

    me = graphql(ME, {"limit": 2, "offset": 0}, user=user).json()["data"]["me"]
    rest = graphql(ME, {"limit": 2, "offset": 2}, user=user).json()["data"]["me"]

    assert [e["watchedOn"] for e in me["diary"]] == ["2025-05-03", "2025-05-02"]
    assert [e["watchedOn"] for e in rest["diary"]] == ["2025-05-01"]


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"watchedOn": "FUTURE"}, "watchedOn"),
        ({"note": "x" * 501}, "note"),
        ({"movieId": "999999"}, "movieId"),
        ({"movieId": "abc"}, "movieId"),
    ],
)
def test_bad_log_watch_input_is_bad_user_input_naming_the_field(
    graphql, movie, user, variables, field
):
    if variables.get("watchedOn") == "FUTURE":
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        variables = {"watchedOn": tomorrow.isoformat()}
    errors = _errors(graphql(LOG, {"movieId": movie.pk, **variables}, user=user))

    assert len(errors) == 1
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert field in errors[0]["extensions"]["fields"]
    assert not DiaryEntry.objects.exists()


def test_an_impossible_date_is_refused_naming_the_variable(graphql, movie, user):
    errors = _errors(graphql(LOG, {"movieId": movie.pk, "watchedOn": "2026-02-30"}, user=user))

    assert errors
    assert "watchedOn" in errors[0]["message"]
    assert not DiaryEntry.objects.exists()


def test_set_list_membership_of_an_unknown_movie_names_movie_id(graphql, user):
    errors = _errors(
        graphql(SET_LIST, {"movieId": "999999", "list": "FAVORITES", "member": True}, user=user)
    )

    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "movieId" in errors[0]["extensions"]["fields"]


def test_an_unknown_list_is_refused_before_running(graphql, movie, user):
    errors = _errors(
        graphql(SET_LIST, {"movieId": movie.pk, "list": "WISHLIST", "member": True}, user=user)
    )

    assert errors
    assert "list" in errors[0]["message"]


# --- queries ----------------------------------------------------------------------------


def test_me_lists_and_diary_cost_a_constant_number_of_queries(graphql, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    profile = services.profile_get_or_create(user=user)

    def add(count: int) -> None:
        for _ in range(count):
            film = CatalogueMovieFactory(genres=[GenreFactory()])
            services.favorite_add(profile=profile, movie_id=film.pk)
            services.watchlist_add(profile=profile, movie_id=film.pk)
            services.diary_log(user=user, movie_id=film.pk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert "errors" not in graphql(ME, user=user).json()
        return len(captured)

    add(1)
    few = queries()
    add(10)

    assert queries() == few


# --- Movie.similar --------------------------------------------------------------------------


def test_movie_similar_ranks_by_shared_things_never_itself(graphql):
    genre, star = GenreFactory(), PersonFactory()
    seed = CatalogueMovieFactory(title="Seed", genres=[genre], actors=[star])
    CatalogueMovieFactory(title="Both", genres=[genre], actors=[star])
    CatalogueMovieFactory(title="Genre only", genres=[genre])
    CatalogueMovieFactory(title="Nothing")

    data = graphql(SIMILAR, {"id": seed.pk}).json()["data"]

    assert [m["title"] for m in data["movie"]["similar"]] == ["Both", "Genre only"]


@pytest.mark.parametrize("limit", [-1, 21])
def test_movie_similar_limit_out_of_range_names_limit(graphql, limit):
    seed = CatalogueMovieFactory()

    errors = _errors(graphql(SIMILAR, {"id": seed.pk, "limit": limit}))

    assert errors
    assert list(errors[0]["extensions"]["fields"]) == ["limit"]
