"""Similar movies: the ranking (shared genres, cast, directors, then members' rating),
/api/movies/<id>/similar/, its limit, its queries and its cache."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from movies import selectors, services

from .factories import GenreFactory, MovieFactory, PersonFactory

pytestmark = pytest.mark.django_db


def similar(movie_id) -> str:
    return f"/api/movies/{movie_id}/similar/"


@pytest.fixture
def catalogue():
    """A seed movie and neighbours sharing 3, 2 (twice: rating decides), 1 and 0 things."""
    drama, crime, war = GenreFactory(name="Drama"), GenreFactory(name="Crime"), GenreFactory()
    star, other_star, director = PersonFactory(), PersonFactory(), PersonFactory()
    seed = MovieFactory(
        title="Seed", genres=[drama, crime], actors=[star, other_star], directors=[director]
    )
    three = MovieFactory(title="Three", genres=[drama], actors=[star], directors=[director])
    two_low = MovieFactory(title="Two low", genres=[drama, crime])
    two_high = MovieFactory(title="Two high", actors=[star, other_star])
    two_unrated = MovieFactory(title="Two unrated", genres=[crime], directors=[director])
    one = MovieFactory(title="One", genres=[crime, war])
    none = MovieFactory(title="None", genres=[war])
    type(seed).objects.filter(pk=two_low.pk).update(
        members_rating_average=Decimal("2.00"), members_rating_count=3
    )
    type(seed).objects.filter(pk=two_high.pk).update(
        members_rating_average=Decimal("4.50"), members_rating_count=2
    )
    return {
        "seed": seed,
        "three": three,
        "two_high": two_high,
        "two_low": two_low,
        "two_unrated": two_unrated,
        "one": one,
        "none": none,
    }


def test_ranked_by_shared_things_then_members_rating_unrated_last_never_itself(
    api_client, catalogue
):
    response = api_client.get(similar(catalogue["seed"].pk))

    assert response.status_code == 200
    assert [m["title"] for m in response.json()] == [
        "Three",
        "Two high",
        "Two low",
        "Two unrated",
        "One",
    ]


def test_each_result_is_a_movie_as_read(api_client, catalogue):
    first = api_client.get(similar(catalogue["seed"].pk)).json()[0]

    assert first["id"] == catalogue["three"].pk
    assert {"genres", "actors", "directors", "cast", "members_rating", "year"} <= set(first)


def test_limit_defaults_to_8_and_is_served_at_most_20(api_client):
    genre = GenreFactory()
    seed = MovieFactory(genres=[genre])
    MovieFactory.create_batch(25, genres=[genre])

    assert len(api_client.get(similar(seed.pk)).json()) == 8
    assert len(api_client.get(similar(seed.pk), {"limit": 3}).json()) == 3
    assert len(api_client.get(similar(seed.pk), {"limit": 500}).json()) == 20
    assert api_client.get(similar(seed.pk), {"limit": 0}).json() == []


@pytest.mark.parametrize("limit", ["abc", "-1", "1.5", "9" * 40])
def test_a_bad_limit_is_400_naming_it(api_client, catalogue, limit):
    response = api_client.get(similar(catalogue["seed"].pk), {"limit": limit})

    assert response.status_code == 400
    assert "limit" in response.json()


def test_unknown_movie_is_404(api_client):
    assert api_client.get(similar(999999)).status_code == 404
    assert api_client.get(similar(10**30)).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "member", "admin"])
def test_anyone_may_read_it_and_nobody_may_write_it(
    role, api_client, user_client, admin_client_api, catalogue
):
    client = {"anonymous": api_client, "member": user_client, "admin": admin_client_api}[role]
    url = similar(catalogue["seed"].pk)

    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code in (401, 403, 405)


def test_a_fixed_small_number_of_queries_however_large_the_catalogue(api_client):
    genre, person = GenreFactory(), PersonFactory()
    seed = MovieFactory(genres=[genre], actors=[person], directors=[person])

    def queries() -> int:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get(similar(seed.pk), {"limit": 20}).status_code == 200
        return len(captured)

    MovieFactory.create_batch(2, genres=[genre], actors=[person], directors=[person])
    few = queries()
    MovieFactory.create_batch(30, genres=[genre], actors=[person], directors=[person])
    many = queries()

    # the movie, the ranking, then the page of movies with genres, directors and cast
    assert few == many <= 6


def test_the_ranking_is_cached_until_the_catalogue_changes(
    catalogue, django_capture_on_commit_callbacks
):
    seed = catalogue["seed"]
    first = selectors.similar_movie_ids(movie_id=seed.pk)

    with CaptureQueriesContext(connection) as captured:
        assert selectors.similar_movie_ids(movie_id=seed.pk) == first
    assert len(captured) == 0

    with django_capture_on_commit_callbacks(execute=True):
        newcomer = services.movie_create(
            title="Newcomer",
            genres=[g.pk for g in seed.genres.all()],
            actors=[p.pk for p in seed.actors],
            directors=[p.pk for p in seed.directors.all()],
        )

    assert selectors.similar_movie_ids(movie_id=seed.pk)[0] == newcomer.pk


def test_exclude_leaves_movies_out(catalogue):
    seed = catalogue["seed"]

    ids = selectors.similar_movie_ids(movie_id=seed.pk, exclude={catalogue["three"].pk})

    assert catalogue["three"].pk not in ids
    assert ids[0] == catalogue["two_high"].pk
