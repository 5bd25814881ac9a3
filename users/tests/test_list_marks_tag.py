"""``{% list_marks %}``: the members' marks on the catalogue's cards, in one query a page,
so the ``movies`` app never imports ``users``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from .factories import MovieFactory, UserProfileFactory

pytestmark = pytest.mark.django_db

TEMPLATE = Template(
    "{% load list_marks %}{% list_marks movies as marks %}"
    "{% for movie in movies %}{{ movie.title }}:"
    "{% if movie.pk in marks.favorite_ids %}F{% endif %}"
    "{% if movie.pk in marks.watched_ids %}W{% endif %} {% endfor %}"
)


def render(user, movies) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return TEMPLATE.render(Context({"request": request, "movies": movies})).strip()


def test_a_members_marks_for_the_whole_page_cost_one_query(django_assert_num_queries):
    profile = UserProfileFactory()
    movies = [MovieFactory(title=f"M{n}") for n in range(12)]
    profile.favorite_movies.add(movies[0], movies[2])
    profile.watched_movies.add(movies[2], movies[5])
    UserProfileFactory().favorite_movies.add(movies[1])  # someone else's mark

    with django_assert_num_queries(1):
        html = render(profile.user, movies)

    assert html.split()[:6] == ["M0:F", "M1:", "M2:FW", "M3:", "M4:", "M5:W"]


@pytest.mark.parametrize("movies", [[], None])
def test_nothing_to_mark_costs_no_query(django_assert_num_queries, movies):
    profile = UserProfileFactory()
    with django_assert_num_queries(0):
        render(profile.user, movies)


def test_anonymous_visitors_have_no_marks_and_cost_no_query(django_assert_num_queries):
    movies = [MovieFactory(title="Solo")]
    with django_assert_num_queries(0):
        assert render(AnonymousUser(), movies) == "Solo:"


def test_one_movie_works_too(django_assert_num_queries):
    profile = UserProfileFactory()
    movie = MovieFactory(title="One")
    profile.watched_movies.add(movie)
    template = Template(
        "{% load list_marks %}{% list_marks movie as marks %}"
        "{% if movie.pk in marks.watched_ids %}watched{% endif %}"
    )
    request = RequestFactory().get("/")
    request.user = profile.user
    with django_assert_num_queries(1):
        assert template.render(Context({"request": request, "movie": movie})) == "watched"
