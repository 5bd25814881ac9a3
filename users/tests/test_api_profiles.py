"""Profiles over REST: who may do what, the shape, the lists, and constant queries."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from users.models import UserProfile

from .factories import MovieFactory, UserFactory, UserProfileFactory

User = get_user_model()

LIST = "/api/users/profiles/"
ME = "/api/users/profiles/me/"


def detail(profile_id: int) -> str:
    return f"/api/users/profiles/{profile_id}/"


def favorite(movie_id: int) -> str:
    return f"/api/users/profiles/me/favorites/{movie_id}/"


def watched(movie_id: int) -> str:
    return f"/api/users/profiles/me/watched/{movie_id}/"


@pytest.fixture
def owned(user):
    """Alice's profile (``user`` / ``user_client`` in the root conftest)."""
    return UserProfileFactory(user=user, phone_number="+14155550101")


@pytest.fixture
def callers(api_client, user_client, other_client, admin_client_api):
    return {
        "anonymous": api_client,
        "owner": user_client,
        "other": other_client,
        "admin": admin_client_api,
    }


# --------------------------------------------------------------------------- permission matrix

MATRIX = [
    # method, expected status for: anonymous, owner, other user, admin
    ("get", {"anonymous": 401, "owner": 200, "other": 404, "admin": 200}),
    ("put", {"anonymous": 401, "owner": 200, "other": 404, "admin": 200}),
    ("patch", {"anonymous": 401, "owner": 200, "other": 404, "admin": 200}),
    ("delete", {"anonymous": 401, "owner": 204, "other": 404, "admin": 204}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["anonymous", "owner", "other", "admin"])
@pytest.mark.parametrize(("method", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_who_may_do_what_to_a_profile(callers, owned, caller, method, expected):
    movie = MovieFactory()
    body = {"favorite_movies": [movie.pk], "watched_movies": []}

    response = getattr(callers[caller], method)(detail(owned.pk), body)

    assert response.status_code == expected[caller], response.data
    if expected[caller] in (401, 404):
        assert set(response.data) == {"detail"}
        assert UserProfile.objects.filter(pk=owned.pk).exists()
    if method in ("put", "patch") and expected[caller] == 200:
        owned.refresh_from_db()
        assert list(owned.favorite_movies.values_list("pk", flat=True)) == [movie.pk]
    if method == "delete" and expected[caller] == 204:
        assert not User.objects.filter(pk=owned.user_id).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("caller", "expected_owners"),
    [
        ("anonymous", None),
        ("owner", ["alice"]),
        ("other", ["bob"]),
        ("admin", ["alice", "bob", "root"]),
    ],
)
def test_who_sees_which_profiles_in_the_list(callers, owned, other_user, caller, expected_owners):
    UserProfileFactory(user=other_user)

    response = callers[caller].get(LIST)

    if expected_owners is None:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert [row["user"]["username"] for row in response.data["results"]] == expected_owners
    assert response.data["count"] == len(expected_owners)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("caller", "expected"),
    [("anonymous", 401), ("owner", 200), ("other", 200), ("admin", 200)],
)
def test_me_is_the_callers_own_profile(callers, owned, caller, expected):
    response = callers[caller].get(ME)

    assert response.status_code == expected
    if expected == 200:
        assert (
            response.data["user"]["username"]
            == {
                "owner": "alice",
                "other": "bob",
                "admin": "root",
            }[caller]
        )


@pytest.mark.django_db
@pytest.mark.parametrize("url", [favorite, watched])
@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_lists_need_a_login(api_client, url, method):
    movie = MovieFactory()

    assert getattr(api_client, method)(url(movie.pk)).status_code == 401


@pytest.mark.django_db
def test_create_a_profile_as_admin_for_an_account_without_one(admin_client_api):
    newcomer = UserFactory(username="newcomer")
    movie = MovieFactory()

    response = admin_client_api.post(
        LIST,
        {"user": newcomer.pk, "phone_number": "+1 415 555 0150", "favorite_movies": [movie.pk]},
    )

    assert response.status_code == 201, response.data
    assert response.data["user"]["username"] == "newcomer"
    assert response.data["phone_number"] == "+14155550150"
    assert [m["id"] for m in response.data["favorite_movies"]] == [movie.pk]
    assert UserProfile.objects.get(user=newcomer).phone_verified_at is not None


@pytest.mark.django_db
def test_create_a_second_profile_is_refused(admin_client_api, owned, user_client, user):
    assert admin_client_api.post(LIST, {"user": user.pk}).status_code == 400
    response = user_client.post(LIST, {})
    assert response.status_code == 400
    assert "user" in response.data


@pytest.mark.django_db
def test_a_user_cannot_create_a_profile_for_someone_else(user_client, owned):
    newcomer = UserFactory(username="newcomer")

    response = user_client.post(LIST, {"user": newcomer.pk})

    assert response.status_code == 400
    assert not UserProfile.objects.filter(user=newcomer).exists()


@pytest.mark.django_db
def test_anonymous_cannot_create(api_client):
    assert api_client.post(LIST, {}).status_code == 401


# --------------------------------------------------------------------------- shape and writes


@pytest.mark.django_db
def test_a_profile_reads_as_the_contract_says(user_client, owned, user):
    movie = MovieFactory(title="Arrival", rating="4.5")
    owned.favorite_movies.add(movie)

    data = user_client.get(detail(owned.pk)).data

    assert data == {
        "id": owned.pk,
        "user": {"id": user.pk, "username": "alice", "email": "alice@example.com"},
        "phone_number": "+14155550101",
        "favorite_movies": [{"id": movie.pk, "title": "Arrival", "rating": 4.5, "image": None}],
        "watched_movies": [],
        "watchlist_movies": [],
        "is_public": False,
    }


@pytest.mark.django_db
def test_a_user_cannot_change_their_phone_number(user_client, owned):
    response = user_client.patch(ME, {"phone_number": "+14155550199"})

    assert response.status_code == 400
    assert response.data == {"phone_number": ["Only an administrator can change the phone number."]}
    owned.refresh_from_db()
    assert str(owned.phone_number) == "+14155550101"


@pytest.mark.django_db
def test_a_user_cannot_hand_their_profile_to_someone_else(user_client, owned, other_user):
    response = user_client.patch(detail(owned.pk), {"user": other_user.pk})

    assert response.status_code == 400
    assert "user" in response.data
    owned.refresh_from_db()
    assert owned.user.username == "alice"


@pytest.mark.django_db
def test_a_user_may_send_back_what_they_read(user_client, owned):
    movie = MovieFactory()
    read = user_client.get(ME).data

    response = user_client.put(
        ME.replace("me/", f"{owned.pk}/"), {**read, "watched_movies": [movie.pk]}
    )

    assert response.status_code == 200, response.data
    assert [m["id"] for m in response.data["watched_movies"]] == [movie.pk]


@pytest.mark.django_db
def test_an_admin_can_change_the_number_and_the_user(admin_client_api, owned):
    newcomer = UserFactory(username="newcomer")

    response = admin_client_api.patch(
        detail(owned.pk), {"phone_number": "(415) 555-0188", "user": newcomer.pk}
    )

    assert response.status_code == 200, response.data
    assert response.data["phone_number"] == "+14155550188"
    assert response.data["user"]["username"] == "newcomer"


@pytest.mark.django_db
def test_an_admin_gets_field_errors_for_a_bad_or_taken_number(admin_client_api, owned):
    UserProfileFactory(phone_number="+14155550177")

    bad = admin_client_api.patch(detail(owned.pk), {"phone_number": "42"})
    taken = admin_client_api.patch(detail(owned.pk), {"phone_number": "+14155550177"})

    assert bad.status_code == taken.status_code == 400
    assert "phone_number" in bad.data
    assert taken.data == {"phone_number": ["An account with this phone number already exists."]}


@pytest.mark.django_db
def test_an_admin_can_clear_a_number(admin_client_api, owned):
    response = admin_client_api.patch(detail(owned.pk), {"phone_number": None})

    assert response.status_code == 200
    assert response.data["phone_number"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"favorite_movies": [999999]}, "favorite_movies"),
        ({"watched_movies": [999999]}, "watched_movies"),
        ({"favorite_movies": "1,2"}, "favorite_movies"),
        ({"watched_movies": ["x"]}, "watched_movies"),
        ({"user": "someone"}, "user"),
    ],
)
def test_bad_writes_are_400_naming_the_field(user_client, owned, body, field):
    response = user_client.patch(ME, body)

    assert response.status_code == 400
    assert field in response.data


@pytest.mark.django_db
def test_put_needs_both_lists(user_client, owned):
    response = user_client.put(detail(owned.pk), {"favorite_movies": []})

    assert response.status_code == 400
    assert "watched_movies" in response.data


@pytest.mark.django_db
def test_patch_me_replaces_the_lists_given(user_client, owned):
    first, second = MovieFactory(title="B"), MovieFactory(title="A")
    owned.watched_movies.add(first)

    response = user_client.patch(ME, {"favorite_movies": [first.pk, second.pk, first.pk]})

    assert response.status_code == 200
    assert [m["title"] for m in response.data["favorite_movies"]] == ["A", "B"]
    assert [m["id"] for m in response.data["watched_movies"]] == [first.pk]


@pytest.mark.django_db
def test_closing_an_account_ends_its_tokens(api_client, owned):
    login = api_client.post(
        "/api/users/login/", {"username": "alice", "password": "correct horse battery"}
    ).data
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {login['access']}")

    assert api_client.delete(detail(owned.pk)).status_code == 204

    assert api_client.get(ME).status_code == 401
    refreshed = APIClient().post("/api/users/token/refresh/", {"refresh": login["refresh"]})
    assert refreshed.status_code == 401


@pytest.mark.django_db
def test_an_account_without_a_profile_gets_one_when_it_asks(django_user_model):
    staff = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-unused-1")
    client = APIClient()
    client.force_authenticate(staff)

    response = client.get(ME)

    assert response.status_code == 200
    assert response.data["phone_number"] is None
    assert UserProfile.objects.filter(user=staff).exists()


# --------------------------------------------------------------------------- favorites and watched


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "relation"), [(favorite, "favorite_movies"), (watched, "watched_movies")]
)
def test_put_adds_and_delete_removes_idempotently(user_client, owned, url, relation):
    movie = MovieFactory()
    listed = lambda: list(getattr(owned, relation).values_list("pk", flat=True))  # noqa: E731

    assert user_client.put(url(movie.pk)).status_code == 204
    assert user_client.put(url(movie.pk)).status_code == 204
    assert listed() == [movie.pk]

    assert user_client.delete(url(movie.pk)).status_code == 204
    assert user_client.delete(url(movie.pk)).status_code == 204
    assert listed() == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", [favorite, watched, lambda movie_id: ME])
def test_options_on_the_me_routes_describes_them(user_client, owned, url):
    # DRF's OPTIONS metadata asks the view for its object to describe PUT; the me/
    # routes have no id in the URL, which was an AssertionError (500).
    response = user_client.options(url(MovieFactory().pk))

    assert response.status_code == 200
    assert response.data["name"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [favorite, watched])
def test_put_of_an_unknown_movie_is_404(user_client, owned, url):
    response = user_client.put(url(999999))

    assert response.status_code == 404
    assert set(response.data) == {"detail"}


@pytest.mark.django_db
def test_favorites_and_watched_are_separate_lists(user_client, owned):
    movie = MovieFactory()

    user_client.put(favorite(movie.pk))

    me = user_client.get(ME).data
    assert [m["id"] for m in me["favorite_movies"]] == [movie.pk]
    assert me["watched_movies"] == []


@pytest.mark.django_db
def test_lists_only_touch_the_callers_profile(user_client, other_client, owned, other_user):
    theirs = UserProfileFactory(user=other_user)
    movie = MovieFactory()

    other_client.put(favorite(movie.pk))

    assert list(owned.favorite_movies.all()) == []
    assert list(theirs.favorite_movies.all()) == [movie]


# --------------------------------------------------------------------------- queries and paging


def _profiles_with_movies(count: int) -> None:
    movies = [MovieFactory() for _ in range(3)]
    for _ in range(count):
        profile = UserProfileFactory()
        profile.favorite_movies.set(movies)
        profile.watched_movies.set(movies[:2])


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_profile_list_takes_the_same_queries_for_one_or_many(admin_client_api, admin_user):
    UserProfileFactory(user=admin_user)
    _profiles_with_movies(1)
    one = _count_queries(admin_client_api, LIST)
    _profiles_with_movies(12)
    many = _count_queries(admin_client_api, LIST)

    assert one == many == 6  # own profile check, count, page, three movie lists


@pytest.mark.django_db
def test_me_takes_a_fixed_number_of_queries(user_client, owned, django_assert_max_num_queries):
    owned.favorite_movies.set([MovieFactory() for _ in range(10)])
    owned.watched_movies.set([MovieFactory() for _ in range(10)])

    with django_assert_max_num_queries(6):
        assert user_client.get(ME).status_code == 200


@pytest.mark.django_db
def test_the_profile_list_is_paged_in_id_order(admin_client_api):
    for _ in range(5):
        UserProfileFactory()

    first = admin_client_api.get(LIST, {"page_size": 2}).data
    second = admin_client_api.get(LIST, {"page_size": 2, "page": 2}).data

    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == sorted(ids)
    assert first["count"] == 6  # five members and the admin's own
    assert first["next"] is not None
