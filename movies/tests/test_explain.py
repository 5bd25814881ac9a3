"""Every read of the movie list can use an index on PostgreSQL: the planner's own word.

A few thousand synthetic movies (``seed_catalogue``), fresh statistics, then
``EXPLAIN`` of the page query and the count query of each read: none may scan
the whole movies table. PostgreSQL only: SQLite's plans are not the production ones.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import EmptyResultSet
from django.core.management import call_command
from django.db import connection, transaction

from movies import selectors
from movies.models import Movie
from movies.search import suggestion_queries

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
    pytest.mark.slow,
]

SEQ_SCAN_ON_MOVIES = re.compile(r"Seq Scan on movies_movie(\s|$)", re.MULTILINE)

READS = {
    "the list": {},
    "search": {"search": "detective"},
    "search without a hit": {"search": "zzqx"},
    "search, two words": {"search": "quiet harbour"},
    "search, phrase and exclusion": {"search": '"last sheriff" -zürich'},
    "search with filters and an order": {
        "genre": "3",
        "min_rating": "2",
        "search": "river",
        "ordering": "-rating",
    },
    "title": {"title": "lisbon"},
    "genre by id": {"genre": "3"},
    "genre by name": {"genre": "drama"},
    "actor by id": {"actor": "5"},
    "actor by name": {"actor": "nakamura"},
    "minimum rating": {"min_rating": "4.5"},
    "maximum rating": {"max_rating": "1"},
    "director by id": {"director": "5"},
    "director by name": {"director": "nakamura"},
    "years": {"year_from": "1990", "year_to": "1999"},
    **{
        f"ordering={prefix}{field}": {"ordering": f"{prefix}{field}"}
        for field in ("title", "rating", "created_at", "release_date", "runtime", "members_rating")
        for prefix in ("", "-")
    },
}


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def page_plan(queryset) -> str:
    """The plan of a page; "" when the page needs no query (a search whose parts were
    counted empty, movies.models.MovieQuerySet.in_two_tiers)."""
    try:
        sql, params = queryset[:20].query.sql_with_params()
    except EmptyResultSet:
        return ""
    return explain(sql, params)


def count_plan(queryset) -> str:
    # What Paginator.count() runs: the same filters, no order.
    sql, params = queryset.order_by().query.sql_with_params()
    return explain(f"SELECT count(*) FROM ({sql}) counted", params)  # noqa: S608


@pytest.fixture
def catalogue(django_db_blocker):
    call_command("seed_catalogue", movies=6000, actors=3000, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.django_db(transaction=True)
def test_no_read_of_the_movie_list_scans_the_movies_table(catalogue):
    assert Movie.objects.count() == 6000
    scans = {}
    for name, filters in READS.items():
        queryset = selectors.movie_list(filters=filters)
        for kind, plan in (("page", page_plan(queryset)), ("count", count_plan(queryset))):
            if SEQ_SCAN_ON_MOVIES.search(plan):
                scans[f"{name} ({kind})"] = plan
    assert scans == {}


@pytest.mark.django_db(transaction=True)
def test_search_and_suggestions_read_their_indexes(catalogue):
    # Title matches first, found by the title's own index (movies.search.TitleVector).
    search_plan = page_plan(selectors.movie_list(filters={"search": "detective"}))
    assert "movie_title_vector_gin" in search_plan
    assert "movie_title_upper_trgm" in count_plan(selectors.movie_list(filters={"title": "lisb"}))
    starts, words, *_ = suggestion_queries(Movie.objects.all(), "the light")
    assert "movie_title_key" in page_plan(starts)
    assert "movie_title_vector_gin" in page_plan(words)
    *_, typos = suggestion_queries(Movie.objects.all(), "the lighthose")
    # The typo is corrected against the title words' table, then titles are found by
    # the title's own index, not compared one by one.
    assert "lighthouse" in str(typos.query)
    assert "movie_title_vector_gin" in page_plan(typos)
    for queryset in (starts, words, typos):
        assert not SEQ_SCAN_ON_MOVIES.search(page_plan(queryset))


@pytest.mark.django_db(transaction=True)
def test_name_filters_of_genres_and_actors_can_use_trigram_indexes(catalogue):
    # Genres and actors are small tables, where walking them is rightly cheaper; with
    # full scans (of the table or of the name index) priced out, the plan shows that
    # an index serves the substring filter.
    with transaction.atomic():
        with connection.cursor() as cursor:
            for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
                cursor.execute(f"SET LOCAL {setting} = off")
        genres = page_plan(selectors.genre_list(filters={"name": "dram"}))
        actors = page_plan(selectors.actor_list(filters={"name": "naka"}))
    assert "genre_name_upper_trgm" in genres
    assert "actor_name_upper_trgm" in actors


@pytest.mark.django_db(transaction=True)
def test_no_row_of_the_home_page_scans_the_movies_table(catalogue):
    genre_id = Movie.genres.through.objects.values_list("genre_id", flat=True).first()
    rows = ["top-rated", "recent", "popular", f"{genre_id}-genre"]
    scans = {}
    for row_id in rows:
        genre = selectors.genre_get(genre_id=genre_id) if row_id.endswith("-genre") else None
        plan = page_plan(selectors._home_row_order(row_id, genre))
        if SEQ_SCAN_ON_MOVIES.search(plan):
            scans[row_id] = plan
    assert scans == {}


@pytest.mark.django_db(transaction=True)
def test_the_home_pages_rows_below_the_fold_are_read_without_scanning_the_movies(catalogue):
    # Whether any movie is popular (the popular row's index) and the genres with movies
    # (the link table's genre index), in one query of fixed SQL.
    plan = explain(selectors._home_lazy_rows_sql(), [])
    assert not SEQ_SCAN_ON_MOVIES.search(plan), plan
    assert "Seq Scan on movies_movie_genres" not in plan, plan
