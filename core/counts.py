"""Exact counts of catalogue lists, cached until the next catalogue write.

An exact ``count`` touches every matching row: at a million movies that is most of
the cost of a list or a search. A catalogue list's count changes only when the
catalogue does, and every catalogue write that can change which movies a list holds
moves ``catalogue_rows_version()`` on commit (the members' ratings do not: no filter
reads them), so the count is kept under a key made of that version and the count query itself
(database, SQL and parameters): the first read after a write counts, the next ones
reuse it, and a read after a write never meets an old count (the old version's
entries are never read again; they expire after ``COUNT_CACHE_TIMEOUT``).

A queryset may also know its count without counting: when it has a ``stored_count()``
method that answers (not ``None``), that is the count (``movies.models.MovieQuerySet``:
the whole catalogue and each genre, kept exact by PostgreSQL triggers), kept like any
other.

Only for lists whose rows depend on the catalogue alone: a member's own lists
(favorites, watched, watchlist) change without a catalogue write and are counted
every time (they never call this).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

from core.catalogue_version import catalogue_rows_version

KEY_PREFIX = "catalogue:count"


def count_key(queryset: QuerySet, version: int) -> str:
    """The cache key of ``queryset``'s count: the version, the database and the query."""
    if not queryset.query.is_sliced:  # a sliced one is counted up to its limit
        queryset = queryset.order_by()
    query = queryset.values("pk").query
    connection = connections[queryset.db]
    sql, params = query.get_compiler(connection=connection).as_sql()
    digest = hashlib.sha256(
        repr((connection.settings_dict["NAME"], queryset.db, sql, tuple(params))).encode()
    ).hexdigest()
    return f"{KEY_PREFIX}:{version}:{digest}"


def catalogue_count(queryset: QuerySet) -> int:
    """``queryset.count()``, exact, cached under the catalogue version.

    ``queryset`` must depend on the catalogue alone (no member's own rows).
    """
    if queryset.query.is_empty():
        return queryset.count()
    if not getattr(settings, "CATALOGUE_COUNT_CACHE", True):
        return _stored_or_counted(queryset)
    # The version is read before counting: a count that raced a write is stored under
    # the version that write replaces, which no reader asks for once it has moved on.
    key = count_key(queryset, catalogue_rows_version())
    count = cache.get(key)
    if count is None:
        count = _stored_or_counted(queryset)
        cache.set(key, count, timeout=settings.COUNT_CACHE_TIMEOUT)
    return count


def _stored_or_counted(queryset: QuerySet) -> int:
    """The count the queryset's own ``stored_count()`` knows, else ``count()``."""
    stored_count = getattr(queryset, "stored_count", None)
    count = stored_count() if stored_count is not None else None
    return queryset.count() if count is None else count


class CatalogueCountPaginator(Paginator):
    """Django's paginator, with :func:`catalogue_count` as its count."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return catalogue_count(self.object_list)
        return super().count
