"""The catalogue over GraphQL: the types, this app's ``Query`` and ``Mutation``.

Resolvers stay thin. Reads go through ``movies.selectors`` (so ``allMovies`` and
``moviesCount`` filter with the same ``MovieFilter`` as REST), writes through
``movies.services``; the only thing added here is prefetching the relations a
document actually selects, so any list is served in a constant number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import graphene
from django.db.models import Model, QuerySet, prefetch_related_objects
from graphene_django import DjangoObjectType
from graphql.language import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)

from movie_api.graphql import check_limit, field_error, require_admin, user_errors
from movies import selectors, services
from movies.models import Genre, Movie, Person

# --- Prefetching what the document selects ----------------------------------------

# For each type, its list fields that are relations, and the type they lead to.
# The GraphQL field names are the model relation names.
RELATIONS: dict[str, dict[str, str]] = {
    "Movie": {"genres": "Genre"},
    "Genre": {"movies": "Movie"},
    "Actor": {"movies": "Movie"},
}


def _selected(
    selection_sets: Iterable[SelectionSetNode | None], fragments
) -> dict[str, list[SelectionSetNode | None]]:
    """Field name -> the sub-selections of every selection of it, through fragments."""
    found: dict[str, list[SelectionSetNode | None]] = defaultdict(list)
    pending = list(selection_sets)
    while pending:
        selection_set = pending.pop()
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found[selection.name.value].append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    pending.append(fragment.selection_set)
    return found


def _lookups(type_name: str, selection_sets, fragments, prefix: str = "") -> list[str]:
    fields = _selected(selection_sets, fragments)
    lookups = []
    for field, related_type in RELATIONS[type_name].items():
        if field in fields:
            lookup = f"{prefix}{field}"
            lookups.append(lookup)
            lookups += _lookups(related_type, fields[field], fragments, f"{lookup}__")
    return lookups


def prefetch_lookups(info, type_name: str, path: Sequence[str] = ()) -> list[str]:
    """The ``prefetch_related`` lookups for what the current field selects.

    ``path`` walks down first, e.g. ``("movie",)`` from a mutation payload.
    Related objects keep their models' default order (movies newest first,
    genres and actors by name), as in REST.
    """
    selection_sets = [node.selection_set for node in info.field_nodes]
    for name in path:
        selection_sets = _selected(selection_sets, info.fragments).get(name, [])
    return _lookups(type_name, selection_sets, info.fragments)


def with_selected(queryset: QuerySet, info, type_name: str) -> QuerySet:
    # A selector's own Prefetch of the same relation comes first and wins.
    return queryset.prefetch_related(*prefetch_lookups(info, type_name))


def one_with_selected(obj: Model | None, info, type_name: str, path: Sequence[str] = ()):
    if obj is not None:
        prefetch_related_objects([obj], *prefetch_lookups(info, type_name, path))
    return obj


# --- Types ------------------------------------------------------------------------


class GenreType(DjangoObjectType):
    """A kind of movie, such as Drama. Names are unique ignoring case."""

    movies = graphene.List(
        graphene.NonNull(lambda: MovieType),
        required=True,
        description="Movies of this genre, newest first.",
    )

    class Meta:
        model = Genre
        name = "Genre"
        fields = ("id", "name", "movies")

    @staticmethod
    def resolve_movies(genre: Genre, info):
        return genre.movies.all()


class ActorType(DjangoObjectType):
    """A person who appears in movies."""

    movies = graphene.List(
        graphene.NonNull(lambda: MovieType),
        required=True,
        description="Movies this actor appears in, newest first.",
    )

    class Meta:
        model = Person
        name = "Actor"
        fields = ("id", "name", "movies")

    @staticmethod
    def resolve_movies(actor: Person, info):
        return actor.movies.all()


class MovieType(DjangoObjectType):
    """A movie in the catalogue, with its genres and cast."""

    image_url = graphene.String(description="Absolute URL of the poster, or null.")
    rating = graphene.Float(required=True, description="Rating from 0.0 to 5.0, one decimal.")
    genres = graphene.List(
        graphene.NonNull(GenreType), required=True, description="Genres, by name."
    )
    actors = graphene.List(graphene.NonNull(ActorType), required=True, description="Cast, by name.")

    class Meta:
        model = Movie
        name = "Movie"
        fields = (
            "id",
            "title",
            "plot_summary",
            "image_url",
            "rating",
            "genres",
            "actors",
            "created_at",
        )

    @staticmethod
    def resolve_image_url(movie: Movie, info) -> str | None:
        if not movie.image:
            return None
        url = movie.image.url
        build_absolute_uri = getattr(info.context, "build_absolute_uri", None)
        return build_absolute_uri(url) if build_absolute_uri else url

    @staticmethod
    def resolve_rating(movie: Movie, info) -> float:
        return float(movie.rating)

    @staticmethod
    def resolve_genres(movie: Movie, info):
        return movie.genres.all()

    @staticmethod
    def resolve_actors(movie: Movie, info):
        return movie.billed_people


# --- Queries ----------------------------------------------------------------------

# GraphQL argument -> MovieFilter field, and back for error messages.
MOVIE_FILTER_ARGS = {
    "search": "search",
    "title": "title",
    "genre": "genre",
    "actor": "actor",
    "min_rating": "min_rating",
    "max_rating": "max_rating",
    "order_by": "ordering",
}
MOVIE_FILTER_FIELD_NAMES = {"ordering": "orderBy"}


def _movie_filter_arguments(*, ordering: bool) -> dict[str, graphene.Argument]:
    arguments = {
        "search": graphene.String(description="Words in the title or plot (any case)."),
        "title": graphene.String(description="Part of the title (any case)."),
        "genre": graphene.String(description="A genre id, or a genre name (any case)."),
        "actor": graphene.String(description="An actor id, or part of an actor's name."),
        "min_rating": graphene.Float(description="At least this rating."),
        "max_rating": graphene.Float(description="At most this rating."),
    }
    if ordering:
        arguments["order_by"] = graphene.String(
            description="title, rating or created_at (or createdAt); prefix with - "
            "for descending. Default: newest first. Ties are broken by id."
        )
    return arguments


def _movie_filters(arguments: dict) -> dict:
    filters = {MOVIE_FILTER_ARGS[name]: value for name, value in arguments.items()}
    if isinstance(filters.get("ordering"), str):
        # GraphQL spells fields in camelCase; REST's created_at works too.
        filters["ordering"] = filters["ordering"].replace("createdAt", "created_at")
    return filters


class Query(graphene.ObjectType):
    all_movies = graphene.List(
        graphene.NonNull(MovieType),
        required=True,
        description="Movies matching the filters (the same filters as /api/movies/).",
        **_movie_filter_arguments(ordering=True),
        limit=graphene.Int(
            default_value=20,
            description="How many movies: at most 100 (the GRAPHQL_MAX_LIMIT setting).",
        ),
        offset=graphene.Int(default_value=0, description="How many matching movies to skip."),
    )
    movies_count = graphene.Int(
        required=True,
        description="How many movies match the filters.",
        **_movie_filter_arguments(ordering=False),
    )
    all_genres = graphene.List(
        graphene.NonNull(GenreType),
        required=True,
        name=graphene.String(description="Part of the name (any case)."),
        description="Genres by name.",
    )
    all_actors = graphene.List(
        graphene.NonNull(ActorType),
        required=True,
        name=graphene.String(description="Part of the name (any case)."),
        description="Actors by name.",
    )
    movie = graphene.Field(MovieType, id=graphene.ID(required=True), description="One movie.")
    genre = graphene.Field(GenreType, id=graphene.ID(required=True), description="One genre.")
    actor = graphene.Field(ActorType, id=graphene.ID(required=True), description="One actor.")

    @staticmethod
    def resolve_all_movies(root, info, limit: int | None = 20, offset: int | None = 0, **args):
        limit = 20 if limit is None else limit
        offset = offset or 0
        check_limit(limit, offset)
        with user_errors(MOVIE_FILTER_FIELD_NAMES):
            movies = selectors.movie_list(filters=_movie_filters(args))
            return list(with_selected(movies, info, "Movie")[offset : offset + limit])

    @staticmethod
    def resolve_movies_count(root, info, **args) -> int:
        with user_errors(MOVIE_FILTER_FIELD_NAMES):
            return selectors.movie_list(filters=_movie_filters(args)).count()

    @staticmethod
    def resolve_all_genres(root, info, name: str | None = None):
        with user_errors():
            return with_selected(selectors.genre_list(filters={"name": name}), info, "Genre")

    @staticmethod
    def resolve_all_actors(root, info, name: str | None = None):
        with user_errors():
            return with_selected(selectors.actor_list(filters={"name": name}), info, "Actor")

    @staticmethod
    def resolve_movie(root, info, id: str):
        return one_with_selected(selectors.movie_get(movie_id=id), info, "Movie")

    @staticmethod
    def resolve_genre(root, info, id: str):
        return one_with_selected(selectors.genre_get(genre_id=id), info, "Genre")

    @staticmethod
    def resolve_actor(root, info, id: str):
        return one_with_selected(selectors.actor_get(actor_id=id), info, "Actor")


# --- Mutations --------------------------------------------------------------------


class MovieInput(graphene.InputObjectType):
    """A movie to create, or the fields to change (fields left out stay as they are)."""

    title = graphene.String(description="Required to create; at most 200 characters.")
    plot_summary = graphene.String(description="A short summary of the plot.")
    rating = graphene.Float(description="0.0 to 5.0, one decimal place. Default 0.0.")
    genre_ids = graphene.List(graphene.NonNull(graphene.ID), description="The genres' ids.")
    actor_ids = graphene.List(graphene.NonNull(graphene.ID), description="The actors' ids.")


# MovieInput field -> movies.services keyword, and back for error messages.
MOVIE_INPUT_KWARGS = {
    "title": "title",
    "plot_summary": "plot_summary",
    "rating": "rating",
    "genre_ids": "genres",
    "actor_ids": "actors",
}
MOVIE_FIELD_NAMES = {"genres": "genreIds", "actors": "actorIds"}


def _movie_kwargs(movie_input: MovieInput) -> dict:
    # Only the fields the client sent: an update leaves the others alone.
    return {MOVIE_INPUT_KWARGS[name]: value for name, value in dict(movie_input).items()}


def _get_or_error(getter, object_id: str, label: str):
    obj = getter(object_id)
    if obj is None:
        raise field_error("id", f"No {label} with this id.", code="NOT_FOUND")
    return obj


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


def _movie_payload(info, movie: Movie) -> MoviePayload:
    movie = selectors.movie_get(movie_id=movie.pk)
    return MoviePayload(movie=one_with_selected(movie, info, "Movie", ("movie",)))


class CreateMovie(graphene.Mutation):
    """Add a movie (admins only)."""

    class Arguments:
        input = MovieInput(required=True)

    Output = MoviePayload

    @staticmethod
    def mutate(root, info, input: MovieInput):
        require_admin(info)
        with user_errors(MOVIE_FIELD_NAMES):
            movie = services.movie_create(**{"title": "", **_movie_kwargs(input)})
        return _movie_payload(info, movie)


class UpdateMovie(graphene.Mutation):
    """Change a movie (admins only); fields left out of the input stay as they are."""

    class Arguments:
        id = graphene.ID(required=True)
        input = MovieInput(required=True)

    Output = MoviePayload

    @staticmethod
    def mutate(root, info, id: str, input: MovieInput):
        require_admin(info)
        movie = _get_or_error(lambda pk: selectors.movie_get(movie_id=pk), id, "movie")
        with user_errors(MOVIE_FIELD_NAMES):
            services.movie_update(movie=movie, **_movie_kwargs(input))
        return _movie_payload(info, movie)


class DeleteMovie(graphene.Mutation):
    """Delete a movie and its poster (admins only)."""

    class Arguments:
        id = graphene.ID(required=True)

    Output = DeletePayload

    @staticmethod
    def mutate(root, info, id: str):
        require_admin(info)
        movie = _get_or_error(lambda pk: selectors.movie_get(movie_id=pk), id, "movie")
        movie_id = movie.pk
        services.movie_delete(movie=movie)
        return DeletePayload(ok=True, id=movie_id)


def _genre_payload(info, genre: Genre) -> GenrePayload:
    return GenrePayload(genre=one_with_selected(genre, info, "Genre", ("genre",)))


def _actor_payload(info, actor: Person) -> ActorPayload:
    return ActorPayload(actor=one_with_selected(actor, info, "Actor", ("actor",)))


class CreateGenre(graphene.Mutation):
    """Add a genre (admins only); names are unique ignoring case."""

    class Arguments:
        name = graphene.String(required=True)

    Output = GenrePayload

    @staticmethod
    def mutate(root, info, name: str):
        require_admin(info)
        with user_errors():
            genre = services.genre_create(name=name)
        return _genre_payload(info, genre)


class UpdateGenre(graphene.Mutation):
    """Rename a genre (admins only)."""

    class Arguments:
        id = graphene.ID(required=True)
        name = graphene.String(required=True)

    Output = GenrePayload

    @staticmethod
    def mutate(root, info, id: str, name: str):
        require_admin(info)
        genre = _get_or_error(lambda pk: selectors.genre_get(genre_id=pk), id, "genre")
        with user_errors():
            genre = services.genre_update(genre=genre, name=name)
        return _genre_payload(info, genre)


class DeleteGenre(graphene.Mutation):
    """Delete a genre; its movies stay (admins only)."""

    class Arguments:
        id = graphene.ID(required=True)

    Output = DeletePayload

    @staticmethod
    def mutate(root, info, id: str):
        require_admin(info)
        genre = _get_or_error(lambda pk: selectors.genre_get(genre_id=pk), id, "genre")
        genre_id = genre.pk
        services.genre_delete(genre=genre)
        return DeletePayload(ok=True, id=genre_id)


class CreateActor(graphene.Mutation):
    """Add an actor (admins only)."""

    class Arguments:
        name = graphene.String(required=True)

    Output = ActorPayload

    @staticmethod
    def mutate(root, info, name: str):
        require_admin(info)
        with user_errors():
            actor = services.actor_create(name=name)
        return _actor_payload(info, actor)


class UpdateActor(graphene.Mutation):
    """Rename an actor (admins only)."""

    class Arguments:
        id = graphene.ID(required=True)
        name = graphene.String(required=True)

    Output = ActorPayload

    @staticmethod
    def mutate(root, info, id: str, name: str):
        require_admin(info)
        actor = _get_or_error(lambda pk: selectors.actor_get(actor_id=pk), id, "actor")
        with user_errors():
            actor = services.actor_update(actor=actor, name=name)
        return _actor_payload(info, actor)


class DeleteActor(graphene.Mutation):
    """Delete an actor; their movies stay (admins only)."""

    class Arguments:
        id = graphene.ID(required=True)

    Output = DeletePayload

    @staticmethod
    def mutate(root, info, id: str):
        require_admin(info)
        actor = _get_or_error(lambda pk: selectors.actor_get(actor_id=pk), id, "actor")
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
