"""Running a FilterSet, and ordering with a tie-break: shared by every list's FilterSet."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Expression, F, QuerySet
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ChoiceField
from django_filters.filterset import FilterSet


def apply_filterset(
    filterset_class: type[FilterSet], data: Mapping[str, Any] | None, queryset: QuerySet
) -> QuerySet:
    """Filter ``queryset`` with ``filterset_class``; bad values raise ``ValidationError`` by field.

    Empty values (``None``, ``""``) are left out, as if not given.
    """
    if not data:
        return queryset
    cleaned = {key: value for key, value in data.items() if value not in (None, "")}
    filterset = filterset_class(data=cleaned, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError(
            {field: list(messages) for field, messages in filterset.errors.items()}
        )
    return filterset.qs


def ordering_choices(params: Mapping[str, str] | list[str] | tuple[str, ...]) -> list:
    """``[("title", "title (ascending)"), ("-title", "title (descending)"), ...]``."""
    return [
        (
            f"{prefix}{param}",
            f"{param.replace('_', ' ')} ({'descending' if prefix else 'ascending'})",
        )
        for param in params
        for prefix in ("", "-")
    ]


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's ``OrderingFilter`` taking ONE key (``title`` or ``-title``), whose
    ties break by ``tie_break`` (the id) in the same direction, so pages never overlap.

    ``fields`` maps model fields (or annotations) to the parameter names, as in
    django-filter; ``annotations`` maps such a name to a callable giving the expression
    to annotate first (a natural order of choices, for example). ``nulls_last`` names
    the model fields (or annotations) that may be null: rows without a value come last
    in either direction. An unknown key is the ChoiceField's "Select a valid choice"
    error on the filter's name, hence a 400.
    """

    def __init__(
        self,
        *args: Any,
        tie_break: str = "id",
        annotations: Mapping[str, Callable[[], Expression]] | None = None,
        nulls_last: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        fields = self.normalize_fields(kwargs.get("fields", {}))
        kwargs.setdefault("choices", ordering_choices(list(fields.values())))
        kwargs.setdefault("help_text", "")
        super().__init__(*args, **kwargs)
        # One key, not django-filter's comma-separated list: the contract orders by one.
        self.field_class = ChoiceField
        self.tie_break = tie_break
        self.annotations = dict(annotations or {})
        self.nulls_last = frozenset(nulls_last)

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value in EMPTY_VALUES:
            return qs
        ordering = self.get_ordering_value(value)
        field = ordering.lstrip("-")
        if field in self.annotations:
            qs = qs.annotate(**{field: self.annotations[field]()})
        prefix = "-" if ordering.startswith("-") else ""
        if field in self.nulls_last:
            expression = F(field).desc(nulls_last=True) if prefix else F(field).asc(nulls_last=True)
            return qs.order_by(expression, f"{prefix}{self.tie_break}")
        return qs.order_by(ordering, f"{prefix}{self.tie_break}")
