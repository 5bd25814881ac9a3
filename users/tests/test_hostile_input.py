"""Hostile values against the accounts API (NUL bytes, ids beyond a bigint, wrong types):
each gets one exact answer, a 400 naming the field, a 401, 404 or 204; never a 500.

An id of 99999999999999999999 cannot even be bound by SQLite (``OverflowError``): the
DELETE of such a list entry was a 500 there. These run on both databases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .factories import MovieFactory, UserProfileFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
ME = "/api/users/profiles/me/"


@pytest.fixture
def owned(user):
    return UserProfileFactory(user=user)


@pytest.mark.parametrize("list_name", ["favorites", "watched"])
@pytest.mark.parametrize(
    ("method", "movie_id", "expected"),
    [
        ("put", HUGE, 404),
        ("delete", HUGE, 204),
        ("put", "0", 404),
        ("delete", "0", 204),
        ("put", "9223372036854775808", 404),  # 2**63, one past a bigint
        ("delete", "9223372036854775808", 204),
    ],
)
def test_list_entries_with_impossible_ids(
    user_client, owned, list_name, method, movie_id, expected
):
    kept = MovieFactory()
    getattr(owned, f"{'favorite' if list_name == 'favorites' else 'watched'}_movies").add(kept)

    response = getattr(user_client, method)(f"{ME}{list_name}/{movie_id}/")

    assert response.status_code == expected
    if expected == 404:
        assert response.json() == {"detail": "Not found."}
    owned.refresh_from_db()
    assert [movie.pk for movie in owned.favorite_movies.all()] + [
        movie.pk for movie in owned.watched_movies.all()
    ] == [kept.pk]


@pytest.mark.parametrize("method", ["put", "delete"])
def test_list_entries_need_a_login_whatever_the_id(api_client, method):
    response = getattr(api_client, method)(f"{ME}favorites/{HUGE}/")
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"favorite_movies": [int(HUGE)]}, {"favorite_movies": [f"Unknown movie id(s): {HUGE}."]}),
        ({"watched_movies": [HUGE]}, {"watched_movies": [f"Unknown movie id(s): {HUGE}."]}),
        (
            {"favorite_movies": [0]},
            {"favorite_movies": {"0": ["Ensure this value is greater than or equal to 1."]}},
        ),
        (
            {"favorite_movies": ["x\x00"]},
            {"favorite_movies": {"0": ["A valid integer is required."]}},
        ),
        (
            {"favorite_movies": "NaN"},
            {"favorite_movies": ['Expected a list of items but got type "str".']},
        ),
        ({"favorite_movies": [None]}, {"favorite_movies": {"0": ["This field may not be null."]}}),
        ({"phone_number": "\x00"}, {"phone_number": ["Null characters are not allowed."]}),
        ({"user": int(HUGE)}, {"user": ["Unknown user."]}),
    ],
)
def test_profile_writes_with_hostile_values_are_400_naming_the_field(
    user_client, owned, body, expected
):
    response = user_client.patch(ME, body, format="json")

    assert response.status_code == 400
    assert response.json() == expected


@pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
def test_a_profile_id_beyond_a_bigint_is_404(admin_client_api, method):
    response = getattr(admin_client_api, method)(f"/api/users/profiles/{HUGE}/", {}, format="json")

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_an_admin_naming_a_user_beyond_a_bigint_gets_400(admin_client_api):
    response = admin_client_api.post("/api/users/profiles/", {"user": HUGE}, format="json")

    assert response.status_code == 400
    assert response.json() == {"user": ["Unknown user."]}


def test_a_page_number_beyond_a_bigint_is_404(user_client, owned):
    response = user_client.get("/api/users/profiles/", {"page": HUGE})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url", "body", "fields"),
    [
        (
            "/api/users/register/",
            {
                "username": "a\x00",
                "email": "x\x00@e.com",
                "password": "p\x00",
                "phone_number": "\x00",
            },
            {"username", "email", "password", "phone_number"},
        ),
        (
            "/api/users/register/",
            {"username": ["a"], "email": {"a": 1}, "password": "pw", "phone_number": "1"},
            {"username", "email"},
        ),
        ("/api/users/otp/verify/", {"phone_number": "+14155550123", "code": "\x00"}, {"code"}),
        ("/api/users/otp/verify/", {"phone_number": HUGE, "code": "123456"}, {"phone_number"}),
        ("/api/users/otp/resend/", {"phone_number": "NaN"}, {"phone_number"}),
        ("/api/users/login/", {"username": "a\x00", "password": "b"}, {"username"}),
        ("/api/users/login/", {"username": ["a"], "password": "b"}, {"username"}),
        ("/api/users/token/refresh/", {"refresh": "\x00"}, {"refresh"}),
        ("/api/users/token/refresh/", {"refresh": ""}, {"refresh"}),
        ("/api/users/password/reset/", {"email": "a\x00@b.com"}, {"email"}),
        (
            "/api/users/password/reset/confirm/",
            {"uid": "\x00", "token": "\x00", "new_password": "\x00"},
            {"uid", "token", "new_password"},
        ),
        (
            "/api/users/password/reset/confirm/",
            # base64 of 99999999999999999999: no account can have that id
            {
                "uid": "OTk5OTk5OTk5OTk5OTk5OTk5OTk",
                "token": "x",
                "new_password": "long enough 42 x",
            },
            {"token"},
        ),
    ],
)
def test_public_endpoints_answer_hostile_bodies_with_400_naming_the_fields(
    api_client, url, body, fields
):
    response = api_client.post(url, body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == fields


def test_a_garbage_refresh_token_is_401(api_client):
    response = api_client.post("/api/users/token/refresh/", {"refresh": "garbage"}, format="json")
    assert response.status_code == 401


def test_logging_out_a_garbage_token_is_400(user_client):
    response = user_client.post("/api/users/logout/", {"refresh": "garbage"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"refresh"}


@pytest.mark.parametrize("list_name", ["favorite", "watched"])
def test_the_list_buttons_of_the_pages_answer_404_for_an_impossible_id(client, user, list_name):
    client.force_login(user)
    url = reverse(f"users:{list_name}", args=[0]).replace("/0/", f"/{HUGE}/")

    response = client.post(url, {"action": "remove"})

    assert response.status_code == 404
