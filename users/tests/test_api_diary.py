"""The diary over REST: profiles/me/diary/ and profiles/me/diary/<id>/.

Who may do what (anonymous, the member, another member, an agent, an admin), the
order and shape, bad input by field, the watched/watchlist rule and constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from users import selectors, services
from users.models import DiaryEntry

from .factories import MovieFactory

pytestmark = pytest.mark.django_db

DIARY = "/api/users/profiles/me/diary/"


def entry_url(entry_id) -> str:
    return f"/api/users/profiles/me/diary/{entry_id}/"


@pytest.fixture
def movie():
    return MovieFactory(title="The Quiet Harbour")


@pytest.fixture
def alice_entry(user, movie):
    return services.diary_log(user=user, movie_id=movie.pk, watched_on="2026-01-02", note="Lovely.")


# --- who may -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "get", "post"),
    [
        ("anonymous", 401, 401),
        ("member", 200, 201),
        ("other", 200, 201),
        ("agent", 200, 201),
        ("admin", 200, 201),
    ],
)
def test_diary_list_and_log_are_for_logged_in_members_each_their_own(
    client_as, alice_entry, movie, role, get, post
):
    client = client_as(role)

    listing = client.get(DIARY)
    logged = client.post(DIARY, {"movie_id": movie.pk}, format="json")

    assert listing.status_code == get
    assert logged.status_code == post
    if role == "member":
        assert [e["id"] for e in listing.json()["results"]] == [alice_entry.pk]
    elif role != "anonymous":
        # Nobody else sees alice's entry in their diary, admins and agents included.
        assert listing.json()["results"] == []


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("member", None), ("other", 404), ("agent", 404), ("admin", 404)],
)
def test_diary_entry_is_the_owners_only_others_get_404(client_as, alice_entry, role, expected):
    client = client_as(role)
    url = entry_url(alice_entry.pk)

    got = client.get(url)
    patched = client.patch(url, {"note": "Mine now."}, format="json")
    deleted = client.delete(url)

    if expected is None:
        assert (got.status_code, patched.status_code, deleted.status_code) == (200, 200, 204)
        assert not DiaryEntry.objects.filter(pk=alice_entry.pk).exists()
    else:
        assert {got.status_code, patched.status_code, deleted.status_code} == {expected}
        alice_entry.refresh_from_db()
        assert alice_entry.note == "Lovely."


def test_diary_entry_unknown_or_impossible_id_is_404(client_as):
    client = client_as("member")
    assert client.get(entry_url(999999)).status_code == 404
    assert client.get(entry_url("abc")).status_code == 404
    assert client.get(entry_url(10**30)).status_code == 404


# --- logging -------------------------------------------------------------------------


def test_logging_a_watch_defaults_to_today_and_marks_it_watched_off_the_watchlist(
    client_as, user, movie
):
    client = client_as("member")
    client.put(f"/api/users/profiles/me/watchlist/{movie.pk}/")

    response = client.post(DIARY, {"movie_id": movie.pk}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["watched_on"] == timezone.localdate().isoformat()
    assert body["rewatch"] is False
    assert body["note"] == ""
    assert body["movie"]["id"] == movie.pk
    assert body["movie"]["title"] == "The Quiet Harbour"
    assert list(selectors.watched_movie_list(user=user)) == [movie]
    assert list(selectors.watchlist_movie_list(user=user)) == []


def test_logging_a_watch_keeps_the_date_rewatch_and_note(client_as, movie):
    response = client_as("member").post(
        DIARY,
        {"movie_id": movie.pk, "watched_on": "2025-12-24", "rewatch": True, "note": "Again!"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["watched_on"], body["rewatch"], body["note"]) == ("2025-12-24", True, "Again!")


def test_today_is_accepted(client_as, movie):
    today = timezone.localdate().isoformat()

    response = client_as("member").post(
        DIARY, {"movie_id": movie.pk, "watched_on": today}, format="json"
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"watched_on": "FUTURE"}, "watched_on"),
        ({"watched_on": "2026-02-30"}, "watched_on"),
        ({"watched_on": "yesterday"}, "watched_on"),
        ({"watched_on": 20260101}, "watched_on"),
        ({"note": "x" * 501}, "note"),
        ({"note": "nul\x00"}, "note"),
        ({"rewatch": "perhaps"}, "rewatch"),
        ({"movie_id": 999999}, "movie_id"),
        ({"movie_id": "abc"}, "movie_id"),
        ({"movie_id": 10**30}, "movie_id"),
        ({"movie_id": None}, "movie_id"),
    ],
)
def test_bad_diary_input_is_400_naming_the_field_and_logs_nothing(
    client_as, user, movie, payload, field
):
    if payload.get("watched_on") == "FUTURE":
        payload = {"watched_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}
    data = {"movie_id": movie.pk, **payload}

    response = client_as("member").post(DIARY, data, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not DiaryEntry.objects.exists()
    assert list(selectors.watched_movie_list(user=user)) == []


def test_a_missing_movie_id_is_400_naming_it(client_as):
    response = client_as("member").post(DIARY, {}, format="json")

    assert response.status_code == 400
    assert "movie_id" in response.json()


def test_several_bad_fields_are_all_named(client_as):
    response = client_as("member").post(
        DIARY, {"movie_id": 999999, "note": "x" * 501, "watched_on": "2999-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert {"movie_id", "note", "watched_on"} <= set(response.json())


def test_a_note_of_exactly_500_characters_is_kept(client_as, movie):
    response = client_as("member").post(
        DIARY, {"movie_id": movie.pk, "note": "y" * 500}, format="json"
    )

    assert response.status_code == 201
    assert len(response.json()["note"]) == 500


# --- reading and changing ----------------------------------------------------------------


def test_diary_is_newest_watch_first_ties_by_latest_logged(client_as, user):
    movies = MovieFactory.create_batch(3)
    old = services.diary_log(user=user, movie_id=movies[0].pk, watched_on="2025-01-01")
    same_day_first = services.diary_log(user=user, movie_id=movies[1].pk, watched_on="2025-06-01")
    same_day_second = services.diary_log(user=user, movie_id=movies[2].pk, watched_on="2025-06-01")

    body = client_as("member").get(DIARY).json()

    assert body["count"] == 3
    assert [e["id"] for e in body["results"]] == [same_day_second.pk, same_day_first.pk, old.pk]


def test_diary_is_paginated(client_as, user):
    movie = MovieFactory()
    for day in range(1, 26):
        services.diary_log(user=user, movie_id=movie.pk, watched_on=f"2025-03-{day:02d}")

    body = client_as("member").get(DIARY).json()

    assert body["count"] == 25
    assert len(body["results"]) == 20
    assert body["next"] is not None


def test_patch_changes_only_what_it_names(client_as, alice_entry):
    response = client_as("member").patch(
        entry_url(alice_entry.pk), {"rewatch": True}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["watched_on"], body["rewatch"], body["note"]) == ("2026-01-02", True, "Lovely.")


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"watched_on": "2999-01-01"}, "watched_on"), ({"note": "z" * 501}, "note")],
)
def test_patch_with_bad_input_is_400_and_changes_nothing(client_as, alice_entry, payload, field):
    response = client_as("member").patch(entry_url(alice_entry.pk), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    alice_entry.refresh_from_db()
    assert (str(alice_entry.watched_on), alice_entry.note) == ("2026-01-02", "Lovely.")


def test_deleting_an_entry_leaves_the_movie_watched(client_as, user, alice_entry, movie):
    assert client_as("member").delete(entry_url(alice_entry.pk)).status_code == 204

    assert list(selectors.watched_movie_list(user=user)) == [movie]


def test_diary_list_stays_at_constant_queries(client_as, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("member")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DIARY).status_code == 200
        return len(captured)

    services.diary_log(user=user, movie_id=MovieFactory().pk)
    few = queries()
    for _ in range(15):
        services.diary_log(user=user, movie_id=MovieFactory().pk)

    assert queries() == few
