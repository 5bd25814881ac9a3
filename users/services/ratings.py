"""Members' ratings and reviews, and the movie's ``members_rating`` kept from them.

The average and count on the movie (``Movie.members_rating_average`` and
``members_rating_count``) are recomputed from the ratings table in the same
transaction as every change, after the movie's row is locked
(``select_for_update``): concurrent ratings of one movie queue on that lock on
PostgreSQL, and SQLite runs one writing transaction at a time, so the numbers on the
movie always match its ratings. A hidden review's score still counts: support hides
the text, not the member's vote.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Sum

from core.catalogue_version import bump_catalogue_version
from core.ids import parse_id
from movies.models import Movie
from users.models import REVIEW_MAX_LENGTH, SCORES, Rating

SCORE_MESSAGE = "Give a score from 0.5 to 5 in steps of 0.5."
REVIEW_TOO_LONG_MESSAGE = f"Keep the review to at most {REVIEW_MAX_LENGTH:,} characters."
UNKNOWN_MOVIE_MESSAGE = "Unknown movie."
TWO_PLACES = Decimal("0.01")


def score_clean(value: Any) -> Decimal:
    """``value`` as one of the ten scores (0.5 .. 5.0), or ``ValidationError`` on ``score``.

    Numbers and numeric strings are taken ("4", 4, 4.0, "4.5"); booleans, NaN,
    infinities and anything off the half-step grid are refused."""
    if isinstance(value, bool) or value is None:
        raise ValidationError({"score": [SCORE_MESSAGE]})
    try:
        number = Decimal(str(value).strip()) if isinstance(value, str | int | float) else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number not in SCORES:
        raise ValidationError({"score": [SCORE_MESSAGE]})
    return number.quantize(Decimal("0.1"))


def review_clean(value: Any) -> str:
    """The review text: a string (``None`` is none), trailing blanks dropped, at most
    5,000 characters, no NUL character (PostgreSQL cannot store one)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({"review": ["Give the review as text."]})
    text = value.strip()
    if "\x00" in text:
        raise ValidationError({"review": ["The review cannot contain NUL characters."]})
    if len(text) > REVIEW_MAX_LENGTH:
        raise ValidationError({"review": [REVIEW_TOO_LONG_MESSAGE]})
    return text


def _movie_locked(movie_id: Any) -> Movie:
    """Lock the movie's row for the rest of the transaction; call it FIRST in it.

    PostgreSQL: ``SELECT ... FOR UPDATE``; concurrent ratings of the movie queue here.
    SQLite has no row locks and ignores ``select_for_update``; there the lock is a
    no-op ``UPDATE`` of the row, which takes the database's write lock at once, so a
    concurrent writer waits for it (the busy timeout) instead of both reading first and
    one failing when it upgrades its read lock."""
    number = parse_id(movie_id)
    movie = None
    if number is not None:
        if connection.vendor == "sqlite":
            if Movie.objects.filter(pk=number).update(
                members_rating_count=F("members_rating_count")
            ):
                movie = Movie(pk=number)
        else:
            movie = Movie.objects.select_for_update().filter(pk=number).only("id").first()
    if movie is None:
        raise ValidationError({"movie_id": [UNKNOWN_MOVIE_MESSAGE]})
    return movie


def members_rating_refresh(*, movie_id: int) -> tuple[Decimal | None, int]:
    """Recompute the movie's members' average and count from its ratings and store them.

    Call it inside the transaction that changed the ratings, with the movie row locked."""
    totals = Rating.objects.filter(movie_id=movie_id).aggregate(
        total=Sum("score"), count=Count("id")
    )
    count = totals["count"] or 0
    average = (
        (Decimal(totals["total"]) / count).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        if count
        else None
    )
    Movie.objects.filter(pk=movie_id).update(
        members_rating_average=average, members_rating_count=count
    )
    return average, count


def rating_set(
    *,
    user: AbstractBaseUser,
    movie_id: Any,
    score: Any,
    review: Any = "",
    spoiler: Any = False,
) -> tuple[Rating, bool]:
    """Rate a movie (or change the rating): ``(rating, created)``.

    Bad input raises ``ValidationError`` naming ``score``, ``review``, ``spoiler`` or
    ``movie_id`` (all of them at once where several are wrong)."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field, cleaner, value in (
        ("score", score_clean, score),
        ("review", review_clean, review),
    ):
        try:
            cleaned[field] = cleaner(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not isinstance(spoiler, bool):
        errors["spoiler"] = ["Give true or false."]
    if parse_id(movie_id) is None or not Movie.objects.filter(pk=parse_id(movie_id)).exists():
        errors["movie_id"] = [UNKNOWN_MOVIE_MESSAGE]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        movie = _movie_locked(movie_id)  # first: nothing is read before the lock
        rating, created = Rating.objects.update_or_create(
            user=user,
            movie_id=movie.pk,
            defaults={"score": cleaned["score"], "review": cleaned["review"], "spoiler": spoiler},
        )
        members_rating_refresh(movie_id=movie.pk)
        bump_catalogue_version(rows=False)  # no list's movies change: counts stay
    return rating, created


def rating_delete(*, user: AbstractBaseUser, movie_id: Any) -> bool:
    """Remove the member's rating of the movie; ``False`` when there was none (nothing
    changes, so removing twice is harmless)."""
    number = parse_id(movie_id)
    if number is None or not Rating.objects.filter(user=user, movie_id=number).exists():
        return False
    with transaction.atomic():
        movie = _movie_locked(number)  # first: nothing is read before the lock
        deleted, _ = Rating.objects.filter(user=user, movie_id=movie.pk).delete()
        if deleted:
            members_rating_refresh(movie_id=movie.pk)
            bump_catalogue_version(rows=False)
    return bool(deleted)
