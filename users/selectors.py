"""Reads of accounts. :func:`profile_list` is THE rule for who sees which profile."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import CharField, Count, Prefetch, Q, QuerySet, Value

from core.permissions import is_admin
from movies.models import Movie

from .models import SCORES, Rating, UserProfile

User = get_user_model()

#: The two lists a member keeps, as named in URLs and by ``movie_list_marks``.
FAVORITES = "favorites"
WATCHED = "watched"


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
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    movie_ids: Iterable[int] | None = None,
) -> tuple[frozenset[int], frozenset[int]]:
    """The ids of the user's favorite and of their watched movies, in one query, so a
    page of movies can show each one's toggles. ``movie_ids`` narrows the answer to the
    movies on the page (no query at all when it is empty). Empty for anonymous visitors.
    """
    if user is None or not user.is_authenticated:
        return frozenset(), frozenset()
    if movie_ids is not None:
        movie_ids = list(movie_ids)
        if not movie_ids:
            return frozenset(), frozenset()
    rows = []
    for field, tag in (("favorite_movies", FAVORITES), ("watched_movies", WATCHED)):
        through = getattr(UserProfile, field).through.objects.filter(userprofile__user_id=user.pk)
        if movie_ids is not None:
            through = through.filter(movie_id__in=movie_ids)
        rows.append(through.values_list("movie_id", Value(tag, output_field=CharField())))
    favorites: set[int] = set()
    watched: set[int] = set()
    for movie_id, tag in rows[0].union(rows[1], all=True):
        (favorites if tag == FAVORITES else watched).add(movie_id)
    return frozenset(favorites), frozenset(watched)


def pending_registration(*, user_id: int, phone_number: str) -> UserProfile | None:
    """The profile of ``user_id`` if it is still a registration waiting for the code
    sent to ``phone_number`` (E.164); ``None`` once it was verified, replaced or deleted."""
    return (
        UserProfile.objects.pending()
        .select_related("user")
        .filter(user_id=user_id, phone_number=phone_number)
        .first()
    )


def pending_registration_for_login(*, username: str, password: str) -> UserProfile | None:
    """The pending registration of the account with this username (exactly, as Django's
    ``ModelBackend`` looks it up) if ``password`` is its password; else ``None``.

    Lets the log-in page send someone who registered but never entered their code to the
    code page instead of answering "wrong password". Only the right password reveals it.
    """
    profile = (
        UserProfile.objects.pending()
        .select_related("user")
        .filter(**{f"user__{User.USERNAME_FIELD}": username})
        .first()
    )
    if profile is None:
        return None
    return profile if profile.user.check_password(password) else None


# --- Ratings and reviews -----------------------------------------------------------


def rating_list(*, user: AbstractBaseUser) -> QuerySet[Rating]:
    """The member's own ratings, newest first, with their movies (hidden ones too: the
    author sees that support hid them)."""
    return (
        Rating.objects.filter(user_id=user.pk)
        .select_related("movie", "user")
        .order_by("-created_at", "-id")
    )


def rating_of(*, user: AbstractBaseUser | AnonymousUser | None, movie_id: int) -> Rating | None:
    """The member's rating of the movie, or ``None`` (always for anonymous visitors)."""
    if user is None or not user.is_authenticated:
        return None
    return Rating.objects.filter(user_id=user.pk, movie_id=movie_id).first()


def review_list(
    *, movie_id: int, viewer: AbstractBaseUser | AnonymousUser | None = None
) -> QuerySet[Rating]:
    """THE rule of which reviews of a movie a reader sees: ratings with text, newest
    first; hidden ones are left out, except the viewer's own (its author sees it, marked
    hidden)."""
    visible = Q(hidden=False)
    if viewer is not None and viewer.is_authenticated:
        visible |= Q(user_id=viewer.pk)
    return (
        Rating.objects.reviews()
        .filter(visible, movie_id=movie_id)
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def review_get(*, movie_id: int, review_id: int, viewer=None) -> Rating | None:
    """One review of the movie the viewer may see, or ``None``."""
    return review_list(movie_id=movie_id, viewer=viewer).filter(pk=review_id).first()


def score_histogram(*, movie_id: int) -> list[dict]:
    """How the movie's scores spread: the ten half-star buckets, 0.5 to 5.0, each
    ``{"score", "count", "percent"}`` (percent of the largest bucket, for drawing).
    One query."""
    counts = dict(
        Rating.objects.filter(movie_id=movie_id)
        .values_list("score")
        .annotate(count=Count("id"))
        .values_list("score", "count")
    )
    counts = {Decimal(score).quantize(Decimal("0.1")): count for score, count in counts.items()}
    largest = max(counts.values(), default=0)
    return [
        {
            "score": score,
            "count": counts.get(score, 0),
            "percent": round(100 * counts.get(score, 0) / largest) if largest else 0,
        }
        for score in SCORES
    ]
