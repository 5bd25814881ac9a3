"""Reads of the catalogue. Every list prefetches what it renders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet

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
