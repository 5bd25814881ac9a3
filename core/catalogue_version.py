"""The catalogue's version: one number that changes after every write a reader could see.

Cached reads put it in their keys, so one write makes every cached read of the catalogue
stale at once, on every process that shares the cache (Redis when ``REDIS_URL`` is set).
Services call ``bump_catalogue_version()`` inside their transaction; the bump happens only
once the write has committed (a rolled-back write changes nothing a reader sees).
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

KEY = "catalogue:version"


def _fresh() -> int:
    """A starting value no earlier run used, so a lost key never revives old entries."""
    return time.time_ns()


def catalogue_version() -> int:
    """The current version (created on first use)."""
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, _fresh(), timeout=None)
        version = cache.get(KEY)
    return int(version)


def _bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # the key was never set, or was evicted
        cache.set(KEY, _fresh(), timeout=None)


def bump_catalogue_version() -> None:
    """Move the version on once the current transaction commits (at once outside one)."""
    transaction.on_commit(_bump)
