"""The watchlist over REST: profiles/me/watchlist/<movie_id>/, the profile's
``watchlist_movies`` and ``is_public``, and the one rule: watched leaves the watchlist."""

from __future__ import annotations

import pytest

from users import selectors, services
from users.models import UserProfile

from .factories import MovieFactory

pytestmark = pytest.mark.django_db

ME = "/api/users/profiles/me/"


def watchlist(movie_id) -> str:
    return f"/api/users/profiles/me/watchlist/{movie_id}/"


def watched(movie_id) -> str:
    return f"/api/users/profiles/me/watched/{movie_id}/"


def _watchlist_ids(user) -> set[int]:
    return set(selectors.watchlist_movie_list(user=user).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("role", "put", "delete"),
    [
        ("anonymous", 401, 401),
        ("member", 204, 204),
        ("other", 204, 204),
        ("agent", 204, 204),
        ("admin", 204, 204),
    ],
)
def test_watchlist_toggle_permissions_each_caller_changes_only_their_own(
    client_as, user, role, put, delete
):
    movie = MovieFactory()
    client = client_as(role)

    assert client.put(watchlist(movie.pk)).status_code == put
    if role != "anonymous":
        assert movie.pk in {m["id"] for m in client.get(ME).json()["watchlist_movies"]}
    if role not in ("member", "anonymous"):
        assert _watchlist_ids(user) == set()  # alice's list is untouched
    assert client.delete(watchlist(movie.pk)).status_code == delete
    if role != "anonymous":
        assert client.get(ME).json()["watchlist_movies"] == []


def test_watchlist_put_and_delete_are_idempotent(client_as, user):
    movie = MovieFactory()
    client = client_as("member")

    assert client.put(watchlist(movie.pk)).status_code == 204
    assert client.put(watchlist(movie.pk)).status_code == 204
    assert _watchlist_ids(user) == {movie.pk}
    assert client.delete(watchlist(movie.pk)).status_code == 204
    assert client.delete(watchlist(movie.pk)).status_code == 204
    assert _watchlist_ids(user) == set()


def test_watchlist_put_of_an_unknown_movie_is_404_and_adds_nothing(client_as, user):
    assert client_as("member").put(watchlist(999999)).status_code == 404
    assert client_as("member").put(watchlist(10**30)).status_code == 404
    assert _watchlist_ids(user) == set()


def test_marking_watched_takes_the_movie_off_the_watchlist(client_as, user):
    kept, seen = MovieFactory(), MovieFactory()
    client = client_as("member")
    client.put(watchlist(kept.pk))
    client.put(watchlist(seen.pk))

    assert client.put(watched(seen.pk)).status_code == 204

    body = client.get(ME).json()
    assert [m["id"] for m in body["watchlist_movies"]] == [kept.pk]
    assert [m["id"] for m in body["watched_movies"]] == [seen.pk]


def test_a_watched_movie_may_go_back_on_the_watchlist_to_see_again(client_as, user):
    movie = MovieFactory()
    client = client_as("member")
    client.put(watched(movie.pk))

    client.put(watchlist(movie.pk))

    assert _watchlist_ids(user) == {movie.pk}


def test_profile_reads_watchlist_and_is_public_private_by_default(client_as):
    body = client_as("member").get(ME).json()

    assert body["watchlist_movies"] == []
    assert body["is_public"] is False


def test_profile_patch_writes_watchlist_and_is_public(client_as, user):
    first, second = MovieFactory(), MovieFactory()
    client = client_as("member")

    response = client.patch(
        ME, {"watchlist_movies": [first.pk, second.pk], "is_public": True}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert {m["id"] for m in response.json()["watchlist_movies"]} == {first.pk, second.pk}
    assert response.json()["is_public"] is True
    assert UserProfile.objects.get(user=user).is_public is True


def test_profile_patch_marking_watched_takes_it_off_the_watchlist(client_as, user):
    kept, seen = MovieFactory(), MovieFactory()
    client = client_as("member")
    client.patch(ME, {"watchlist_movies": [kept.pk, seen.pk]}, format="json")

    response = client.patch(ME, {"watched_movies": [seen.pk]}, format="json")

    assert [m["id"] for m in response.json()["watchlist_movies"]] == [kept.pk]


def test_profile_patch_newly_watched_in_the_same_write_stays_off_the_watchlist(client_as, user):
    movie = MovieFactory()

    response = client_as("member").patch(
        ME, {"watched_movies": [movie.pk], "watchlist_movies": [movie.pk]}, format="json"
    )

    assert response.json()["watchlist_movies"] == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"watchlist_movies": [999999]}, "watchlist_movies"),
        ({"watchlist_movies": "nope"}, "watchlist_movies"),
        ({"is_public": "maybe"}, "is_public"),
    ],
)
def test_profile_patch_bad_watchlist_or_is_public_is_400_naming_the_field(
    client_as, payload, field
):
    response = client_as("member").patch(ME, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_profile_put_without_watchlist_keeps_it(client_as, user):
    movie = MovieFactory()
    client = client_as("member")
    client.put(watchlist(movie.pk))

    response = client.put(
        ME.replace("me/", f"{user.profile.pk}/"),
        {"favorite_movies": [], "watched_movies": []},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert [m["id"] for m in response.json()["watchlist_movies"]] == [movie.pk]


def test_watched_add_service_is_atomic_with_the_watchlist(user):
    movie = MovieFactory()
    profile = services.profile_get_or_create(user=user)
    services.watchlist_add(profile=profile, movie_id=movie.pk)

    services.watched_add(profile=profile, movie_id=movie.pk)

    assert _watchlist_ids(user) == set()
    assert list(selectors.watched_movie_list(user=user)) == [movie]


def test_profile_list_stays_at_constant_queries_with_watchlists(admin_client_api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import UserProfileFactory

    movies = MovieFactory.create_batch(3)

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client_api.get("/api/users/profiles/")
        assert response.status_code == 200
        return len(captured)

    UserProfileFactory().watchlist_movies.set(movies)
    admin_client_api.get("/api/users/profiles/")  # the admin's own profile is made once
    few = queries_for_list()
    for _ in range(8):
        UserProfileFactory().watchlist_movies.set(movies)
    many = queries_for_list()

    assert few == many
    body = admin_client_api.get("/api/users/profiles/").json()
    assert sum(len(p["watchlist_movies"]) == 3 for p in body["results"]) == 9
