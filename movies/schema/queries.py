"""The catalogue's ``Query``: thin resolvers over ``movies.selectors``.

``allMovies`` and ``moviesCount`` filter with the same ``MovieFilter`` as REST.
"""

from __future__ import annotations

import graphene
from django.db.models import prefetch_related_objects

from core.graphql import check_limit, field_error, user_errors
from movies import selectors

from .prefetch import one_with_selected, prefetch_lookups, with_selected
from .types import ActorType, GenreType, MovieType

# GraphQL argument -> MovieFilter field, and back for error messages.
MOVIE_FILTER_ARGS = {
    "search": "search",
    "title": "title",
    "genre": "genre",
    "actor": "actor",
    "director": "director",
    "min_rating": "min_rating",
    "max_rating": "max_rating",
    "year_from": "year_from",
    "year_to": "year_to",
    "order_by": "ordering",
}
MOVIE_FILTER_FIELD_NAMES = {"ordering": "orderBy", "year_from": "yearFrom", "year_to": "yearTo"}
# orderBy in GraphQL's camelCase -> REST's ordering values (which work too).
ORDERING_SPELLINGS = {
    "createdAt": "created_at",
    "releaseDate": "release_date",
    "membersRating": "members_rating",
}


def _movie_filter_arguments(*, ordering: bool) -> dict[str, graphene.Argument]:
    arguments = {
        "search": graphene.String(
            description="Words in the title or plot, each as a word or the start of one "
            "(any case, any accents); by relevance unless ordered. PostgreSQL also takes "
            '"phrases" and -word.'
        ),
        "title": graphene.String(description="Part of the title (any case)."),
        "genre": graphene.String(description="A genre id, or a genre name (any case)."),
        "actor": graphene.String(description="An actor id, or part of an actor's name."),
        "director": graphene.String(description="A director's id, or part of their name."),
        "min_rating": graphene.Float(description="At least this rating."),
        "max_rating": graphene.Float(description="At most this rating."),
        "year_from": graphene.Int(description="Released in this year or later."),
        "year_to": graphene.Int(description="Released in this year or before."),
    }
    if ordering:
        arguments["order_by"] = graphene.String(
            description="title, rating, createdAt, releaseDate, runtime or membersRating "
            "(or REST's spellings); prefix with - for descending. Default: newest first. "
            "Movies without the value come last; ties are broken by id."
        )
    return arguments


def _movie_filters(arguments: dict) -> dict:
    filters = {MOVIE_FILTER_ARGS[name]: value for name, value in arguments.items()}
    ordering = filters.get("ordering")
    if isinstance(ordering, str):
        # GraphQL spells fields in camelCase; REST's created_at works too.
        prefix = "-" if ordering.startswith("-") else ""
        name = ordering[len(prefix) :]
        filters["ordering"] = prefix + ORDERING_SPELLINGS.get(name, name)
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
    search_suggestions = graphene.List(
        graphene.NonNull(MovieType),
        required=True,
        q=graphene.String(required=True, description="What the user typed so far."),
        limit=graphene.Int(default_value=8, description="How many: at most 20."),
        description="Titles for a search box: starts of titles first, then typos "
        "(the same as /api/movies/suggest/). Fewer than 2 characters give [].",
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
            movies = selectors.movie_list(filters=_movie_filters(args), prefetch=False)
            return list(with_selected(movies, info, "Movie")[offset : offset + limit])

    @staticmethod
    def resolve_movies_count(root, info, **args) -> int:
        with user_errors(MOVIE_FILTER_FIELD_NAMES):
            return selectors.movie_list(filters=_movie_filters(args), prefetch=False).count()

    @staticmethod
    def resolve_all_genres(root, info, name: str | None = None):
        with user_errors():
            return with_selected(selectors.genre_list(filters={"name": name}), info, "Genre")

    @staticmethod
    def resolve_all_actors(root, info, name: str | None = None):
        with user_errors():
            return with_selected(selectors.actor_list(filters={"name": name}), info, "Actor")

    @staticmethod
    def resolve_search_suggestions(root, info, q: str, limit: int | None = 8):
        limit = 8 if limit is None else limit
        if limit < 1:
            raise field_error("limit", "Ensure this value is greater than or equal to 1.")
        movies = selectors.movie_suggestions(q=q.replace("\x00", " "), limit=limit)
        prefetch_related_objects(movies, *prefetch_lookups(info, "Movie"))
        return movies

    @staticmethod
    def resolve_movie(root, info, id: str):
        queryset = with_selected(selectors.movie_base_queryset(), info, "Movie")
        return selectors.movie_get(movie_id=id, queryset=queryset)

    @staticmethod
    def resolve_genre(root, info, id: str):
        return one_with_selected(selectors.genre_get(genre_id=id), info, "Genre")

    @staticmethod
    def resolve_actor(root, info, id: str):
        return one_with_selected(selectors.actor_get(actor_id=id), info, "Actor")
