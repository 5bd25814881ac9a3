"""The catalogue's ``Mutation``: admins only, each a thin call to ``movies.services``.

``core.graphql.BaseMutation`` does what every one of them needs: the admin check
(first, so a non-admin learns nothing about ids), unknown ids as ``NOT_FOUND`` and
a service's ``ValidationError`` as an error naming the client's field.
"""

from __future__ import annotations

import graphene

from core.graphql import BaseMutation
from movies import selectors, services
from movies.models import Genre, Movie, Person

from .prefetch import one_with_selected
from .types import ActorType, GenreType, MovieType


class CastInput(graphene.InputObjectType):
    """One billed line of a cast to store."""

    actor_id = graphene.ID(required=True, description="The person's id.")
    character = graphene.String(description='The character played (default "").')
    order = graphene.Int(description="Billing order, 0 first (default: the line's place).")


class MovieInput(graphene.InputObjectType):
    """A movie to create, or the fields to change (fields left out stay as they are)."""

    title = graphene.String(description="Required to create; at most 200 characters.")
    plot_summary = graphene.String(description="A short summary of the plot.")
    rating = graphene.Float(description="0.0 to 5.0, one decimal place. Default 0.0.")
    genre_ids = graphene.List(graphene.NonNull(graphene.ID), description="The genres' ids.")
    actor_ids = graphene.List(
        graphene.NonNull(graphene.ID),
        description="People's ids: replaces the cast, billed in this order, no characters.",
    )
    release_date = graphene.Date(description="First release date, or null when unknown.")
    runtime = graphene.Int(description="Minutes, 1 to 1000, or null when unknown.")
    director_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="The directors' (people's) ids."
    )
    cast = graphene.List(
        graphene.NonNull(CastInput),
        description="Replaces the cast, with characters and billing order (not with actorIds).",
    )


# MovieInput field -> movies.services keyword.
MOVIE_INPUT_KWARGS = {
    "title": "title",
    "plot_summary": "plot_summary",
    "rating": "rating",
    "genre_ids": "genres",
    "actor_ids": "actors",
    "release_date": "release_date",
    "runtime": "runtime",
    "director_ids": "directors",
    "cast": "cast",
}


def _cast_lines(lines) -> list[dict] | None:
    """``CastInput`` lines as the service takes them (``actor``, ``character``, ``order``)."""
    if lines is None:
        return None
    cleaned = []
    for line in lines:
        entry = {"actor": line.get("actor_id")}
        for name in ("character", "order"):
            if line.get(name) is not None:
                entry[name] = line[name]
        cleaned.append(entry)
    return cleaned


def _movie_kwargs(movie_input: MovieInput) -> dict:
    # Only the fields the client sent: an update leaves the others alone.
    kwargs = {MOVIE_INPUT_KWARGS[name]: value for name, value in dict(movie_input).items()}
    if "cast" in kwargs:
        kwargs["cast"] = _cast_lines(kwargs["cast"])
    return kwargs


class MoviePayload(graphene.ObjectType):
    """The movie as it is after the change."""

    movie = graphene.Field(MovieType, required=True)


class GenrePayload(graphene.ObjectType):
    """The genre as it is after the change."""

    genre = graphene.Field(GenreType, required=True)


class ActorPayload(graphene.ObjectType):
    """The actor as it is after the change."""

    actor = graphene.Field(ActorType, required=True)


class DeletePayload(graphene.ObjectType):
    """What a delete did."""

    ok = graphene.Boolean(required=True, description="True once the object is deleted.")
    id = graphene.ID(required=True, description="The id the object had.")


def _movie(pk: str) -> Movie | None:
    return selectors.movie_get(movie_id=pk)


def _genre(pk: str) -> Genre | None:
    return selectors.genre_get(genre_id=pk)


def _actor(pk: str) -> Person | None:
    return selectors.actor_get(actor_id=pk)


def _movie_payload(info, movie: Movie) -> MoviePayload:
    movie = selectors.movie_get(movie_id=movie.pk)
    return MoviePayload(movie=one_with_selected(movie, info, "Movie", ("movie",)))


def _genre_payload(info, genre: Genre) -> GenrePayload:
    return GenrePayload(genre=one_with_selected(genre, info, "Genre", ("genre",)))


def _actor_payload(info, actor: Person) -> ActorPayload:
    return ActorPayload(actor=one_with_selected(actor, info, "Actor", ("actor",)))


# --- Movies -----------------------------------------------------------------------


class MovieMutation(BaseMutation):
    class Meta:
        abstract = True

    field_names = {
        "genres": "genreIds",
        "actors": "actorIds",
        "directors": "directorIds",
        "release_date": "releaseDate",
    }


class CreateMovie(MovieMutation):
    """Add a movie (admins only)."""

    class Arguments:
        input = MovieInput(required=True)

    Output = MoviePayload

    @classmethod
    def perform_mutation(cls, info, input: MovieInput):
        movie = services.movie_create(**{"title": "", **_movie_kwargs(input)})
        return _movie_payload(info, movie)


class UpdateMovie(MovieMutation):
    """Change a movie (admins only); fields left out of the input stay as they are."""

    class Arguments:
        id = graphene.ID(required=True)
        input = MovieInput(required=True)

    Output = MoviePayload

    @classmethod
    def perform_mutation(cls, info, id: str, input: MovieInput):
        movie = cls.get_or_error(_movie, id, "movie")
        services.movie_update(movie=movie, **_movie_kwargs(input))
        return _movie_payload(info, movie)


class DeleteMovie(BaseMutation):
    """Delete a movie and its poster (admins only)."""

    class Arguments:
        id = graphene.ID(required=True)

    Output = DeletePayload

    @classmethod
    def perform_mutation(cls, info, id: str):
        movie = cls.get_or_error(_movie, id, "movie")
        movie_id = movie.pk
        services.movie_delete(movie=movie)
        return DeletePayload(ok=True, id=movie_id)


# --- Genres -----------------------------------------------------------------------


class CreateGenre(BaseMutation):
    """Add a genre (admins only); names are unique ignoring case."""

    class Arguments:
        name = graphene.String(required=True)

    Output = GenrePayload

    @classmethod
    def perform_mutation(cls, info, name: str):
        return _genre_payload(info, services.genre_create(name=name))


class UpdateGenre(BaseMutation):
    """Rename a genre (admins only)."""

    class Arguments:
        id = graphene.ID(required=True)
        name = graphene.String(required=True)

    Output = GenrePayload

    @classmethod
    def perform_mutation(cls, info, id: str, name: str):
        genre = cls.get_or_error(_genre, id, "genre")
        return _genre_payload(info, services.genre_update(genre=genre, name=name))


class DeleteGenre(BaseMutation):
    """Delete a genre; its movies stay (admins only)."""

    class Arguments:
        id = graphene.ID(required=True)

    Output = DeletePayload

    @classmethod
    def perform_mutation(cls, info, id: str):
        genre = cls.get_or_error(_genre, id, "genre")
        genre_id = genre.pk
        services.genre_delete(genre=genre)
        return DeletePayload(ok=True, id=genre_id)


# --- Actors -----------------------------------------------------------------------


class CreateActor(BaseMutation):
    """Add an actor (admins only)."""

    class Arguments:
        name = graphene.String(required=True)

    Output = ActorPayload

    @classmethod
    def perform_mutation(cls, info, name: str):
        return _actor_payload(info, services.actor_create(name=name))


class UpdateActor(BaseMutation):
    """Rename an actor (admins only)."""

    class Arguments:
        id = graphene.ID(required=True)
        name = graphene.String(required=True)

    Output = ActorPayload

    @classmethod
    def perform_mutation(cls, info, id: str, name: str):
        actor = cls.get_or_error(_actor, id, "actor")
        return _actor_payload(info, services.actor_update(actor=actor, name=name))


class DeleteActor(BaseMutation):
    """Delete an actor; their movies stay (admins only)."""

    class Arguments:
        id = graphene.ID(required=True)

    Output = DeletePayload

    @classmethod
    def perform_mutation(cls, info, id: str):
        actor = cls.get_or_error(_actor, id, "actor")
        actor_id = actor.pk
        services.actor_delete(actor=actor)
        return DeletePayload(ok=True, id=actor_id)


class Mutation(graphene.ObjectType):
    create_movie = CreateMovie.Field()
    update_movie = UpdateMovie.Field()
    delete_movie = DeleteMovie.Field()
    create_genre = CreateGenre.Field()
    update_genre = UpdateGenre.Field()
    delete_genre = DeleteGenre.Field()
    create_actor = CreateActor.Field()
    update_actor = UpdateActor.Field()
    delete_actor = DeleteActor.Field()
