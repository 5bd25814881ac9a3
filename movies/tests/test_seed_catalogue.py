"""``manage.py seed_catalogue``: a synthetic catalogue, never on top of real data by accident."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from movies.management.commands.seed_catalogue import SEEDED_TABLES
from movies.models import Actor, Genre, Movie
from movies.tests.factories import MovieFactory

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_catalogue", stdout=out, **options)
    return out.getvalue()


def test_seeds_movies_people_genres_and_their_links():
    assert "Seeded 60 movies" in seed(movies=60, actors=40)
    assert Movie.objects.count() == 60
    assert Genre.objects.count() == 20
    assert Actor.objects.count() == 40
    movie = Movie.objects.order_by("id").first()
    assert movie.title
    assert len(movie.plot_summary) > 40
    assert movie.genres.count() == 3
    assert movie.actors.count() == 4
    assert len({m.created_at for m in Movie.objects.all()}) == 60
    # New rows after a seed get fresh ids (the id sequence follows the copied ids).
    assert (
        MovieFactory().pk > Movie.objects.exclude(title__startswith="Movie ").order_by("-id")[0].pk
    )


def test_refuses_a_database_that_holds_movies_unless_forced():
    MovieFactory(title="Real data")
    with pytest.raises(CommandError, match="already holds movies"):
        seed(movies=10)
    assert Movie.objects.count() == 1
    seed(movies=10, force=True)
    assert Movie.objects.count() == 11
    assert Movie.objects.filter(title="Real data").exists()


def test_refuses_a_count_below_one():
    with pytest.raises(CommandError, match="at least 1"):
        seed(movies=0)


def test_seeded_movies_are_searchable(api_client):
    seed(movies=200, actors=50)
    response = api_client.get("/api/movies/", {"search": "the"})
    assert response.status_code == 200
    assert response.json()["count"] > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL statistics")
def test_every_seeded_table_has_statistics_for_the_planner():
    seed(movies=60, actors=40)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND reltuples < 0",
            [list(SEEDED_TABLES)],
        )
        never_analyzed = [row[0] for row in cursor.fetchall()]
    assert never_analyzed == []  # -1: never analyzed, planned as a few pages
