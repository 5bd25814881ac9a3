"""Movie ids beyond a bigint in the profile's lists are unknown ids (400), not a 500.

``users.services`` once cleaned the lists with its own copy of the id cleaner, without
the guard ``movies.services`` had: SQLite cannot bind 2**64 (``OverflowError``), so
``PATCH /api/users/profiles/me/ {"favorite_movies": [18446744073709551616]}`` was a 500.
Both now use ``core.ids.clean_ids``.
"""

from __future__ import annotations

import pytest

from .factories import MovieFactory, UserProfileFactory

ME = "/api/users/profiles/me/"
LIST = "/api/users/profiles/"
HUGE = 18446744073709551616  # 2**64


@pytest.fixture
def owned(user):
    return UserProfileFactory(user=user)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["favorite_movies", "watched_movies"])
@pytest.mark.parametrize("huge", [HUGE, 2**63])
def test_patch_me_with_an_id_beyond_a_bigint_is_400_naming_the_list(
    user_client, owned, field, huge
):
    movie = MovieFactory()
    owned.favorite_movies.add(movie)

    response = user_client.patch(ME, {field: [huge]}, format="json")

    assert response.status_code == 400
    assert response.json() == {field: [f"Unknown movie id(s): {huge}."]}
    assert list(owned.favorite_movies.all()) == [movie]  # nothing changed


@pytest.mark.django_db
def test_an_admin_creating_a_profile_with_a_huge_id_gets_400(admin_client_api, other_user):
    response = admin_client_api.post(
        LIST, {"user": other_user.pk, "favorite_movies": [HUGE]}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"favorite_movies": [f"Unknown movie id(s): {HUGE}."]}
