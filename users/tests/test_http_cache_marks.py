"""A member's Favorite / Watched marks never reach another member or an anonymous visitor
through the catalogue's response cache (core.http_cache), in whatever order they come."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from movies.tests.factories import MovieFactory

from .factories import UserProfileFactory
from .test_pages_lists import button

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: see test_http_cache


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.HTTP_CACHE = True


PAGES = {
    "home": lambda movie: reverse("movies:list"),
    "home, htmx results": lambda movie: reverse("movies:list") + "?search=Heat",
    "movie": lambda movie: reverse("movies:detail", args=[movie.pk]),
    "home page": lambda movie: reverse("movies:home"),
    "home row, htmx": lambda movie: reverse("movies:home_row", args=["top-rated"]),
    "home row page": lambda movie: reverse("movies:home_row", args=["recent"]),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("first", ["alice", "anonymous", "bob"])
def test_marks_stay_with_their_member(page, first, user, other_user):
    movie = MovieFactory(title="Heat")
    UserProfileFactory(user=user).favorite_movies.add(movie)
    UserProfileFactory(user=other_user)
    alice, bob, anonymous = Client(), Client(), Client()
    alice.force_login(user)
    bob.force_login(other_user)
    headers = {"HTTP_HX_REQUEST": "true"} if "htmx" in page else {}
    url = PAGES[page](movie)

    order = {"alice": [alice, bob, anonymous], "bob": [bob, anonymous, alice]}.get(
        first, [anonymous, alice, bob]
    )
    for _ in range(2):  # the second round would hit any entry the first one stored
        for visitor in order:
            html = visitor.get(url, **headers).content.decode()
            if visitor is alice:
                assert button(html, "favorites", movie)["pressed"] == "true"
            elif visitor is bob:
                assert button(html, "favorites", movie)["pressed"] == "false"
            else:
                # No list toggle pressed (the navbar's theme toggle has its own aria-pressed).
                assert not re.search(r'id="[^"]*-toggle-\d+" aria-pressed="true"', html)
                assert "Remove from favorites" not in html
                assert "Log in to add to favorites: Heat" in html


def test_a_members_rating_is_read_at_once_by_anonymous_visitors(user):
    movie = MovieFactory(title="Heat")
    anonymous, alice = Client(), Client()
    alice.force_login(user)
    url = f"/api/movies/{movie.pk}/"
    assert anonymous.get(url).json()["members_rating"] == {"average": None, "count": 0}

    response = alice.put(
        f"/api/users/profiles/me/ratings/{movie.pk}/",
        {"score": 4.5},
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content
    assert anonymous.get(url).json()["members_rating"] == {"average": 4.5, "count": 1}
