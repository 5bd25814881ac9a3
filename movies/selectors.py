"""Reads of the catalogue. Every list prefetches what it renders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Subquery

from core.filters import apply_filterset

from .filters import ActorFilter, GenreFilter, MovieFilter
from .models import CastMember, Genre, Movie, Person


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
    """The movies ``person`` directed, newest release first (undated last)."""
    links = Movie.directors.through.objects.filter(movie_id=OuterRef("pk"), person=person)
    return _newest_release_first(movie_queryset().filter(Exists(links)))


def director_movie_list(*, director: Person) -> QuerySet[Movie]:
    """The movies one person directed (by id), newest first (as ``actor_movie_list``)."""
    links = Movie.directors.through.objects.filter(movie_id=OuterRef("pk"), person=director)
    return movie_queryset().filter(Exists(links))


def genre_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Genre]:
    return apply_filterset(GenreFilter, filters, Genre.objects.order_by("name", "id"))


def actor_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Person]:
    """People (actors and directors alike), by name then id."""
    return apply_filterset(ActorFilter, filters, Person.objects.order_by("name", "id"))


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
