"""The catalogue as read: plain dicts built in one place, for REST (and any other reader).

DRF's serializers cost a field object, ``get_attribute`` and ``to_representation`` per
value; a list of 20 movies with their genres and actors paid that 500 times. Reads use
these functions instead; writes keep their serializers and validation, and answer with
these same dicts (``movies.api.views``). ``movies/tests/test_representations.py`` checks
they match the serializers field by field.

Adding a field to the movie is one line in ``MOVIE_COLUMNS`` (the column) and one in
``movie()`` (its shape); a relation is one loader in ``movies.selectors.movie_rows``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from django.core.files.storage import Storage
from django.http import HttpRequest
from django.utils import timezone

from .models import Movie

#: The movie columns a reader sees (``values()`` fetches only these).
MOVIE_COLUMNS = (
    "id",
    "title",
    "plot_summary",
    "image",
    "image_sizes",
    "rating",
    "created_at",
    "release_date",
    "runtime",
    "members_rating_average",
    "members_rating_count",
)


def _poster_storage() -> Storage:
    return Movie._meta.get_field("image").storage


def image_url(name: str | None, request: HttpRequest | None) -> str | None:
    """The poster as an absolute URL (as DRF's ``ImageField(use_url=True)``), or ``None``."""
    if not name:
        return None
    url = _poster_storage().url(name)
    return request.build_absolute_uri(url) if request is not None else url


def image_size_urls(
    sizes: dict[str, dict] | None, request: HttpRequest | None
) -> dict[str, str] | None:
    """The poster's stored sizes as ``{"185": url, "342": url, "780": url}``, or ``None``
    (no poster, or one stored before sizes existed and not yet backfilled)."""
    if not sizes:
        return None
    return {width: image_url(entry["name"], request) for width, entry in sizes.items()}


def timestamp(value: datetime | None, tz: tzinfo | None = None) -> str | None:
    """ISO 8601 in the current time zone (``tz`` if given: ``movies()`` looks it up once
    a list, as it costs more than the conversion), UTC as ``Z`` (as DRF's
    ``DateTimeField``)."""
    if value is None:
        return None
    text = value.astimezone(tz or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def named(row: dict[str, Any]) -> dict[str, Any]:
    """A genre or an actor: ``{id, name}``."""
    return {"id": row["id"], "name": row["name"]}


def movie(
    row: dict[str, Any], request: HttpRequest | None, tz: tzinfo | None = None
) -> dict[str, Any]:
    """One movie from a row of ``movies.selectors.movie_rows`` (``tz``: see ``timestamp``)."""
    release = row["release_date"]
    average = row["members_rating_average"]
    return {
        "id": row["id"],
        "title": row["title"],
        "plot_summary": row["plot_summary"],
        "image": image_url(row["image"], request),
        "image_sizes": image_size_urls(row["image"] and row["image_sizes"], request),
        "rating": float(row["rating"]),
        "genres": row["genres"],
        "actors": [{"id": line["id"], "name": line["name"]} for line in row["cast"]],
        "created_at": timestamp(row["created_at"], tz),
        "release_date": release.isoformat() if release else None,
        "year": release.year if release else None,
        "runtime": row["runtime"],
        "directors": row["directors"],
        "cast": row["cast"],
        "members_rating": {
            "average": None if average is None else float(average),
            "count": row["members_rating_count"],
        },
    }


def movies(rows: Iterable[dict[str, Any]], request: HttpRequest | None) -> list[dict[str, Any]]:
    tz = timezone.get_current_timezone()
    return [movie(row, request, tz) for row in rows]
