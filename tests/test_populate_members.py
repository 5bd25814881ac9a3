"""populate_movies.py --members N against a live test server: the demo members, their
ratings, reviews, lists and diaries, made through /admin/ and the API; idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

import populate_movies
from populate.members import member_names, member_password
from users.models import DiaryEntry, Rating, UserProfile

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"  # the conftest users' password


@pytest.fixture
def run(live_server, admin_user, capsys):
    admin_user.is_superuser = True  # the admin's "Add user" form needs that permission
    admin_user.save()

    def _run(*args: str):
        argv = ["--url", live_server.url, "--username", "root", "--password", PASSWORD]
        code = populate_movies.main([*argv, "--no-progress", "--no-posters", *args])
        return code, capsys.readouterr()

    return _run


def _snapshot() -> tuple:
    return (
        sorted(get_user_model().objects.values_list("username", flat=True)),
        sorted(Rating.objects.values_list("user__username", "movie_id", "score", "review")),
        sorted(DiaryEntry.objects.values_list("user__username", "movie_id", "watched_on")),
        sorted(
            UserProfile.watchlist_movies.through.objects.values_list("userprofile_id", "movie_id")
        ),
    )


def test_members_get_ratings_reviews_lists_and_diaries_and_a_rerun_adds_nothing(run):
    code, output = run("--movies", "12", "--members", "3")

    assert code == 0, output.err
    names = member_names(3, 1)
    users = get_user_model().objects.filter(username__in=names)
    assert users.count() == 3
    assert all(user.is_active and not user.is_staff for user in users)
    assert Rating.objects.filter(user__in=users).count() >= 3 * 2
    assert Rating.objects.exclude(review="").exists()
    assert Rating.objects.filter(spoiler=True).exists()
    assert DiaryEntry.objects.filter(user__in=users).count() >= 3
    assert UserProfile.objects.filter(user__in=users, favorite_movies__isnull=False).exists()
    assert "members 3 created" in output.out
    before = _snapshot()

    cache.clear()  # a fresh minute for the login throttle (the script would wait it out)
    code, output = run("--movies", "12", "--members", "3")

    assert code == 0, output.err
    assert _snapshot() == before
    assert "members 0 created, 3 already there" in output.out


def test_a_members_password_depends_on_the_admins_and_the_name():
    assert member_password("a", "demo_ada") != member_password("b", "demo_ada")
    assert member_password("a", "demo_ada") != member_password("a", "demo_bram")
    assert len(member_password("a", "demo_ada")) == 32


def test_a_staff_account_that_cannot_add_users_is_one_line(live_server, admin_user, capsys):
    argv = ["--url", live_server.url, "--username", "root", "--password", PASSWORD]
    code = populate_movies.main([*argv, "--no-progress", "--no-posters", "--movies", "2",
                                 "--members", "1"])  # fmt: skip

    err = capsys.readouterr().err
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "member" in err
