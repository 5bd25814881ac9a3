"""The members over GraphQL: ``Review``, the ``me`` query and ``Me`` type, ``Movie.reviews``,
and the member mutations ``rateMovie`` and ``deleteRating``.

``Movie.reviews`` belongs to the members but ``Movie`` is the catalogue's type, and the
catalogue does not import the accounts. So this module adds the field to the catalogue's
``MovieType`` when it is imported (:func:`add_field`), before the root schema
(``movie_api.schema``, which inherits this ``Query`` and ``Mutation``) is built.
The rules stay in ``users.selectors.review_list`` and ``users.services.rating_set``.
"""

from __future__ import annotations

import graphene
from graphene.types.utils import yank_fields_from_attrs

from core.graphql import BaseMutation, check_limit, context_user, permission_denied
from movies.schema import prefetch
from movies.schema.mutations import DeletePayload
from movies.schema.prefetch import one_with_selected, page_attr
from movies.schema.types import MovieType
from users import selectors, services
from users.models import Rating


def _page_arguments(what: str) -> dict[str, graphene.Argument]:
    return {
        "limit": graphene.Int(default_value=20, description=f"How many {what}: at most 100."),
        "offset": graphene.Int(default_value=0, description=f"How many {what} to skip."),
    }


def _page(queryset, limit: int | None, offset: int | None, default: int = 20):
    limit = default if limit is None else limit
    offset = offset or 0
    check_limit(limit, offset)
    return queryset[offset : offset + limit]


class ReviewType(graphene.ObjectType):
    """A member's rating of a movie, with their review (``""`` for a score alone)."""

    id = graphene.ID(required=True)
    username = graphene.String(required=True, description="Who wrote it.")
    score = graphene.Float(required=True, description="0.5 to 5.0, in steps of 0.5.")
    review = graphene.String(required=True, description="Plain text; show it escaped.")
    spoiler = graphene.Boolean(required=True, description="Hide the text until asked.")
    hidden = graphene.Boolean(
        required=True, description="Hidden by support: only ever true for its own author."
    )
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    movie = graphene.Field(lambda: MovieType, required=True, description="The movie rated.")

    class Meta:
        name = "Review"

    @staticmethod
    def resolve_username(rating: Rating, info) -> str:
        return rating.user.get_username()

    @staticmethod
    def resolve_score(rating: Rating, info) -> float:
        return float(rating.score)


def add_field(object_type, name: str, field: graphene.Field) -> None:
    """Add ``field`` as ``name`` to a graphene ``object_type`` defined elsewhere (before
    the schema is built): how users extends the catalogue's ``Movie`` type."""
    object_type._meta.fields.update(yank_fields_from_attrs({name: field}, _as=graphene.Field))


def _reviews_for(info):
    """Every movie's reviews the caller may see (``users.selectors.review_list``'s rule),
    for the catalogue's prefetch of ``Movie.reviews`` pages under a list of movies."""
    return selectors.review_rows(viewer=context_user(info))


# Under a list of movies (allMovies, Genre.movies ...), one query for every movie's page
# of reviews (a window per movie), as the catalogue prefetches its own paginated lists.
prefetch.RELATIONS["Movie"]["reviews"] = ("member_ratings", "Review")
prefetch.RELATIONS["Review"] = {}
prefetch.PAGINATED.add(("Movie", "reviews"))
prefetch.PAGE_QUERYSETS[("Movie", "reviews")] = _reviews_for
prefetch.COLUMNS["Movie"]["reviews"] = ()  # reads the movie's id only


def resolve_movie_reviews(movie, info, limit: int | None = 10, offset: int | None = 0):
    """A page of the movie's reviews, newest first, as ``users.selectors.review_list``
    decides (hidden ones only for their author): prefetched with the movie when the
    resolver above it did, else one query."""
    limit = 10 if limit is None else limit
    offset = offset or 0
    check_limit(limit, offset)
    prefetched = getattr(movie, page_attr("reviews", limit, offset), None)
    if prefetched is not None:
        return prefetched
    viewer = context_user(info)
    return selectors.review_list(movie_id=movie.pk, viewer=viewer)[offset : offset + limit]


add_field(
    MovieType,
    "reviews",
    graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(ReviewType))),
        limit=graphene.Int(default_value=10, description="How many reviews: at most 100."),
        offset=graphene.Int(default_value=0, description="How many reviews to skip."),
        resolver=resolve_movie_reviews,
        description="Members' reviews, newest first (ratings without text and hidden "
        "reviews left out).",
    ),
)


class MeType(graphene.ObjectType):
    """The logged-in member's own things."""

    username = graphene.String(required=True)
    ratings = graphene.List(
        graphene.NonNull(ReviewType),
        required=True,
        description="The member's ratings, newest first (hidden ones too, marked).",
        **_page_arguments("ratings"),
    )

    class Meta:
        name = "Me"

    @staticmethod
    def resolve_username(user, info) -> str:
        return user.get_username()

    @staticmethod
    def resolve_ratings(user, info, limit: int | None = 20, offset: int | None = 0):
        return _page(selectors.rating_list(user=user), limit, offset)


def _member(info):
    user = context_user(info)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user


class Query(graphene.ObjectType):
    me = graphene.Field(MeType, description="The caller, when logged in; null otherwise.")

    @staticmethod
    def resolve_me(root, info):
        return _member(info)


class MemberMutation(BaseMutation):
    """A mutation of a logged-in member's own things (not admins only)."""

    class Meta:
        abstract = True

    @classmethod
    def check_permissions(cls, info) -> None:
        if _member(info) is None:
            raise permission_denied()


class RatingPayload(graphene.ObjectType):
    rating = graphene.Field(ReviewType, required=True, description="The member's rating.")
    created = graphene.Boolean(required=True, description="True for a new rating.")
    movie = graphene.Field(
        lambda: MovieType, required=True, description="The movie, with its members' rating."
    )


class RateMovie(MemberMutation):
    """Rate a movie, or change the rating: one a member a movie."""

    field_names = {"movie_id": "movieId"}

    class Arguments:
        movie_id = graphene.ID(required=True)
        score = graphene.Float(required=True, description="0.5 to 5.0, in steps of 0.5.")
        review = graphene.String(description="Plain text, at most 5,000 characters.")
        spoiler = graphene.Boolean(description="The review gives the story away.")

    Output = RatingPayload

    @classmethod
    def perform_mutation(cls, info, movie_id, score, review=None, spoiler=None):
        user = _member(info)
        rating, created = services.rating_set(
            user=user,
            movie_id=movie_id,
            score=score,
            review=review or "",
            spoiler=bool(spoiler),
        )
        rating = selectors.rating_list(user=user).get(pk=rating.pk)
        movie = one_with_selected(rating.movie, info, "Movie", ("movie",))
        return RatingPayload(rating=rating, created=created, movie=movie)


class DeleteRating(MemberMutation):
    """Remove the member's rating of a movie (``ok`` is false when there was none)."""

    class Arguments:
        movie_id = graphene.ID(required=True)

    Output = DeletePayload

    @classmethod
    def perform_mutation(cls, info, movie_id):
        deleted = services.rating_delete(user=_member(info), movie_id=movie_id)
        return DeletePayload(ok=deleted, id=movie_id)


class Mutation(graphene.ObjectType):
    rate_movie = RateMovie.Field(description="A logged-in member rates a movie.")
    delete_rating = DeleteRating.Field(description="A logged-in member removes their rating.")
