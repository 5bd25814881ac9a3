"""``core.filters``: running a FilterSet, and the one-key ordering with its id tie-break."""

from __future__ import annotations

from datetime import UTC, datetime

import django_filters
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When

from core.filters import OrderingFilter, apply_filterset, ordering_choices

User = get_user_model()

pytestmark = pytest.mark.django_db


def _staff_first():
    return Case(When(is_staff=True, then=Value(0)), default=Value(1), output_field=IntegerField())


class UserFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="icontains")
    ordering = OrderingFilter(
        fields={"username": "name", "first_name": "first_name", "staff_rank": "staff"},
        annotations={"staff_rank": _staff_first},
    )

    class Meta:
        model = User
        fields = ["username", "ordering"]


@pytest.fixture
def people():
    """Four users; ann, cat and dan share a first name, so ordering by it ties."""
    return [
        User.objects.create(username=name, first_name=first, is_staff=staff)
        for name, first, staff in [
            ("dan", "Sam", False),
            ("ann", "Sam", True),
            ("bob", "Al", False),
            ("cat", "Sam", True),
        ]
    ]


def names(queryset) -> list[str]:
    return [user.username for user in queryset]


def test_the_choices_name_each_direction():
    assert ordering_choices(["title", "created_at"]) == [
        ("title", "title (ascending)"),
        ("-title", "title (descending)"),
        ("created_at", "created at (ascending)"),
        ("-created_at", "created at (descending)"),
    ]
    assert UserFilter.base_filters["ordering"].extra["choices"] == ordering_choices(
        ["name", "first_name", "staff"]
    )


def test_orders_by_the_parameter_name_not_the_field(people):
    result = apply_filterset(UserFilter, {"ordering": "-name"}, User.objects.all())
    assert names(result) == ["dan", "cat", "bob", "ann"]


def test_ties_break_by_id_in_the_same_direction(people):
    ids = {user.username: user.pk for user in people}
    ascending = apply_filterset(UserFilter, {"ordering": "first_name"}, User.objects.all())
    descending = apply_filterset(UserFilter, {"ordering": "-first_name"}, User.objects.all())

    sams = sorted(("dan", "ann", "cat"), key=ids.get)
    assert names(ascending) == ["bob", *sams]
    assert names(descending) == [*reversed(sams), "bob"]


def test_an_annotated_ordering_is_annotated_first(people):
    result = apply_filterset(UserFilter, {"ordering": "staff"}, User.objects.all())
    assert names(result) == ["ann", "cat", "dan", "bob"]  # staff first, then by id
    result = apply_filterset(UserFilter, {"ordering": "-staff"}, User.objects.all())
    assert names(result) == ["bob", "dan", "cat", "ann"]


@pytest.mark.parametrize("value", ["password", "name,first_name", "--name", "id"])
def test_an_unknown_ordering_is_an_error_naming_ordering(people, value):
    with pytest.raises(ValidationError) as error:
        apply_filterset(UserFilter, {"ordering": value}, User.objects.all())
    assert list(error.value.message_dict) == ["ordering"]
    assert "Select a valid choice" in error.value.message_dict["ordering"][0]


def test_empty_values_count_as_not_given(people):
    queryset = User.objects.order_by("username")
    result = apply_filterset(UserFilter, {"ordering": "", "username": None}, queryset)
    assert names(result) == ["ann", "bob", "cat", "dan"]
    assert apply_filterset(UserFilter, None, queryset) is queryset


def test_the_other_filters_apply(people):
    assert names(apply_filterset(UserFilter, {"username": "a"}, User.objects.order_by("id"))) == [
        "dan",
        "ann",
        "cat",
    ]


class LastLoginFilter(django_filters.FilterSet):
    ordering = OrderingFilter(fields={"last_login": "seen"}, nulls_last=["last_login"])

    class Meta:
        model = User
        fields = ["ordering"]


@pytest.mark.parametrize(("ordering", "expected"), [("seen", "bcan"), ("-seen", "acbn")])
def test_nulls_last_puts_rows_without_the_value_last_both_ways(ordering, expected):
    """``n`` was never seen: last whichever way; ``a`` and ``c`` tie and break by id in
    the ordering's direction."""

    early, late = datetime(2020, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC)
    for name, seen in [("b", early), ("n", None), ("c", late), ("a", late)]:
        User.objects.create(username=name, last_login=seen)

    rows = apply_filterset(LastLoginFilter, {"ordering": ordering}, User.objects.all())

    # b, n, c, a were created in that order, so a's id is above c's.
    assert "".join(user.username for user in rows) == expected
