"""Factories for the catalogue's tests."""

from __future__ import annotations

from decimal import Decimal

import factory

from movies.models import CastMember, Genre, Movie, Person


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre

    name = factory.Sequence(lambda n: f"Genre {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Actor {n}")


ActorFactory = PersonFactory


class MovieFactory(factory.django.DjangoModelFactory):
    """A movie; pass ``genres=[...]``, ``directors=[...]``, and ``actors=[...]`` (billed in
    that order, no characters) or ``cast=[(person, "character"), ...]`` to link them."""

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
    def directors(self, create, extracted, **kwargs):
        if create and extracted:
            self.directors.set(extracted)

    @factory.post_generation
    def actors(self, create, extracted, **kwargs):
        if create and extracted:
            CastMember.objects.bulk_create(
                CastMember(movie=self, person=person, order=order)
                for order, person in enumerate(extracted)
            )

    @factory.post_generation
    def cast(self, create, extracted, **kwargs):
        if create and extracted:
            CastMember.objects.bulk_create(
                CastMember(movie=self, person=person, character=character, order=order)
                for order, (person, character) in enumerate(extracted)
            )
