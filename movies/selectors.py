"""Reads of the catalogue. Every list prefetches what it renders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet

from core.filters import apply_filterset

from .filters import ActorFilter, GenreFilter, MovieFilter
from .models import Actor, Genre, Movie
from .representations import MOVIE_COLUMNS


def movie_queryset() -> QuerySet[Movie]:
    """Movies with their genres and actors prefetched, newest first (ties by id)."""
    return Movie.objects.prefetch_related(
        Prefetch("genres", queryset=Genre.objects.order_by("name", "id")),
        Prefetch("actors", queryset=Actor.objects.order_by("name", "id")),
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
    ``actors`` (``{id, name}``, by name then id): one query a relation however many movies,
    and no model instances. The lean read path's source; ``movies.representations``
    shapes the rows."""
    rows = list(rows)
    if not rows:
        return rows
    by_id: dict[int, dict[str, Any]] = {}
    for row in rows:
        row["genres"] = []
        row["actors"] = []
        by_id[row["id"]] = row
    for relation, through, name in (
        ("genres", Movie.genres.through, "genre"),
        ("actors", Movie.actors.through, "actor"),
    ):
        links = (
            through.objects.filter(movie_id__in=list(by_id))
            .order_by(f"{name}__name", f"{name}_id")
            .values_list("movie_id", f"{name}_id", f"{name}__name")
        )
        for movie_id, related_id, related_name in links:
            by_id[movie_id][relation].append({"id": related_id, "name": related_name})
    return rows


def movie_row(*, movie_id: int | str) -> dict[str, Any] | None:
    """One movie as ``movie_rows`` gives it, or ``None``."""
    try:
        queryset = Movie.objects.filter(pk=int(movie_id))
    except (TypeError, ValueError):
        return None
    rows = movie_rows(movie_values(queryset))
    return rows[0] if rows else None


def movie_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Movie]:
    """Movies matching ``filters`` (the keys of ``MovieFilter``)."""
    return apply_filterset(MovieFilter, filters, movie_queryset())


def movie_get(*, movie_id: int | str) -> Movie | None:
    """One movie with its relations, or ``None``."""
    try:
        return movie_queryset().get(pk=int(movie_id))
    except (Movie.DoesNotExist, TypeError, ValueError):
        return None


def genre_movie_list(*, genre: Genre) -> QuerySet[Movie]:
    """The movies of one genre (by id, not by the name filter), newest first."""
    return movie_queryset().filter(genres=genre)


def actor_movie_list(*, actor: Actor) -> QuerySet[Movie]:
    """The movies one actor appears in (by id: the name filter matches substrings), newest first."""
    return movie_queryset().filter(actors=actor)


def genre_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Genre]:
    return apply_filterset(GenreFilter, filters, Genre.objects.order_by("name", "id"))


def actor_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Actor]:
    return apply_filterset(ActorFilter, filters, Actor.objects.order_by("name", "id"))


def named_rows(queryset: QuerySet[Genre] | QuerySet[Actor]) -> QuerySet:
    """Genres or actors as ``{id, name}`` dicts: only the columns shown, no instances."""
    return queryset.values("id", "name")


def genre_get(*, genre_id: int | str) -> Genre | None:
    """One genre, or ``None``."""
    try:
        return Genre.objects.get(pk=int(genre_id))
    except (Genre.DoesNotExist, TypeError, ValueError):
        return None


def actor_get(*, actor_id: int | str) -> Actor | None:
    """One actor, or ``None``."""
    try:
        return Actor.objects.get(pk=int(actor_id))
    except (Actor.DoesNotExist, TypeError, ValueError):
        return None
