"""Exact counts of catalogue lists are kept until the next catalogue write (core.counts):
a read after a write never shows an old count, and the count stays exact."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.counts import catalogue_count
from movies import selectors, services
from movies.models import Movie

from .factories import GenreFactory, MovieFactory

# Real commits: the catalogue version moves on commit (see test_http_cache).
pytestmark = pytest.mark.django_db(transaction=True)

COUNT = "query($search: String) { moviesCount(search: $search) }"


@pytest.fixture(autouse=True)
def _counts_kept(settings):
    settings.CATALOGUE_COUNT_CACHE = True
    settings.HTTP_CACHE = False  # the counts alone: every read runs its view


def rest_count(client: Client, **params) -> int:
    response = client.get("/api/movies/", params)
    assert response.status_code == 200
    return response.json()["count"]


def graphql_count(client: Client, search: str | None = None) -> int:
    response = client.post(
        "/graphql/",
        {"query": COUNT, "variables": {"search": search}},
        content_type="application/json",
    )
    assert "errors" not in response.json()
    return response.json()["data"]["moviesCount"]


def page_count(client: Client, path: str = "/movies/", **params) -> int:
    response = client.get(path, params)
    assert response.status_code == 200
    return response.context["page_obj"].paginator.count


READS = {"REST": rest_count, "GraphQL": graphql_count, "page": page_count}


@pytest.mark.parametrize("read", list(READS))
def test_a_write_then_a_read_never_shows_an_old_count(read, client):
    count = READS[read]
    MovieFactory(title="The Quiet Harbour")
    assert count(client) == 1
    assert count(client) == 1  # kept

    movie = services.movie_create(title="Storm Over Lisbon")
    assert count(client) == 2

    services.movie_delete(movie=movie)
    assert count(client) == 1


@pytest.mark.parametrize("read", list(READS))
def test_a_filtered_count_follows_a_write_that_changes_the_match(read, client):
    count = READS[read]
    movie = services.movie_create(title="The Quiet Harbour")
    assert count(client, search="harbour") == 1
    services.movie_update(movie=movie, title="Storm Over Lisbon")
    assert count(client, search="harbour") == 0
    assert count(client, search="lisbon") == 1


def test_a_rolled_back_write_leaves_the_kept_count_right(client):
    MovieFactory()
    assert rest_count(client) == 1

    def create_then_fail():
        with transaction.atomic():
            services.movie_create(title="Never Saved")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        create_then_fail()
    assert rest_count(client) == 1
    services.movie_create(title="Saved")
    assert rest_count(client) == 2


def test_a_kept_count_costs_no_query_and_each_filter_has_its_own(client):
    MovieFactory(title="The Quiet Harbour")
    MovieFactory(title="Storm Over Lisbon")
    MovieFactory(title="Lisbon Nights")
    assert rest_count(client, search="lisbon") == 2
    with CaptureQueriesContext(connection) as queries:
        assert rest_count(client, search="lisbon") == 2
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
    # Another parameter is another query, counted on its own.
    assert rest_count(client, search="harbour") == 1
    assert rest_count(client) == 3


@pytest.mark.parametrize(
    "filters",
    [{}, {"search": "harbour"}, {"genre": "Drama"}, {"min_rating": "3"}, {"search": "zzqx"}],
)
def test_the_kept_count_is_exact(filters):
    drama = GenreFactory(name="Drama")
    for n in range(7):
        movie = MovieFactory(title=f"Harbour {n}" if n % 2 else f"Lisbon {n}", rating=n % 5)
        if n % 3:
            movie.genres.add(drama)
    expected = selectors.movie_list(filters=filters).count()
    assert selectors.movie_count(filters=filters) == expected  # counted
    assert selectors.movie_count(filters=filters) == expected  # kept
    assert expected == len(list(selectors.movie_list(filters=filters)))


def test_counting_nothing_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert catalogue_count(Movie.objects.none()) == 0


def test_with_kept_counts_off_every_read_counts(settings, client):
    settings.CATALOGUE_COUNT_CACHE = False
    MovieFactory(title="Harbour")
    assert rest_count(client, title="harb") == 1  # a filter no stored count answers
    with CaptureQueriesContext(connection) as queries:
        assert rest_count(client, title="harb") == 1
    assert any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


def test_a_genre_page_and_the_genre_list_follow_writes(client):
    drama = services.genre_create(name="Drama")
    assert client.get("/api/movies/genres/").json()["count"] == 1
    assert page_count(client, f"/genres/{drama.pk}/") == 0
    services.movie_create(title="Heat", genres=[drama.pk])
    services.genre_create(name="Western")
    assert client.get("/api/movies/genres/").json()["count"] == 2
    assert page_count(client, f"/genres/{drama.pk}/") == 1


# A value for every filter of the catalogue (ordering aside: it never changes a count).
FILTER_VALUES = {
    "search": "harbour",
    "title": "harbour",
    "genre": "1",
    "actor": "1",
    "director": "1",
    "year_from": "1990",
    "year_to": "2020",
    "tmdb_id": "1",
    "min_rating": "1",
    "max_rating": "4",
}


def test_no_catalogue_filter_reads_the_members_ratings():
    """The members' ratings move the catalogue version but not the rows version the
    counts are kept under (core.catalogue_version): that is right only while no filter
    of the catalogue depends on them. A new filter on them must change that first."""
    from core.filters import apply_filterset
    from movies.filters import MovieFilter

    assert set(MovieFilter.base_filters) - {"ordering"} == set(FILTER_VALUES)
    for name, value in FILTER_VALUES.items():
        queryset = apply_filterset(MovieFilter, {name: value}, Movie.objects.all())
        where = str(queryset.order_by().query).partition(" WHERE ")[2]
        assert where, name  # the filter did filter
        assert "members_rating" not in where, name
