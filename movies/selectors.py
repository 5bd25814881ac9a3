"""Reads of the catalogue. Every list prefetches what it renders."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection, connections, router
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from core.catalogue_version import catalogue_version
from core.counts import catalogue_count
from core.filters import apply_filterset
from core.ids import parse_id

from .filters import ActorFilter, GenreFilter, MovieFilter
from .models import CastMember, Genre, Movie, Person
from .representations import MOVIE_COLUMNS
from .search import suggestion_queries

# Suggestions: at most this many (API.md), and nothing for fewer characters than this.
SUGGEST_MAX_LIMIT = 20
SUGGEST_DEFAULT_LIMIT = 8
SUGGEST_MIN_LENGTH = 2


def movie_queryset() -> QuerySet[Movie]:
    """Movies with their genres, directors and billed cast (with the people) prefetched,
    newest first (ties by id): three queries for a page, whatever its size."""
    return Movie.objects.prefetch_related(
        Prefetch("genres", queryset=Genre.objects.order_by("name", "id")),
        Prefetch("directors", queryset=Person.objects.order_by("name", "id")),
        Prefetch(
            "cast_members",
            queryset=CastMember.objects.select_related("person").order_by("order", "id"),
        ),
    ).order_by("-created_at", "-id")


def movie_base_queryset() -> QuerySet[Movie]:
    """Movies newest first (ties by id), nothing prefetched: for ``movie_rows``."""
    return Movie.objects.order_by("-created_at", "-id")


def movie_values(
    queryset: QuerySet[Movie], *, columns: tuple[str, ...] = MOVIE_COLUMNS
) -> QuerySet:
    """``queryset`` as dicts of only the ``columns`` shown: page it, then ``movie_rows``."""
    return queryset.prefetch_related(None).values(*columns)


def movie_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` (from ``movie_values``, paged already) with each movie's ``genres`` and
    ``directors`` (``{id, name}``, by name then id) and ``cast`` (``{id, name, character,
    order}``, in billing order): one query a relation however many movies, and no model
    instances. The lean read path's source; ``movies.representations`` shapes the rows.

    The three queries are fixed SQL over the link tables (``_relation_sql``), run on the
    connection the ORM would read them from: building them through the ORM (a queryset,
    its joins and compiler, per relation and per request) cost more than running them.
    """
    rows = list(rows)
    if not rows:
        return rows
    by_id: dict[int, dict[str, Any]] = {}
    for row in rows:
        row["genres"], row["directors"], row["cast"] = [], [], []
        by_id[row["id"]] = row
    ids = list(by_id)
    placeholders = ", ".join(["%s"] * len(ids))
    genres_sql, directors_sql, cast_sql = _relation_sql()
    with connections[router.db_for_read(CastMember)].cursor() as cursor:
        for relation, sql in (("genres", genres_sql), ("directors", directors_sql)):
            cursor.execute(sql.format(ids=placeholders), ids)
            for movie_id, related_id, related_name in cursor.fetchall():
                by_id[movie_id][relation].append({"id": related_id, "name": related_name})
        cursor.execute(cast_sql.format(ids=placeholders), ids)
        for movie_id, person_id, person_name, character, order in cursor.fetchall():
            by_id[movie_id]["cast"].append(
                {"id": person_id, "name": person_name, "character": character, "order": order}
            )
    return rows


@functools.cache
def _relation_sql() -> tuple[str, str, str]:
    """The SQL of ``movie_rows``' three queries, with ``{ids}`` for the movies' ids: what
    ``through.objects.filter(movie_id__in=ids).order_by("genre__name", "genre_id")
    .values_list("movie_id", "genre_id", "genre__name")`` (and the same for directors and
    the cast lines) compiles to, table and column names taken from the models (S608:
    nothing in it comes from a request; the ids are parameters)."""
    quote = connection.ops.quote_name

    def named(through, column: str, target) -> str:
        link, table = quote(through._meta.db_table), quote(target._meta.db_table)
        column = quote(through._meta.get_field(column).column)
        return (
            f"SELECT {link}.{quote('movie_id')}, {link}.{column}, {table}.{quote('name')}"  # noqa: S608
            f" FROM {link} INNER JOIN {table} ON ({link}.{column} = {table}.{quote('id')})"
            f" WHERE {link}.{quote('movie_id')} IN ({{ids}})"
            f" ORDER BY {table}.{quote('name')} ASC, {link}.{column} ASC"
        )

    cast, person = quote(CastMember._meta.db_table), quote(Person._meta.db_table)
    cast_sql = (
        f"SELECT {cast}.{quote('movie_id')}, {cast}.{quote('person_id')}, {person}.{quote('name')},"  # noqa: S608
        f" {cast}.{quote('character')}, {cast}.{quote('order')}"
        f" FROM {cast} INNER JOIN {person} ON ({cast}.{quote('person_id')} = {person}.{quote('id')})"
        f" WHERE {cast}.{quote('movie_id')} IN ({{ids}})"
        f" ORDER BY {cast}.{quote('order')} ASC, {cast}.{quote('id')} ASC"
    )
    return (
        named(Movie.genres.through, "genre", Genre),
        named(Movie.directors.through, "person", Person),
        cast_sql,
    )


def movie_row(*, movie_id: int | str) -> dict[str, Any] | None:
    """One movie as ``movie_rows`` gives it, or ``None``."""
    try:
        queryset = Movie.objects.filter(pk=int(movie_id))
    except (TypeError, ValueError):
        return None
    rows = movie_rows(movie_values(queryset))
    return rows[0] if rows else None


def movie_card_queryset() -> QuerySet[Movie]:
    """Movies as a card shows them: only the card's columns, and the genres' names;
    newest first (ties by id)."""
    return (
        Movie.objects.only(
            "id", "title", "image", "image_sizes", "rating", "release_date", "created_at"
        )
        .prefetch_related(
            Prefetch("genres", queryset=Genre.objects.only("id", "name").order_by("name", "id"))
        )
        .order_by("-created_at", "-id")
    )


def movie_card_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Movie]:
    """Movies matching ``filters`` (``MovieFilter``), for a page of cards."""
    return apply_filterset(MovieFilter, filters, movie_card_queryset())


def genre_movie_cards(*, genre: Genre) -> QuerySet[Movie]:
    """The movies of one genre, newest first, for a page of cards (counted by PostgreSQL's
    triggers, ``MovieQuerySet.stored_count``)."""
    return movie_card_queryset().in_genres([genre.pk])


def movie_list(
    *, filters: Mapping[str, Any] | None = None, prefetch: bool = True
) -> QuerySet[Movie]:
    """Movies matching ``filters`` (the keys of ``MovieFilter``); ``prefetch=False``:
    nothing prefetched, for a reader that loads only what it shows (GraphQL)."""
    queryset = movie_queryset() if prefetch else movie_base_queryset()
    return apply_filterset(MovieFilter, filters, queryset)


def movie_count(*, filters: Mapping[str, Any] | None = None) -> int:
    """How many movies match ``filters``: exact, kept until the next catalogue write
    (``core.counts``), so counting a million matches is paid once per write."""
    return catalogue_count(apply_filterset(MovieFilter, filters, Movie.objects.all()))


def movie_get(*, movie_id: int | str, queryset: QuerySet[Movie] | None = None) -> Movie | None:
    """One movie with its relations (from ``queryset`` if given: GraphQL's, with only
    the columns and relations a document selects), or ``None``."""
    if queryset is None:
        queryset = movie_queryset()
    try:
        return queryset.get(pk=int(movie_id))
    except (Movie.DoesNotExist, TypeError, ValueError):
        return None


def movie_suggestions(*, q: str, limit: int = SUGGEST_DEFAULT_LIMIT) -> list[Movie]:
    """Titles for a search box as the user types ``q``, best first, at most ``limit`` (≤ 20).

    First titles that start with ``q``, then titles with words that start with its
    words, then (PostgreSQL) titles a typo away; each step only runs while the
    list is short, and each is one indexed query. Fewer than 2 characters: ``[]``.
    """
    limit = max(0, min(int(limit), SUGGEST_MAX_LIMIT))
    text = " ".join((q or "").split())
    if len(text) < SUGGEST_MIN_LENGTH or not limit:
        return []
    found: list[Movie] = []
    # The steps are lazy: one that is not needed is never prepared (no typo correction
    # or count once the list is full).
    for queryset in suggestion_queries(Movie.objects.all(), text):
        found += queryset.exclude(pk__in=[movie.pk for movie in found])[: limit - len(found)]
        if len(found) >= limit:
            break
    return found


def genre_movie_list(*, genre: Genre) -> QuerySet[Movie]:
    """The movies of one genre (by id, not by the name filter), newest first."""
    return movie_queryset().filter(genres=genre)


def actor_movie_list(*, actor: Person) -> QuerySet[Movie]:
    """The movies one person acts in (by id: the name filter matches substrings), newest first."""
    return movie_queryset().filter(
        Exists(CastMember.objects.filter(movie=OuterRef("pk"), person=actor))
    )


def _newest_release_first(queryset: QuerySet[Movie]) -> QuerySet[Movie]:
    return queryset.order_by(F("release_date").desc(nulls_last=True), "-created_at", "-id")


def person_acting_credits(*, person: Person) -> QuerySet[Movie]:
    """The movies ``person`` acts in, newest release first (undated last), each with the
    person's character as ``character``."""
    lines = CastMember.objects.filter(movie=OuterRef("pk"), person=person)
    return _newest_release_first(
        movie_queryset()
        .filter(Exists(lines))
        .annotate(character=Subquery(lines.values("character")[:1]))
    )


def person_directing_credits(*, person: Person) -> QuerySet[Movie]:
    """The movies ``person`` directed, newest release first (undated last): one query,
    for a list of titles and years (nothing prefetched)."""
    links = Movie.directors.through.objects.filter(movie_id=OuterRef("pk"), person=person)
    return _newest_release_first(Movie.objects.filter(Exists(links)))


def director_movie_list(*, director: Person) -> QuerySet[Movie]:
    """The movies one person directed (by id), newest first (as ``actor_movie_list``)."""
    links = Movie.directors.through.objects.filter(movie_id=OuterRef("pk"), person=director)
    return movie_queryset().filter(Exists(links))


def genre_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Genre]:
    return apply_filterset(GenreFilter, filters, Genre.objects.order_by("name", "id"))


def actor_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Person]:
    """People (actors and directors alike), by name then id."""
    return apply_filterset(ActorFilter, filters, Person.objects.order_by("name", "id"))


def named_rows(queryset: QuerySet[Genre] | QuerySet[Person]) -> QuerySet:
    """Genres or actors as ``{id, name}`` dicts: only the columns shown, no instances."""
    return queryset.values("id", "name")


def genre_get(*, genre_id: int | str) -> Genre | None:
    """One genre, or ``None``."""
    try:
        return Genre.objects.get(pk=int(genre_id))
    except (Genre.DoesNotExist, TypeError, ValueError):
        return None


def actor_get(*, actor_id: int | str) -> Person | None:
    """One person, or ``None``."""
    try:
        return Person.objects.get(pk=int(actor_id))
    except (Person.DoesNotExist, TypeError, ValueError, OverflowError):
        return None


#: How many movies a row of the home page shows.
HOME_ROW_SIZE = 12

#: The home page's rows by id (the id is also the prefix of every id in the row's cards,
#: and the part of the row's URL, so it never changes): each row's heading and order.
#: Genre rows follow, one a genre with movies, ``"<genre id>-genre"``, best rated first.
HOME_ROWS: dict[str, str] = {
    "top-rated": "Top rated",
    "recent": "Recently added",
    "popular": "Popular with members",
}
#: The rows the home page renders inline: above the fold on a phone, one row of cards;
#: the others (from "Recently added" on) load when they scroll into view (``home_row``).
HOME_INLINE_ROWS = ("top-rated",)


@dataclass(frozen=True)
class HomeRow:
    """One row of the home page: its stable ``id``, its ``heading``, the ``genre`` of a
    genre row (else ``None``) and, once read, its ``movies`` (cards, with their genres)."""

    id: str
    heading: str
    genre: Genre | None = None
    movies: list[Movie] | None = None


def _home_row_order(row_id: str, genre: Genre | None) -> QuerySet[Movie]:
    """A row's movies in its order, as cards (only the card's columns), without their
    genres (``_with_genre_names`` reads them for all the cards at once)."""
    movies = movie_card_queryset().prefetch_related(None)
    if genre is not None:
        return movies.filter(genres=genre).order_by("-rating", "-id")
    if row_id == "top-rated":
        return movies.order_by("-rating", "-id")
    if row_id == "popular":  # most rated by members; none rated yet, an empty row
        return movies.filter(members_rating_count__gt=0).order_by("-members_rating_count", "-id")
    return movies.order_by("-created_at", "-id")


def _with_genre_names(movies: list[Movie]) -> list[Movie]:
    """``movies`` with the genres their cards list (``id`` and ``name``, by name then id)
    from one query of fixed SQL (``movie_rows``' genres query): prefetching through the
    ORM built a join, a compiler and a queryset a movie, about a tenth of a cold home
    page. They go to ``movie.card_genres`` only; ``movie.genres`` stays the plain
    relation (a query if something else asks it)."""
    by_id: dict[int, list[Genre]] = {movie.pk: [] for movie in movies}
    if by_id:
        with connections[router.db_for_read(Genre)].cursor() as cursor:
            cursor.execute(
                _relation_sql()[0].format(ids=", ".join(["%s"] * len(by_id))), list(by_id)
            )
            for movie_id, genre_id, name in cursor.fetchall():
                by_id[movie_id].append(Genre(id=genre_id, name=name))
    for movie in movies:
        movie.read_card_genres = by_id[movie.pk]
    return movies


@functools.cache
def _home_row_sql(row_id: str, per_row: int, alias: str) -> tuple[str, tuple[Any, ...]]:
    return _home_row_order(row_id, None)[:per_row].using(alias).query.sql_with_params()


def _home_row_movies(row_id: str, per_row: int) -> list[Movie]:
    """A row's movies (not a genre's row), as ``_home_row_order`` reads them, from its SQL
    compiled once a process: building the queryset and compiling it cost twice running
    it. The same SQL, so the same plan (movies/tests/test_explain.py)."""
    alias = router.db_for_read(Movie)
    sql, params = _home_row_sql(row_id, per_row, alias)
    return list(Movie.objects.using(alias).raw(sql, params))


@functools.cache
def _home_lazy_rows_sql() -> str:
    """``_home_lazy_rows``' query: a row of NULLs when any movie was rated by a member
    (the "popular" row's index, movies_popular_row), then each genre with movies (the
    link table's genre index), by name then id. Fixed SQL, names from the models (S608:
    nothing comes from a request)."""
    quote = connection.ops.quote_name
    movie, genre = quote(Movie._meta.db_table), quote(Genre._meta.db_table)
    link = quote(Movie.genres.through._meta.db_table)
    rated = quote(Movie._meta.get_field("members_rating_count").column)
    return (
        f"SELECT NULL, NULL WHERE EXISTS (SELECT 1 FROM {movie} WHERE {movie}.{rated} > 0)"  # noqa: S608
        f" UNION ALL SELECT {genre}.{quote('id')}, {genre}.{quote('name')} FROM {genre}"
        f" WHERE EXISTS (SELECT 1 FROM {link} WHERE {link}.{quote('genre_id')} = {genre}.{quote('id')})"
        " ORDER BY 2, 1"  # the NULL row sorts first or last (SQLite, PostgreSQL): it is taken out
    )


def _home_lazy_rows() -> tuple[bool, list[tuple[int, str]]]:
    """Whether any movie was rated by a member, and the genres that have movies as (id,
    name) by name then id: one round trip of fixed SQL (two ORM queries cost about a
    tenth of a cold home page to build)."""
    with connections[router.db_for_read(Genre)].cursor() as cursor:
        cursor.execute(_home_lazy_rows_sql())
        rows = cursor.fetchall()
    genres = [(pk, name) for pk, name in rows if pk is not None]
    return len(genres) < len(rows), genres


def home_rows(*, per_row: int = HOME_ROW_SIZE) -> dict[str, Any]:
    """The home page, in a fixed number of queries however big the catalogue: ``inline``,
    the rows shown at once with their movies (:data:`HOME_INLINE_ROWS`); ``lazy``, the
    rows that load when scrolled to (:func:`home_row`), without movies: "popular" when a
    member has rated a movie, then one row a genre that has movies, by name; and ``all``,
    the inline rows' movies, each once (for one look-up of the visitor's marks)."""
    inline = [
        HomeRow(row_id, HOME_ROWS[row_id], movies=_home_row_movies(row_id, per_row))
        for row_id in HOME_INLINE_ROWS
    ]
    _with_genre_names([movie for row in inline for movie in row.movies])  # one query for all
    # The rows below the fold, without their movies: "popular" only once a member has
    # rated a movie, then the genres that have movies (bare id and name), by name.
    popular, genres = _home_lazy_rows()
    lazy = [
        HomeRow(row_id, HOME_ROWS[row_id])
        for row_id in HOME_ROWS
        if row_id not in HOME_INLINE_ROWS and (row_id != "popular" or popular)
    ]
    lazy += [HomeRow(f"{pk}-genre", name, genre=Genre(id=pk, name=name)) for pk, name in genres]
    everything = {movie.pk: movie for row in inline for movie in row.movies}
    return {"inline": inline, "lazy": lazy, "all": list(everything.values())}


def home_row(*, row_id: str, per_row: int = HOME_ROW_SIZE) -> HomeRow | None:
    """One row of the home page with its movies (two queries, three for a genre), or
    ``None`` for an id that names no row (a genre that does not exist)."""
    genre = None
    if row_id.endswith("-genre"):
        genre_id = parse_id(row_id.removesuffix("-genre"))
        genre = genre_get(genre_id=genre_id) if genre_id is not None else None
        if genre is None or row_id != f"{genre.pk}-genre":  # "012-genre" is not a row
            return None
        heading = genre.name
    elif row_id in HOME_ROWS:
        heading = HOME_ROWS[row_id]
    else:
        return None
    movies = _with_genre_names(list(_home_row_order(row_id, genre)[:per_row]))
    return HomeRow(row_id, heading, genre, movies)


def catalogue_has_tmdb_data() -> bool:
    """Whether any movie came from TMDB (has a ``tmdb_id``): the footer then shows TMDB's
    attribution. Cached per catalogue version, so a page costs no query once known."""
    key = f"catalogue:has-tmdb:{catalogue_version()}"
    found = cache.get(key)
    if found is None:
        found = Movie.objects.filter(tmdb_id__isnull=False).exists()
        cache.set(key, found, timeout=3600)
    return bool(found)


# --- Similar movies ----------------------------------------------------------------------

SIMILAR_DEFAULT = 8
SIMILAR_MAX = 20
#: Cached rankings are kept this long at most (the catalogue version retires them sooner).
SIMILAR_CACHE_SECONDS = 60 * 60


def _shared(through: QuerySet, column: str, movie_id: int) -> Subquery:
    """How many of ``movie_id``'s ``column`` values (its genres, cast, directors) the
    outer movie shares: a correlated count over one link table."""
    theirs = through.filter(movie_id=movie_id).values(column)
    shared = (
        through.filter(movie_id=OuterRef("pk"), **{f"{column}__in": theirs})
        .order_by()
        .values("movie_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(shared, output_field=IntegerField()), 0)


def similar_movie_ids(*, movie_id: int, exclude: Iterable[int] = ()) -> list[int]:
    """THE rule of "similar": the ids of up to :data:`SIMILAR_MAX` other movies ranked by
    how many genres, cast members and directors they share with ``movie_id`` (each
    shared one counts 1), then by the members' average rating (unrated last), then by
    id. Movies sharing nothing are left out; so is the movie itself and ``exclude``.

    One query; the ranking (without ``exclude``) is cached under the catalogue version,
    so any change to the catalogue or to members' ratings retires it at once.
    """
    exclude = set(exclude)
    key = f"movies:similar:{catalogue_version()}:{movie_id}"
    ranked = cache.get(key)
    if ranked is None:
        genres = Movie.genres.through.objects
        directors = Movie.directors.through.objects
        ranked = list(
            Movie.objects.exclude(pk=movie_id)
            .annotate(
                shared=_shared(genres, "genre_id", movie_id)
                + _shared(CastMember.objects, "person_id", movie_id)
                + _shared(directors, "person_id", movie_id)
            )
            .filter(shared__gt=0)
            .order_by(F("shared").desc(), F("members_rating_average").desc(nulls_last=True), "id")
            .values_list("pk", flat=True)[: SIMILAR_MAX + SIMILAR_EXCLUDE_MARGIN]
        )
        cache.set(key, ranked, SIMILAR_CACHE_SECONDS)
    return [pk for pk in ranked if pk not in exclude][:SIMILAR_MAX]


#: Extra candidates kept in the cached ranking, so that leaving out what a member has
#: already watched still leaves a full row for most members.
SIMILAR_EXCLUDE_MARGIN = 40


def similar_movie_list(
    *, movie_id: int, limit: int = SIMILAR_DEFAULT, exclude: Iterable[int] = ()
) -> list[Movie]:
    """The movies most like ``movie_id`` (see :func:`similar_movie_ids`), at most
    ``limit`` (capped at :data:`SIMILAR_MAX`), with what a card shows prefetched: a
    fixed number of queries (none for the ranking while it is cached)."""
    limit = max(0, min(limit, SIMILAR_MAX))
    ids = similar_movie_ids(movie_id=movie_id, exclude=exclude)[:limit]
    if not ids:
        return []
    by_id = {movie.pk: movie for movie in movie_queryset().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]
