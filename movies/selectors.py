"""Reads of the catalogue. Every list prefetches what it renders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber

from core.filters import apply_filterset

from .filters import ActorFilter, GenreFilter, MovieFilter
from .models import Actor, Genre, Movie


def movie_queryset() -> QuerySet[Movie]:
    """Movies with their genres and actors prefetched, newest first (ties by id)."""
    return Movie.objects.prefetch_related(
        Prefetch("genres", queryset=Genre.objects.order_by("name", "id")),
        Prefetch("actors", queryset=Actor.objects.order_by("name", "id")),
    ).order_by("-created_at", "-id")


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


#: How many movies a row of the home page shows.
HOME_ROW_SIZE = 12


def home_rows(*, per_row: int = HOME_ROW_SIZE) -> dict[str, Any]:
    """The home page's rows, in a fixed number of queries however big the catalogue:
    ``top_rated`` and ``recent`` (lists of movies) and ``genres`` (``(genre, movies)``
    pairs, best rated first, for every genre that has movies), and ``all`` (each
    movie once, for one look-up of the visitor's marks). Movies carry their genres."""
    top_ids = list(Movie.objects.order_by("-rating", "-id").values_list("id", flat=True)[:per_row])
    recent_ids = list(
        Movie.objects.order_by("-created_at", "-id").values_list("id", flat=True)[:per_row]
    )
    through = Movie.genres.through
    ranked = list(
        through.objects.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("genre_id")],
                order_by=[F("movie__rating").desc(), F("movie_id").desc()],
            )
        )
        .filter(rank__lte=per_row)
        .order_by("genre_id", "rank")
        .values_list("genre_id", "movie_id")
    )
    ids = {*top_ids, *recent_ids, *(movie_id for _, movie_id in ranked)}
    movies = {
        movie.pk: movie
        for movie in Movie.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("genres", queryset=Genre.objects.order_by("name", "id"))
        )
    }
    by_genre: dict[int, list[Movie]] = {}
    for genre_id, movie_id in ranked:
        by_genre.setdefault(genre_id, []).append(movies[movie_id])
    genres = Genre.objects.filter(pk__in=by_genre).order_by("name", "id")
    return {
        "top_rated": [movies[pk] for pk in top_ids],
        "recent": [movies[pk] for pk in recent_ids],
        "genres": [(genre, by_genre[genre.pk]) for genre in genres],
        "all": list(movies.values()),
    }
