"""Factories for the catalogue's tests."""

from __future__ import annotations

from decimal import Decimal

import factory

from movies.models import Actor, Genre, Movie


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre

    name = factory.Sequence(lambda n: f"Genre {n}")


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")


class MovieFactory(factory.django.DjangoModelFactory):
    """A movie; pass ``genres=[...]`` and ``actors=[...]`` to link them."""

    class Meta:
        model = Movie
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Movie {n}")
    plot_summary = factory.Sequence(lambda n: f"The story of movie number {n}.")
    rating = Decimal("3.0")

    @factory.post_generation
    def genres(self, create, extracted, **kwargs):
        if create and extracted:
            self.genres.set(extracted)

    @factory.post_generation
    def actors(self, create, extracted, **kwargs):
        if create and extracted:
            self.actors.set(extracted)
