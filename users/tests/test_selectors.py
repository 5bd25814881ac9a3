"""Who sees which profile (the one rule), and the reads the pages use."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from users import selectors

from .factories import (
    PASSWORD,
    MovieFactory,
    PendingProfileFactory,
    UserFactory,
    UserProfileFactory,
)


@pytest.fixture
def profiles(user, other_user, admin_user):
    return {
        "alice": UserProfileFactory(user=user),
        "bob": UserProfileFactory(user=other_user),
        "root": UserProfileFactory(user=admin_user),
    }


@pytest.mark.django_db
def test_anonymous_and_nobody_see_no_profile(profiles):
    assert list(selectors.profile_list(user=AnonymousUser())) == []
    assert list(selectors.profile_list(user=None)) == []
    assert selectors.profile_get(user=AnonymousUser(), profile_id=profiles["alice"].pk) is None


@pytest.mark.django_db
def test_a_user_sees_only_their_own_profile(profiles, user):
    assert list(selectors.profile_list(user=user)) == [profiles["alice"]]
    assert selectors.profile_get(user=user, profile_id=profiles["alice"].pk) == profiles["alice"]
    assert selectors.profile_get(user=user, profile_id=profiles["bob"].pk) is None


@pytest.mark.django_db
def test_an_admin_sees_every_profile_in_id_order(profiles, admin_user):
    assert list(selectors.profile_list(user=admin_user)) == [
        profiles["alice"],
        profiles["bob"],
        profiles["root"],
    ]


@pytest.mark.django_db
def test_a_deactivated_admin_is_no_admin(profiles, admin_user):
    admin_user.is_active = False
    admin_user.save()

    assert list(selectors.profile_list(user=admin_user)) == [profiles["root"]]


@pytest.mark.django_db
def test_profile_get_takes_junk_ids(profiles, admin_user):
    assert selectors.profile_get(user=admin_user, profile_id="abc") is None
    assert selectors.profile_get(user=admin_user, profile_id=999999) is None


@pytest.mark.django_db
def test_profile_of_loads_the_lists_for_a_fixed_cost(profiles, user, django_assert_num_queries):
    profiles["alice"].favorite_movies.set([MovieFactory() for _ in range(5)])

    with django_assert_num_queries(4):  # the profile with its user, three lists
        profile = selectors.profile_of(user=user)
        assert len(profile.favorite_movies.all()) == 5
        assert profile.user.username == "alice"
        assert list(profile.watched_movies.all()) == []
        assert list(profile.watchlist_movies.all()) == []
    assert selectors.profile_of(user=UserFactory()) is None


@pytest.mark.django_db
def test_movie_lists_and_marks_for_the_pages(profiles, user, other_user):
    zulu, alpha, seen = MovieFactory(title="Zulu"), MovieFactory(title="Alpha"), MovieFactory()
    profiles["alice"].favorite_movies.set([zulu, alpha])
    profiles["alice"].watched_movies.set([seen])
    profiles["bob"].favorite_movies.set([seen])

    assert list(selectors.favorite_movie_list(user=user)) == [alpha, zulu]
    assert list(selectors.watched_movie_list(user=user)) == [seen]
    assert selectors.movie_list_marks(user=user) == (
        frozenset({zulu.pk, alpha.pk}),
        frozenset({seen.pk}),
    )
    assert selectors.movie_list_marks(user=AnonymousUser()) == (frozenset(), frozenset())


@pytest.mark.django_db
def test_marks_come_in_one_query_and_can_be_narrowed_to_a_page(
    profiles, user, django_assert_num_queries
):
    movies = [MovieFactory() for _ in range(4)]
    profiles["alice"].favorite_movies.set(movies[:3])
    profiles["alice"].watched_movies.set(movies[1:])

    with django_assert_num_queries(1):
        marks = selectors.movie_list_marks(user=user, movie_ids=[movies[0].pk, movies[3].pk])
    assert marks == (frozenset({movies[0].pk}), frozenset({movies[3].pk}))
    with django_assert_num_queries(0):
        assert selectors.movie_list_marks(user=user, movie_ids=[]) == (frozenset(), frozenset())
    with django_assert_num_queries(1):
        assert selectors.movie_list_marks(user=user)[1] == frozenset(m.pk for m in movies[1:])


@pytest.mark.django_db
def test_pending_registration_for_login_needs_the_right_password(user):
    pending = PendingProfileFactory(user__username="carol")
    verified = UserProfileFactory(user__username="dave", user__is_active=False)

    assert selectors.pending_registration_for_login(username="carol", password=PASSWORD) == pending
    assert selectors.pending_registration_for_login(username="carol", password="nope") is None
    assert selectors.pending_registration_for_login(username="CAROL", password=PASSWORD) is None
    assert selectors.pending_registration_for_login(username="dave", password=PASSWORD) is None
    assert selectors.pending_registration_for_login(username="alice", password=PASSWORD) is None
    assert (
        selectors.pending_registration(user_id=pending.user_id, phone_number=pending.phone_number)
        == pending
    )
    assert (
        selectors.pending_registration(user_id=pending.user_id, phone_number="+14155550000") is None
    )
    assert (
        selectors.pending_registration(user_id=verified.user_id, phone_number=verified.phone_number)
        is None
    )
