"""REST's lean read path, the parts issue 13 cut: no FilterSet for an unfiltered list,
the relations as fixed SQL, the time zone looked up once a list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework import serializers

from movies import representations, selectors
from movies.filters import ActorFilter, GenreFilter, MovieFilter
from movies.models import CastMember, Movie

from .factories import ActorFactory, GenreFactory, MovieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def filtersets_built(monkeypatch):
    """The names of the FilterSets built during the test, in order."""
    built: list[str] = []
    for filterset in (MovieFilter, GenreFilter, ActorFilter):
        original = filterset.__init__

        def spy(self, *args, _original=original, **kwargs):
            built.append(type(self).__name__)
            _original(self, *args, **kwargs)

        monkeypatch.setattr(filterset, "__init__", spy)
    return built


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/api/movies/", ["C", "B", "A"]), ("/api/movies/?page=1&page_size=2", ["C", "B"])],
)
def test_an_unfiltered_list_builds_no_filterset_and_keeps_its_order(
    api_client, filtersets_built, path, expected
):
    for title in ("A", "B", "C"):
        MovieFactory(title=title)

    response = api_client.get(path)

    assert response.status_code == 200
    assert [movie["title"] for movie in response.json()["results"]] == expected
    assert filtersets_built == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ordering=title", ["A", "B", "C"]),
        ("title=b", ["B"]),
        ("search=", ["C", "B", "A"]),  # given, though empty: through the FilterSet
        ("ordering=", ["C", "B", "A"]),
    ],
)
def test_any_filter_parameter_goes_through_the_filterset(
    api_client, filtersets_built, query, expected
):
    for title in ("A", "B", "C"):
        MovieFactory(title=title)

    response = api_client.get(f"/api/movies/?{query}")

    assert response.status_code == 200
    assert [movie["title"] for movie in response.json()["results"]] == expected
    assert filtersets_built == ["MovieFilter"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/movies/?min_rating=lots", "min_rating"),
        ("/api/movies/?year_from=0", "year_from"),
        ("/api/movies/?ordering=budget", "ordering"),
        ("/api/movies/actors/?tmdb_id=x", "tmdb_id"),
    ],
)
def test_a_bad_filter_value_is_still_a_400_naming_it(api_client, path, field):
    response = api_client.get(path)

    assert response.status_code == 400
    assert field in response.json()


def test_genres_and_actors_skip_the_filterset_only_when_unfiltered(api_client, filtersets_built):
    GenreFactory(name="Drama")
    GenreFactory(name="Comedy")
    ActorFactory(name="Ana")

    assert [g["name"] for g in api_client.get("/api/movies/genres/").json()["results"]] == [
        "Comedy",
        "Drama",
    ]
    assert api_client.get("/api/movies/actors/").json()["count"] == 1
    assert filtersets_built == []
    names = api_client.get("/api/movies/genres/?name=dra").json()["results"]
    assert [g["name"] for g in names] == ["Drama"]
    assert filtersets_built == ["GenreFilter"]


def _rows_through_the_orm(ids: list[int]) -> dict[int, dict]:
    """The relations as ``movie_rows`` loaded them through querysets before issue 13."""
    out = {movie_id: {"genres": [], "directors": [], "cast": []} for movie_id in ids}
    for relation, through, name in (
        ("genres", Movie.genres.through, "genre"),
        ("directors", Movie.directors.through, "person"),
    ):
        for movie_id, related_id, related_name in (
            through.objects.filter(movie_id__in=ids)
            .order_by(f"{name}__name", f"{name}_id")
            .values_list("movie_id", f"{name}_id", f"{name}__name")
        ):
            out[movie_id][relation].append({"id": related_id, "name": related_name})
    for movie_id, person_id, person_name, character, order in (
        CastMember.objects.filter(movie_id__in=ids)
        .order_by("order", "id")
        .values_list("movie_id", "person_id", "person__name", "character", "order")
    ):
        out[movie_id]["cast"].append(
            {"id": person_id, "name": person_name, "character": character, "order": order}
        )
    return out


def test_movie_rows_load_what_the_querysets_loaded(movies_of_every_kind):
    # Ties the order must break by id: two directors of one name, cast lines of one order.
    twin_a, twin_b = ActorFactory(name="Sam Lee"), ActorFactory(name="Sam Lee")
    tied = MovieFactory(title="Tied", directors=[twin_b, twin_a], actors=[])
    CastMember.objects.create(movie=tied, person=twin_b, character="Y", order=1)
    CastMember.objects.create(movie=tied, person=twin_a, character="X", order=1)

    rows = selectors.movie_rows(selectors.movie_values(selectors.movie_base_queryset()))

    reference = _rows_through_the_orm([row["id"] for row in rows])
    assert len(rows) == len(movies_of_every_kind) + 1
    for row in rows:
        loaded = {key: row[key] for key in ("genres", "directors", "cast")}
        assert loaded == reference[row["id"]], row["title"]
    by_title = {row["title"]: row for row in rows}
    assert [d["id"] for d in by_title["Tied"]["directors"]] == sorted([twin_a.pk, twin_b.pk])
    assert [line["character"] for line in by_title["Tied"]["cast"]] == ["Y", "X"]


def test_movie_rows_of_no_movies_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.movie_rows([]) == []


@pytest.mark.parametrize("zone", ["UTC", "America/Sao_Paulo", "Asia/Kolkata"])
def test_created_at_reads_as_drf_wrote_it_in_any_time_zone(zone, request_factory_get):
    MovieFactory()
    Movie.objects.update(created_at=dt.datetime(2026, 1, 2, 23, 4, 5, 678901, tzinfo=dt.UTC))
    field = serializers.DateTimeField()
    with timezone.override(zone):
        rows = selectors.movie_rows(selectors.movie_values(selectors.movie_base_queryset()))
        lean = representations.movies(rows, request_factory_get)
        one = representations.movie(rows[0], request_factory_get)
        expected = field.to_representation(Movie.objects.get().created_at)

    assert lean[0]["created_at"] == one["created_at"] == expected


@pytest.fixture
def request_factory_get(rf):
    return rf.get("/api/movies/")
