"""Reads of accounts. :func:`profile_list` is THE rule for who sees which profile."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet

from movie_api.api.permissions import is_admin
from movies.models import Movie

from .models import UserProfile


def _movie_summaries() -> QuerySet[Movie]:
    """What a profile shows of each movie (id, title, rating, image), by title then id."""
    return Movie.objects.only("id", "title", "rating", "image").order_by("title", "id")


def profile_queryset() -> QuerySet[UserProfile]:
    """Profiles with their user and both movie lists loaded: three queries for any number."""
    return (
        UserProfile.objects.select_related("user")
        .prefetch_related(
            Prefetch("favorite_movies", queryset=_movie_summaries()),
            Prefetch("watched_movies", queryset=_movie_summaries()),
        )
        .order_by("id")
    )


def profile_list(*, user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[UserProfile]:
    """The profiles ``user`` may see and manage: an admin every one, a signed-in user
    only their own, anyone else none."""
    if user is None or not user.is_authenticated:
        return UserProfile.objects.none()
    queryset = profile_queryset()
    if is_admin(user):
        return queryset
    return queryset.filter(user_id=user.pk)


def profile_get(
    *, user: AbstractBaseUser | AnonymousUser | None, profile_id: int | str
) -> UserProfile | None:
    """One profile ``user`` may see, or ``None`` (unknown and not-yours look the same)."""
    try:
        return profile_list(user=user).get(pk=int(profile_id))
    except (UserProfile.DoesNotExist, TypeError, ValueError):
        return None


def profile_of(*, user: AbstractBaseUser) -> UserProfile | None:
    """The user's own profile with its lists loaded, or ``None`` if it has none yet
    (``services.profile_get_or_create`` makes it)."""
    return profile_queryset().filter(user_id=user.pk).first()


def favorite_movie_list(*, user: AbstractBaseUser) -> QuerySet[Movie]:
    """The user's favorite movies, by title (for paginated pages)."""
    return Movie.objects.filter(favorited_by__user_id=user.pk).order_by("title", "id")


def watched_movie_list(*, user: AbstractBaseUser) -> QuerySet[Movie]:
    """The movies the user has watched, by title (for paginated pages)."""
    return Movie.objects.filter(watched_by__user_id=user.pk).order_by("title", "id")


def movie_list_marks(
    *, user: AbstractBaseUser | AnonymousUser | None
) -> tuple[frozenset[int], frozenset[int]]:
    """The ids of the user's favorite and of their watched movies, in two queries, so a
    page of movies can show each one's toggles. Empty for anonymous visitors."""
    if user is None or not user.is_authenticated:
        return frozenset(), frozenset()
    through_favorites = UserProfile.favorite_movies.through.objects
    through_watched = UserProfile.watched_movies.through.objects
    favorites = through_favorites.filter(userprofile__user_id=user.pk).values_list(
        "movie_id", flat=True
    )
    watched = through_watched.filter(userprofile__user_id=user.pk).values_list(
        "movie_id", flat=True
    )
    return frozenset(favorites), frozenset(watched)
