"""PostgreSQL keeps the catalogue's and each genre's movie counts (migration 0008,
``movies_catalogue_count``, statement triggers): the unfiltered list and a one-genre list
read their exact count without counting movies, whatever wrote to the catalogue (the
services, REST, bulk operations, raw SQL), under concurrent writers and rollbacks."""

from __future__ import annotations

import re
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.counts import catalogue_count
from movies import selectors, services
from movies.models import Genre, Movie
from movies.postgres import CATALOGUE_COUNT_SQL

from .factories import GenreFactory, MovieFactory
from .test_admin import ADD, CHANGELIST, change_url, form_data

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers"),
    pytest.mark.django_db(transaction=True),
]

Links = Movie.genres.through


def stored_scopes() -> dict[int, int]:
    """Every count the table holds: {0: movies, genre id: its movies}, zeros left out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT scope, sum(delta) FROM movies_catalogue_count GROUP BY scope "
            "HAVING sum(delta) <> 0"
        )
        return {scope: int(total) for scope, total in cursor.fetchall()}


def counted_scopes() -> dict[int, int]:
    """The same, counted from the rows."""
    expected = {0: Movie.objects.count()} if Movie.objects.exists() else {}
    for genre in Genre.objects.all():
        if n := Links.objects.filter(genre_id=genre.pk).count():
            expected[genre.pk] = n
    return expected


def assert_exact() -> None:
    assert stored_scopes() == counted_scopes()
    assert Movie.objects.stored_count() == Movie.objects.count()
    for genre in Genre.objects.all():
        stored = Movie.objects.in_genres([genre.pk]).stored_count()
        assert stored == Movie.objects.filter(genres=genre).count()


@pytest.fixture
def genres():
    return [GenreFactory(name=name) for name in ("Drama", "Western", "Noir")]


def test_the_services_keep_the_counts_exact(genres):
    drama, western, noir = genres
    assert_exact()
    heat = services.movie_create(title="Heat", genres=[drama.pk, noir.pk])
    services.movie_create(title="Rio Bravo", genres=[western.pk])
    assert stored_scopes() == {0: 2, drama.pk: 1, noir.pk: 1, western.pk: 1}
    services.movie_update(movie=heat, genres=[western.pk])
    assert stored_scopes() == {0: 2, western.pk: 2}
    services.genre_delete(genre=western)
    assert stored_scopes() == {0: 2}
    services.movie_delete(movie=heat)
    assert stored_scopes() == {0: 1}
    assert_exact()


def test_rest_writes_keep_the_counts_exact(admin_client_api, genres):
    drama, western, _ = genres
    created = admin_client_api.post(
        "/api/movies/", {"title": "Heat", "genres": [drama.pk]}, format="json"
    )
    assert created.status_code == 201
    movie_id = created.json()["id"]
    assert stored_scopes() == {0: 1, drama.pk: 1}
    response = admin_client_api.patch(
        f"/api/movies/{movie_id}/", {"genres": [drama.pk, western.pk]}, format="json"
    )
    assert response.status_code == 200
    assert stored_scopes() == {0: 1, drama.pk: 1, western.pk: 1}
    admin_client_api.patch(f"/api/movies/{movie_id}/", {"genres": []}, format="json")
    assert stored_scopes() == {0: 1}
    assert admin_client_api.delete(f"/api/movies/{movie_id}/").status_code == 204
    assert stored_scopes() == {}
    assert_exact()


def test_the_admin_keeps_the_counts_exact(client, django_user_model, genres):
    drama, western, _ = genres
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-123")
    client.force_login(admin)
    for title in ("Heat", "Ran", "Alien"):
        response = client.post(ADD, form_data(title=title, genres=[drama.pk]))
        assert response.status_code == 302
    assert stored_scopes() == {0: 3, drama.pk: 3}
    heat = Movie.objects.get(title="Heat")
    response = client.post(change_url(heat), form_data(title="Heat", genres=[western.pk]))
    assert response.status_code == 302
    assert stored_scopes() == {0: 3, drama.pk: 2, western.pk: 1}
    response = client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "_selected_action": [m.pk for m in Movie.objects.exclude(pk=heat.pk)],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert stored_scopes() == {0: 1, western.pk: 1}
    client.post(reverse("admin:movies_genre_delete", args=[western.pk]), {"post": "yes"})
    assert stored_scopes() == {0: 1}
    assert_exact()


def test_bulk_writes_and_raw_sql_keep_the_counts_exact(genres):
    drama, western, noir = genres
    movies = Movie.objects.bulk_create(Movie(title=f"Bulk {n}") for n in range(30))
    Links.objects.bulk_create(
        Links(movie_id=movie.pk, genre_id=(drama, western, noir)[n % 3].pk)
        for n, movie in enumerate(movies)
    )
    assert stored_scopes() == {0: 30, drama.pk: 10, western.pk: 10, noir.pk: 10}
    Movie.objects.filter(pk__in=[m.pk for m in movies[:7]]).delete()  # links too
    assert_exact()
    Links.objects.filter(genre_id=noir.pk).update(genre_id=drama.pk)
    assert_exact()
    movies[10].genres.clear()
    movies[11].genres.add(western, noir)
    Genre.objects.filter(pk=western.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO movies_movie_genres (movie_id, genre_id) VALUES (%s, %s)",
                       [movies[12].pk, noir.pk])  # fmt: skip
        cursor.execute("DELETE FROM movies_movie_genres WHERE movie_id = %s", [movies[20].pk])
        cursor.execute("DELETE FROM movies_movie WHERE id = %s", [movies[20].pk])
    assert_exact()
    assert stored_scopes()[0] == 22


def stored_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM movies_catalogue_count")
        return cursor.fetchone()[0]


def test_each_write_folds_the_counts_it_touched_into_one_row_a_scope(genres):
    drama, western, _ = genres
    for n in range(12):
        services.movie_create(title=f"Movie {n}", genres=[(drama, western)[n % 2].pk])
    services.movie_delete(movie=Movie.objects.first())
    assert stored_rows() == len(stored_scopes()) == 3  # not one row a write
    assert_exact()


def test_a_repeatable_read_writer_leaves_its_rows_for_the_next_write_to_fold(genres):
    drama = genres[0]
    services.movie_create(title="Heat", genres=[drama.pk])
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        services.movie_create(title="Ran", genres=[drama.pk])
    assert stored_rows() == 4  # its deltas, not folded
    assert_exact()
    services.movie_create(title="Alien")  # READ COMMITTED: folds what it touches
    assert stored_rows() == 3
    assert stored_scopes() == {0: 3, drama.pk: 2}


def test_a_rolled_back_write_leaves_no_count_behind(genres):
    drama = genres[0]
    MovieFactory(genres=[drama])

    def create_then_fail():
        with transaction.atomic():
            services.movie_create(title="Never Saved", genres=[drama.pk])
            assert Movie.objects.stored_count() == 2  # the transaction sees its own write
            raise RuntimeError

    with pytest.raises(RuntimeError):
        create_then_fail()
    assert stored_scopes() == {0: 1, drama.pk: 1}
    assert_exact()


def test_a_truncate_empties_the_counts(genres):
    MovieFactory.create_batch(3, genres=genres[:1])
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE movies_movie CASCADE")  # Django's flush truncates too
    assert stored_scopes() == {}
    MovieFactory(genres=genres[:1])
    assert_exact()


def test_concurrent_writers_neither_wait_for_each_other_nor_miss_a_count(genres):
    drama = genres[0]
    MovieFactory(genres=[drama])
    opened, written, failed = threading.Event(), threading.Event(), []

    def other_writer():
        try:
            with transaction.atomic():
                services.movie_create(title="Rolled back", genres=[drama.pk])  # folds, holds
                opened.set()
                assert written.wait(10)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        except Exception as error:  # reported to the main thread
            failed.append(error)
        finally:
            opened.set()
            connections.close_all()

    thread = threading.Thread(target=other_writer)
    thread.start()
    try:
        assert opened.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")  # waiting would fail here
            services.movie_create(title="Committed", genres=[drama.pk])
            services.movie_delete(movie=Movie.objects.get(title="Committed"))
            services.movie_create(title="Kept", genres=[drama.pk])
        # While the other transaction is open, readers see only what committed.
        assert Movie.objects.stored_count() == 2
    finally:
        written.set()
        thread.join(20)
    assert not failed
    assert stored_scopes() == {0: 2, drama.pk: 2}
    assert_exact()


@pytest.mark.parametrize(
    "filters", [{}, {"genre": "Drama"}, {"genre": "{drama}"}, {"ordering": "-rating"}]
)
def test_the_list_reads_its_count_without_counting_movies(api_client, genres, filters):
    drama = genres[0]
    MovieFactory.create_batch(3, genres=[drama])
    MovieFactory.create_batch(2, genres=genres[1:])
    filters = {key: value.format(drama=drama.pk) for key, value in filters.items()}
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/api/movies/", filters)
    expected = 3 if "genre" in filters else 5
    assert response.json()["count"] == expected
    sqls = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in sqls if "COUNT(" in sql.upper()]
    assert any("movies_catalogue_count" in sql for sql in sqls)
    assert selectors.movie_count(filters=filters) == expected  # GraphQL's moviesCount


def test_a_genre_page_reads_its_count_without_counting_movies(client, genres):
    drama = genres[0]
    MovieFactory.create_batch(3, genres=[drama])
    MovieFactory(genres=genres[1:])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/genres/{drama.pk}/")
    assert response.context["page_obj"].paginator.count == 3
    assert len(response.context["movies"]) == 3
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize(
    "filters",
    [{"genre": "Drama", "min_rating": "4"}, {"genre": "{drama},{western}"}, {"title": "heat"},
     {"genre": "Drama", "search": "heat"}, {"actor": "1"}],
)  # fmt: skip
def test_any_other_filter_is_counted(genres, filters):
    drama, western, _ = genres
    MovieFactory(title="Heat", genres=[drama], rating=Decimal("4.5"))
    MovieFactory(title="Heat Wave", genres=[drama, western], rating=Decimal("1.0"))
    filters = {k: v.format(drama=drama.pk, western=western.pk) for k, v in filters.items()}
    queryset = selectors.movie_list(filters=filters)
    assert queryset.stored_count() is None
    assert catalogue_count(queryset) == len(list(queryset))


def test_a_genre_named_by_two_genres_is_counted(genres):
    # "7" is a genre's id and another genre's name: both genres' movies, counted.
    drama = genres[0]
    seven = GenreFactory(name=str(drama.pk))
    MovieFactory(genres=[drama])
    MovieFactory(genres=[seven, drama])
    MovieFactory(genres=[seven])
    queryset = selectors.movie_list(filters={"genre": str(drama.pk)})
    assert queryset.stored_count() is None
    assert catalogue_count(queryset) == 3


def test_the_plan_of_a_stored_count_does_not_touch_the_movies():
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {CATALOGUE_COUNT_SQL}", [3])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "movies_catalogue_count" in plan
    assert not re.search(r"movies_movie(_genres)?\b", plan)


def migrate(target: str | None) -> None:
    """To ``target``, or to the latest migrations."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    if target is None:
        executor.migrate(executor.loader.graph.leaf_nodes())
    else:
        executor.migrate([("movies", target)])


def test_the_migration_backfills_and_reverses(genres):
    drama = genres[0]
    MovieFactory.create_batch(2, genres=[drama])
    migrate("0007_title_tier_and_words")
    try:
        assert not _table_exists()
        MovieFactory.create_batch(3, genres=[drama])  # written while nothing keeps counts
    finally:
        migrate(None)
    assert stored_scopes() == {0: 5, drama.pk: 5}
    assert_exact()


def _table_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('movies_catalogue_count') IS NOT NULL")
        return cursor.fetchone()[0]
