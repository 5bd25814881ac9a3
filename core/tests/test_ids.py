"""``core.ids``: ids from clients, with the guard against numbers no row can have."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from core.ids import MAX_ID, clean_ids, parse_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (7, 7),
        (str(MAX_ID), MAX_ID),
        (MAX_ID, MAX_ID),
        (str(MAX_ID + 1), None),
        (2**64, None),
        ("0", None),
        (0, None),
        (-3, None),
        ("-3", None),
        ("²", None),  # isdigit() says yes, int() says no
        ("1" * 5000, None),  # past Python's digit limit: never reaches int()
        ("12a", None),
        ("", None),
        (None, None),
        (True, None),
        (1.0, None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


@pytest.mark.django_db
def test_clean_ids_keeps_order_and_drops_duplicates_in_one_query(django_assert_num_queries):
    one, two = Group.objects.create(name="one"), Group.objects.create(name="two")
    with django_assert_num_queries(1):
        assert clean_ids(Group, [two.pk, str(one.pk), two.pk], "groups") == [two.pk, one.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("huge", [MAX_ID + 1, 2**64, 10**30, 0, -1])
def test_ids_no_row_can_have_are_unknown_without_a_query(huge, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(ValidationError) as error:
        clean_ids(Group, [huge], "groups")
    assert error.value.message_dict == {"groups": [f"Unknown id(s): {huge}."]}


@pytest.mark.django_db
def test_unknown_ids_are_named_with_the_noun():
    group = Group.objects.create(name="one")
    with pytest.raises(ValidationError) as error:
        clean_ids(Group, [group.pk, 999, 2**64], "favorite_movies", noun="movie")
    assert error.value.message_dict == {"favorite_movies": [f"Unknown movie id(s): 999, {2**64}."]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (None, "Give a list of ids."),
        ("1,2", "Give a list of ids."),
        (b"12", "Give a list of ids."),
        (["x"], "Give a list of numeric ids."),
        ([None], "Give a list of numeric ids."),
        ([1.5j], "Give a list of numeric ids."),
    ],
)
def test_what_is_not_a_list_of_numbers_is_refused(ids, message):
    with pytest.raises(ValidationError) as error:
        clean_ids(Group, ids, "groups")
    assert error.value.message_dict == {"groups": [message]}


@pytest.mark.django_db
def test_an_empty_list_is_fine_and_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert clean_ids(Group, [], "groups") == []
