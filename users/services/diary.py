"""The members' diary: each watch of a movie, with its day, a rewatch flag and a note.

Logging a watch also marks the movie watched, and so takes it off the watchlist
(:func:`users.services.profiles.watched_add`, the one rule of the lists).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from core.ids import parse_id
from core.sentinels import UNSET
from movies.models import Movie
from users.models import DIARY_NOTE_MAX_LENGTH, DiaryEntry

from .profiles import profile_get_or_create, watched_add

FUTURE_DATE_MESSAGE = "The day of the watch cannot be in the future."
DATE_MESSAGE = "Give the day as a date (YYYY-MM-DD)."
NOTE_TOO_LONG_MESSAGE = f"Keep the note to at most {DIARY_NOTE_MAX_LENGTH} characters."
UNKNOWN_MOVIE_MESSAGE = "Unknown movie."


def watched_on_clean(value: Any) -> datetime.date:
    """The day of a watch: a date or an ISO string; ``None`` or ``""`` is today (in the
    site's time zone); a day after today is refused, on ``watched_on``."""
    if value is None or value == "":
        return timezone.localdate()
    day = None
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    elif isinstance(value, str):
        try:
            day = parse_date(value.strip())
        except ValueError:  # well formed but impossible, like 2026-02-30
            day = None
    if day is None:
        raise ValidationError({"watched_on": [DATE_MESSAGE]})
    if day > timezone.localdate():
        raise ValidationError({"watched_on": [FUTURE_DATE_MESSAGE]})
    return day


def note_clean(value: Any) -> str:
    """A note: text (``None`` is none), trimmed, at most 500 characters, no NUL."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({"note": ["Give the note as text."]})
    text = value.strip()
    if "\x00" in text:
        raise ValidationError({"note": ["The note cannot contain NUL characters."]})
    if len(text) > DIARY_NOTE_MAX_LENGTH:
        raise ValidationError({"note": [NOTE_TOO_LONG_MESSAGE]})
    return text


def _rewatch_clean(value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValidationError({"rewatch": ["Give true or false."]})
    return value


def _movie_id_clean(value: Any) -> int:
    number = parse_id(value)
    if number is None or not Movie.objects.filter(pk=number).exists():
        raise ValidationError({"movie_id": [UNKNOWN_MOVIE_MESSAGE]})
    return number


def _collect(checks: dict[str, tuple]) -> dict[str, Any]:
    """Run every field's check and raise one ``ValidationError`` naming all bad fields."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field, (check, value) in checks.items():
        try:
            cleaned[field] = check(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def diary_log(
    *,
    user: AbstractBaseUser,
    movie_id: Any,
    watched_on: Any = None,
    rewatch: Any = False,
    note: Any = "",
) -> DiaryEntry:
    """Log a watch of the movie (today unless ``watched_on`` says otherwise) and mark
    the movie watched, which takes it off the watchlist; all or nothing."""
    cleaned = _collect(
        {
            "movie_id": (_movie_id_clean, movie_id),
            "watched_on": (watched_on_clean, watched_on),
            "rewatch": (_rewatch_clean, rewatch),
            "note": (note_clean, note),
        }
    )
    entry = DiaryEntry.objects.create(
        user=user,
        movie_id=cleaned["movie_id"],
        watched_on=cleaned["watched_on"],
        rewatch=cleaned["rewatch"],
        note=cleaned["note"],
    )
    watched_add(profile=profile_get_or_create(user=user), movie_id=cleaned["movie_id"])
    return entry


@transaction.atomic
def diary_update(
    *,
    entry: DiaryEntry,
    watched_on: Any = UNSET,
    rewatch: Any = UNSET,
    note: Any = UNSET,
) -> DiaryEntry:
    """Change the given fields of an entry (the caller has checked it is the member's
    own: ``users.selectors.diary_entry_get``); ``UNSET`` ones stay."""
    checks = {
        field: (check, value)
        for field, check, value in (
            ("watched_on", watched_on_clean, watched_on),
            ("rewatch", _rewatch_clean, rewatch),
            ("note", note_clean, note),
        )
        if value is not UNSET
    }
    cleaned = _collect(checks)
    for field, value in cleaned.items():
        setattr(entry, field, value)
    if cleaned:
        entry.save(update_fields=[*cleaned, "updated_at"])
    return entry


def diary_delete(*, entry: DiaryEntry) -> None:
    """Remove an entry. The movie stays marked watched (one watch fewer, not unseen)."""
    entry.delete()
