"""A member's own lists are counted every time, never from the catalogue's kept counts
(core.counts): adding a favorite is not a catalogue write, so a kept count would be old."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from movies.tests.factories import MovieFactory
from users import services

from .factories import UserProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: see test_http_cache


@pytest.fixture(autouse=True)
def _counts_kept(settings):
    settings.CATALOGUE_COUNT_CACHE = True


def favorites_count(client: Client) -> int:
    response = client.get(reverse("users:my_lists"))
    assert response.status_code == 200
    return response.context["favorites"]["page_obj"].paginator.count


def test_a_members_list_count_follows_their_own_changes(user, other_user):
    first, second = MovieFactory(title="Heat"), MovieFactory(title="Ran")
    profile = UserProfileFactory(user=user)
    UserProfileFactory(user=other_user)
    alice, bob = Client(), Client()
    alice.force_login(user)
    bob.force_login(other_user)

    services.favorite_add(profile=profile, movie_id=first.pk)
    assert favorites_count(alice) == 1
    assert favorites_count(bob) == 0
    services.favorite_add(profile=profile, movie_id=second.pk)
    assert favorites_count(alice) == 2
    assert favorites_count(bob) == 0
    services.favorite_remove(profile=profile, movie_id=first.pk)
    assert favorites_count(alice) == 1
