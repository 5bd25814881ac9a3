"""A member's own lists are counted every time, never from the catalogue's kept counts
(core.counts): adding a favorite is not a catalogue write, so a kept count would be old."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from movies.tests.factories import MovieFactory
from users import services

from .factories import UserProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: see test_http_cache


@pytest.fixture(autouse=True)
def _counts_kept(settings):
    settings.CATALOGUE_COUNT_CACHE = True


def favorites_count(client: Client) -> int:
    response = client.get(reverse("users:my_lists"))
    assert response.status_code == 200
    return response.context["favorites"]["page_obj"].paginator.count


def test_a_members_list_count_follows_their_own_changes(user, other_user):
    first, second = MovieFactory(title="Heat"), MovieFactory(title="Ran")
    profile = UserProfileFactory(user=user)
    UserProfileFactory(user=other_user)
    alice, bob = Client(), Client()
    alice.force_login(user)
    bob.force_login(other_user)

    services.favorite_add(profile=profile, movie_id=first.pk)
    assert favorites_count(alice) == 1
    assert favorites_count(bob) == 0
    services.favorite_add(profile=profile, movie_id=second.pk)
    assert favorites_count(alice) == 2
    assert favorites_count(bob) == 0
    services.favorite_remove(profile=profile, movie_id=first.pk)
    assert favorites_count(alice) == 1


def count_queries_of(client: Client, path: str) -> tuple[int, int]:
    """(the list's count, how many queries reading it asked the database for a count: a
    COUNT, or on PostgreSQL the count its triggers keep, ``movies_catalogue_count``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    counting = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() or "movies_catalogue_count" in q["sql"]
    ]
    return response.json()["count"], len(counting)


def test_a_members_rating_keeps_the_catalogues_counts_but_not_its_answers(user, settings):
    """A rating changes what a movie shows (members_rating: the catalogue version moves,
    so no cached answer survives it) but not which movies a list holds: the kept counts
    stay. An admin's write still makes the next read count again."""
    from core.catalogue_version import catalogue_rows_version, catalogue_version
    from movies import services as movie_services

    settings.HTTP_CACHE = False
    heat = MovieFactory(title="Heat")
    MovieFactory(title="Ran")
    client = Client()
    assert count_queries_of(client, "/api/movies/") == (2, 1)
    assert count_queries_of(client, "/api/movies/") == (2, 0)  # kept

    version, rows_version = catalogue_version(), catalogue_rows_version()
    services.rating_set(user=user, movie_id=heat.pk, score="4.5")
    assert catalogue_version() != version
    assert catalogue_rows_version() == rows_version
    assert count_queries_of(client, "/api/movies/") == (2, 0)
    movie = client.get(f"/api/movies/{heat.pk}/").json()
    assert movie["members_rating"] == {"average": 4.5, "count": 1}

    services.rating_delete(user=user, movie_id=heat.pk)
    assert count_queries_of(client, "/api/movies/") == (2, 0)

    movie_services.movie_delete(movie=heat)
    assert count_queries_of(client, "/api/movies/") == (1, 1)
