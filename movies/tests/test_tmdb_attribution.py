"""TMDB's attribution in the footer: there once any movie came from TMDB (has a
``tmdb_id``), on the pages that show catalogue data; never on a catalogue without TMDB data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from movies import services

from .factories import ActorFactory, GenreFactory, MovieFactory

pytestmark = pytest.mark.django_db

ATTRIBUTION = "This product uses the TMDB API but is not endorsed or certified by TMDB."


def test_no_attribution_without_tmdb_data(client):
    movie = MovieFactory()

    assertNotContains(client.get(reverse("movies:list")), ATTRIBUTION)
    assertNotContains(client.get(reverse("movies:detail", args=[movie.pk])), ATTRIBUTION)


def test_attribution_on_catalogue_pages_once_a_movie_has_a_tmdb_id(client):
    genre, person = GenreFactory(), ActorFactory()
    movie = MovieFactory(tmdb_id=550, genres=[genre], actors=[person])

    for url in (
        reverse("movies:list"),
        reverse("movies:detail", args=[movie.pk]),
        reverse("movies:genre_detail", args=[genre.pk]),
        reverse("movies:actor_detail", args=[person.pk]),
    ):
        assertContains(client.get(url), ATTRIBUTION, count=1)
    assertNotContains(client.get(reverse("users:login")), ATTRIBUTION)


def test_the_attribution_follows_the_catalogue_version(client, django_capture_on_commit_callbacks):
    """Cached per catalogue version: a TMDB movie created through the service shows it
    on the next page, removing it hides it again."""
    assertNotContains(client.get(reverse("movies:list")), ATTRIBUTION)

    with django_capture_on_commit_callbacks(execute=True):  # the version bumps on commit
        movie = services.movie_create(title="Imported", tmdb_id=603)
    assertContains(client.get(reverse("movies:list")), ATTRIBUTION)

    with django_capture_on_commit_callbacks(execute=True):
        services.movie_delete(movie=movie)
    assertNotContains(client.get(reverse("movies:list")), ATTRIBUTION)
