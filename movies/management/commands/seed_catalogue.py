"""``manage.py seed_catalogue --movies N``: a synthetic catalogue for benchmarks and demos.

Refuses a database that already holds movies unless ``--force`` (then it adds to
them). PostgreSQL gets ``COPY`` (a million movies in minutes), other databases
``bulk_create`` batches. Everything is written in one transaction: an interrupted
run leaves nothing behind.
"""

from __future__ import annotations

import time
from datetime import UTC

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Lower

from core.catalogue_version import bump_catalogue_version
from movies.models import CastMember, Genre, Movie, Person
from movies.seeding import GENRES, CatalogueGenerator

BATCH = 5000
# The tables a seeding fills, directly or through triggers (PostgreSQL; analyzed after).
SEEDED_TABLES = (
    "movies_genre",
    "movies_person",
    "movies_movie",
    "movies_movie_genres",
    "movies_movie_directors",
    "movies_castmember",
    "movies_title_word",
    "movies_catalogue_count",
)


class Command(BaseCommand):
    help = "Fill an empty database with a synthetic catalogue of N movies (benchmarks, demos)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--movies", type=int, required=True, help="How many movies.")
        parser.add_argument(
            "--actors",
            type=int,
            default=None,
            help="How many people (default: a fifth of the movies, from 50 to 20,000).",
        )
        parser.add_argument("--genres-per-movie", type=int, default=3)
        parser.add_argument("--actors-per-movie", type=int, default=4)
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--force", action="store_true", help="Add to a database that already has movies."
        )

    def handle(self, *args, movies: int, actors: int | None, seed: int, force: bool, **options):
        if movies < 1:
            raise CommandError("--movies must be at least 1.")
        if Movie.objects.exists() and not force:
            raise CommandError(
                "The database already holds movies; seed_catalogue only fills an empty one. "
                "Use --force to add to them anyway."
            )
        actors = actors if actors is not None else max(50, min(20_000, movies // 5))
        started = time.monotonic()
        first_id = (Movie.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        generator = CatalogueGenerator(seed=seed, movies=movies, first_id=first_id)
        with transaction.atomic():
            genre_ids = self._genres()
            actor_ids = self._actors(generator.actor_names(actors))
            self._movies(
                generator,
                genre_ids=genre_ids,
                actor_ids=actor_ids,
                genres_per_movie=options["genres_per_movie"],
                actors_per_movie=options["actors_per_movie"],
            )
            bump_catalogue_version()  # cached reads of the catalogue are stale now
        if connection.vendor == "postgresql":
            # Fresh statistics (and the visibility map, for index-only counts); VACUUM
            # cannot run inside a transaction, as when a test calls this command. Every
            # table filled here or by its triggers: a table never analyzed is planned as
            # a few pages (a seq scan and hash of 20,000 people for a page's cast, 3 ms).
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for table in SEEDED_TABLES:
                    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
                    if cursor.fetchone()[0]:
                        cursor.execute(f"{vacuum} {table}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {movies:,} movies, {len(actor_ids):,} people and {len(genre_ids)} genres "
                f"in {time.monotonic() - started:.1f} s."
            )
        )

    def _genres(self) -> list[int]:
        existing = {
            name: pk
            for pk, name in Genre.objects.annotate(key=Lower("name")).values_list("pk", "key")
        }
        Genre.objects.bulk_create(
            Genre(name=name) for name in GENRES if name.lower() not in existing
        )
        return list(Genre.objects.order_by("id").values_list("id", flat=True))

    def _actors(self, names: list[str]) -> list[int]:
        first = (Person.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        for start in range(0, len(names), BATCH):
            Person.objects.bulk_create(
                Person(id=first + start + n, name=name)
                for n, name in enumerate(names[start : start + BATCH])
            )
        self._reset_sequence(Person)
        return list(range(first, first + len(names)))

    def _movies(self, generator, *, genre_ids, actor_ids, genres_per_movie, actors_per_movie):
        rows = generator.movies_iter()
        if connection.vendor == "postgresql":
            self._copy_movies(
                generator, rows, genre_ids, actor_ids, genres_per_movie, actors_per_movie
            )
        else:
            self._bulk_movies(
                generator, rows, genre_ids, actor_ids, genres_per_movie, actors_per_movie
            )
        self._reset_sequence(Movie)

    def _copy_movies(
        self, generator, rows, genre_ids, actor_ids, genres_per_movie, actors_per_movie
    ):
        movie_genres, movie_actors = [], []
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3
            columns = (
                "(id, title, plot_summary, image, rating, created_at, updated_at,"
                " members_rating_count)"
            )
            with raw.copy(f"COPY movies_movie {columns} FROM STDIN") as copy:
                for movie in rows:
                    created = movie.created_at.astimezone(UTC)
                    copy.write_row(
                        (
                            movie.id,
                            movie.title,
                            movie.plot_summary,
                            "",
                            movie.rating,
                            created,
                            created,
                            0,
                        )
                    )
                    movie_genres.append(generator.links(movie.id, genre_ids, genres_per_movie))
                    movie_actors.append(generator.links(movie.id, actor_ids, actors_per_movie))
            first = generator.first_id
            with raw.copy("COPY movies_movie_genres (movie_id, genre_id) FROM STDIN") as copy:
                for n, linked in enumerate(movie_genres):
                    for genre_id in linked:
                        copy.write_row((first + n, genre_id))
            cast_columns = '(movie_id, person_id, "character", "order")'
            with raw.copy(f"COPY movies_castmember {cast_columns} FROM STDIN") as copy:
                for n, linked in enumerate(movie_actors):
                    for order, actor_id in enumerate(linked):
                        copy.write_row((first + n, actor_id, "", order))

    def _bulk_movies(
        self, generator, rows, genre_ids, actor_ids, genres_per_movie, actors_per_movie
    ):
        through_genres = Movie.genres.through
        batch: list = []

        def flush() -> None:
            Movie.objects.bulk_create(
                Movie(
                    id=m.id,
                    title=m.title,
                    plot_summary=m.plot_summary,
                    rating=m.rating,
                    created_at=m.created_at,
                    updated_at=m.created_at,
                )
                for m in batch
            )
            through_genres.objects.bulk_create(
                through_genres(movie_id=m.id, genre_id=g)
                for m in batch
                for g in generator.links(m.id, genre_ids, genres_per_movie)
            )
            CastMember.objects.bulk_create(
                CastMember(movie_id=m.id, person_id=a, order=order)
                for m in batch
                for order, a in enumerate(generator.links(m.id, actor_ids, actors_per_movie))
            )
            batch.clear()

        for movie in rows:
            batch.append(movie)
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()

    @staticmethod
    def _reset_sequence(model) -> None:
        if connection.vendor != "postgresql":
            return  # SQLite continues after the largest id by itself
        table = model._meta.db_table  # a model's own table name, not user input
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {connection.ops.quote_name(table)}))",
                [table],
            )
