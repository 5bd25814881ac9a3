"""Row ids from clients: one cleaner for id lists, one parser for a single id.

Both refuse what no row can have (zero, negatives, beyond a bigint) without asking the
database: SQLite cannot even bind an integer past 2**63 - 1 (``OverflowError``, a 500).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model

MAX_ID = 2**63 - 1  # the largest BigAutoField


def parse_id(value: Any) -> int | None:
    """``value`` as a possible row id (1 to :data:`MAX_ID`), or ``None``.

    Ints are taken as they are (not bools); strings only as ASCII digits: ``str.isdigit()``
    also accepts characters such as ``²`` that ``int()`` refuses, and a string of thousands
    of digits must not reach ``int()`` (Python's digit limit).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
            return None
        number = int(value)
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def clean_ids(
    model: type[Model], ids: Iterable[Any] | None, field: str, *, noun: str = ""
) -> list[int]:
    """The ids in ``ids`` (duplicates dropped, order kept), all rows of ``model``.

    Raises ``ValidationError({field: [...]})`` when ``ids`` is no list, when one is not a
    number, or when some name no row ("Unknown id(s): 3, 99999999999999999999."). ``noun``
    names the rows in the messages ("movie" gives "Unknown movie id(s): ..."). One query
    at most; ids no row can have (beyond a bigint) are unknown without asking the database.
    """
    label = f"{noun} " if noun else ""
    if ids is None or isinstance(ids, str | bytes):
        raise ValidationError({field: [f"Give a list of {label}ids."]})
    try:
        wanted = list(dict.fromkeys(int(value) for value in ids))
    except (TypeError, ValueError):
        raise ValidationError({field: [f"Give a list of numeric {label}ids."]}) from None
    possible = [value for value in wanted if 0 < value <= MAX_ID]
    found = (
        set(model._default_manager.filter(pk__in=possible).values_list("pk", flat=True))
        if possible
        else set()
    )
    missing = [value for value in wanted if value not in found]
    if missing:
        names = ", ".join(str(value) for value in missing)
        raise ValidationError({field: [f"Unknown {label}id(s): {names}."]})
    return wanted
