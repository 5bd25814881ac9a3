"""The catalogue's version: one number that changes after every write a reader could see.

Cached reads put it in their keys, so one write makes every cached read of the catalogue
stale at once, on every process that shares the cache (Redis when ``REDIS_URL`` is set).
Services call ``bump_catalogue_version()`` inside their transaction; the bump happens only
once the write has committed (a rolled-back write changes nothing a reader sees).

A second number, ``catalogue_rows_version()``, moves with every catalogue write that can
change *which* movies a list holds (a movie, genre or person created, edited or deleted),
but not with the members' ratings and review moderation, which change what a movie shows
(``members_rating``, its reviews) and never which movies a filter matches: no filter of
the catalogue reads the members' ratings (``movies/tests/test_counts.py`` checks it).
Exact counts (``core.counts``) are kept under it, so a busy site's ratings do not make
every list count again.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

KEY = "catalogue:version"
ROWS_KEY = "catalogue:rows-version"


def _fresh() -> int:
    """A starting value no earlier run used, so a lost key never revives old entries."""
    return time.time_ns()


def _current(key: str) -> int:
    version = cache.get(key)
    if version is None:
        cache.add(key, _fresh(), timeout=None)
        version = cache.get(key)
    return int(version)


def catalogue_version() -> int:
    """The current version (created on first use)."""
    return _current(KEY)


def catalogue_rows_version() -> int:
    """The version of which movies the catalogue's lists hold (created on first use)."""
    return _current(ROWS_KEY)


def _bump(*keys: str) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # the key was never set, or was evicted
            cache.set(key, _fresh(), timeout=None)


def bump_catalogue_version(*, rows: bool = True) -> None:
    """Move the version on once the current transaction commits (at once outside one).

    ``rows=False`` for a write that cannot change which movies any catalogue list
    holds (the members' ratings, review moderation): the counts kept under
    ``catalogue_rows_version()`` stay.
    """
    keys = (KEY, ROWS_KEY) if rows else (KEY,)
    transaction.on_commit(lambda: _bump(*keys))
