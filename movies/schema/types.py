"""The catalogue's GraphQL types: Movie, Genre, Actor.

``LIST_SIZES`` states how many items each unpaginated list field is counted as by
the cost limit (``core.graphql``); paginated ones count their ``limit``.
"""

from __future__ import annotations

import graphene
from graphene_django import DjangoObjectType

from core.graphql import check_limit, field_error
from movies import selectors
from movies.models import CastMember, Genre, Movie, Person

from .prefetch import page_attr, prefetched

# Assumed sizes of the lists that take no ``limit``, for the cost limit.
LIST_SIZES = {
    "Query.allGenres": 50,
    "Query.allActors": 100,
    "Movie.genres": 10,
    "Movie.actors": 20,
    "Movie.directors": 5,
    "Movie.cast": 20,
}


def _page_arguments(what: str) -> dict[str, graphene.Argument]:
    return {
        "limit": graphene.Int(
            default_value=20,
            description=f"How many {what}: at most 100 (the GRAPHQL_MAX_LIMIT setting).",
        ),
        "offset": graphene.Int(default_value=0, description=f"How many {what} to skip."),
    }


def _movies_page(
    parent: Genre | Person,
    queryset,
    limit: int | None,
    offset: int | None,
    field_name: str = "movies",
):
    """A page of ``parent.<field_name>``: prefetched (see ``prefetch.py``), else one query."""
    limit = 20 if limit is None else limit
    offset = offset or 0
    check_limit(limit, offset)
    prefetched = getattr(parent, page_attr(field_name, limit, offset), None)
    if prefetched is not None:
        return prefetched
    return queryset[offset : offset + limit]


class GenreType(DjangoObjectType):
    """A kind of movie, such as Drama. Names are unique ignoring case."""

    movies = graphene.List(
        graphene.NonNull(lambda: MovieType),
        required=True,
        description="Movies of this genre, newest first.",
        **_page_arguments("movies"),
    )

    class Meta:
        model = Genre
        name = "Genre"
        fields = ("id", "name", "movies")

    @staticmethod
    def resolve_movies(genre: Genre, info, limit: int | None = 20, offset: int | None = 0):
        return _movies_page(genre, selectors.genre_movie_list(genre=genre), limit, offset)


class ActorType(DjangoObjectType):
    """A person credited on movies: in the cast, as a director, or both."""

    movies = graphene.List(
        graphene.NonNull(lambda: MovieType),
        required=True,
        description="Movies this person acts in, newest first.",
        **_page_arguments("movies"),
    )
    directed = graphene.List(
        graphene.NonNull(lambda: MovieType),
        required=True,
        description="Movies this person directed, newest first.",
        **_page_arguments("movies"),
    )

    class Meta:
        model = Person
        name = "Actor"
        fields = ("id", "name", "movies", "directed")

    @staticmethod
    def resolve_movies(actor: Person, info, limit: int | None = 20, offset: int | None = 0):
        return _movies_page(actor, selectors.actor_movie_list(actor=actor), limit, offset)

    @staticmethod
    def resolve_directed(actor: Person, info, limit: int | None = 20, offset: int | None = 0):
        return _movies_page(
            actor, selectors.director_movie_list(director=actor), limit, offset, "directed"
        )


class CastMemberType(DjangoObjectType):
    """One billed line of a cast: who, as which character, in which place (0 first)."""

    actor = graphene.Field(ActorType, required=True, description="The person.")
    character = graphene.String(required=True, description='The character; may be "".')
    order = graphene.Int(required=True, description="Billing order, 0 first.")

    class Meta:
        model = CastMember
        name = "CastMember"
        fields = ("actor", "character", "order")

    @staticmethod
    def resolve_actor(line: CastMember, info) -> Person:
        return line.person


class MembersRatingType(graphene.ObjectType):
    """The members' own rating of a movie (the catalogue's is ``Movie.rating``)."""

    average = graphene.Float(description="Average score, 0.5 to 5.0; null while count is 0.")
    count = graphene.Int(required=True, description="How many members rated the movie.")

    class Meta:
        name = "MembersRating"


class MovieType(DjangoObjectType):
    """A movie in the catalogue, with its genres, directors and cast."""

    image_url = graphene.String(description="Absolute URL of the poster, or null.")
    rating = graphene.Float(required=True, description="Rating from 0.0 to 5.0, one decimal.")
    genres = graphene.List(
        graphene.NonNull(GenreType), required=True, description="Genres, by name."
    )
    actors = graphene.List(
        graphene.NonNull(ActorType), required=True, description="The cast, in billing order."
    )
    release_date = graphene.Date(description="First release date, or null.")
    year = graphene.Int(description="The release year, or null.")
    runtime = graphene.Int(description="Length in minutes, or null.")
    directors = graphene.List(
        graphene.NonNull(ActorType), required=True, description="Directors, by name."
    )
    cast = graphene.List(
        graphene.NonNull(CastMemberType),
        required=True,
        description="The cast with characters, in billing order.",
    )
    members_rating = graphene.Field(
        MembersRatingType, required=True, description="The members' own rating."
    )
    similar = graphene.List(
        graphene.NonNull(lambda: MovieType),
        required=True,
        limit=graphene.Int(
            default_value=selectors.SIMILAR_DEFAULT,
            description=f"How many: at most {selectors.SIMILAR_MAX}.",
        ),
        description="Movies sharing the most genres, cast and directors with this one, "
        "then by the members' rating; never itself.",
    )

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
            "release_date",
            "year",
            "runtime",
            "directors",
            "cast",
            "members_rating",
            "similar",
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

    # Each relation is read from ``prefetch``'s lists when the resolver above prefetched it.
    @staticmethod
    def resolve_genres(movie: Movie, info):
        rows = prefetched(movie, "genres")
        return movie.genres.all() if rows is None else rows

    @staticmethod
    def resolve_actors(movie: Movie, info):
        lines = prefetched(movie, "cast")
        return movie.billed_people if lines is None else [line.person for line in lines]

    @staticmethod
    def resolve_directors(movie: Movie, info):
        rows = prefetched(movie, "directors")
        return movie.directors.all() if rows is None else rows

    @staticmethod
    def resolve_cast(movie: Movie, info):
        lines = prefetched(movie, "cast")
        return movie.billed_cast if lines is None else lines

    @staticmethod
    def resolve_similar(movie: Movie, info, limit: int | None = selectors.SIMILAR_DEFAULT):
        """``movies.selectors.similar_movie_list``: a fixed number of queries a movie
        (the ranking is cached), meant for one movie rather than a whole list."""
        limit = selectors.SIMILAR_DEFAULT if limit is None else limit
        if not 0 <= limit <= selectors.SIMILAR_MAX:
            raise field_error("limit", f"Give a number from 0 to {selectors.SIMILAR_MAX}.")
        return selectors.similar_movie_list(movie_id=movie.pk, limit=limit)

    @staticmethod
    def resolve_members_rating(movie: Movie, info) -> MembersRatingType:
        average = movie.members_rating_average
        return MembersRatingType(
            average=float(average) if average is not None else None,
            count=movie.members_rating_count,
        )
