"""The members' lists and diary over GraphQL: ``Me.favorites``, ``watched``,
``watchlist`` and ``diary``, the ``DiaryEntry`` type, and the member mutations
``setListMembership`` and ``logWatch``.

Like ``users.schema`` (the ratings), it extends types defined elsewhere (``Me``) with
:func:`users.schema.add_field`; the root schema inherits its ``Mutation``. The rules
stay in ``users.services`` (watched takes a movie off the watchlist; a logged watch
marks it watched) and ``users.selectors``.
"""

from __future__ import annotations

import graphene

from movies import selectors as movie_selectors
from movies.schema.prefetch import with_selected
from movies.schema.types import MovieType
from users import selectors, services

from .schema import MemberMutation, MeType, _member, _page, _page_arguments, add_field

#: Sizes the cost limit counts the unpaginated lists of ``Me`` as.
LIST_SIZES = {"Me.favorites": 100, "Me.watched": 100, "Me.watchlist": 100}


class MemberList(graphene.Enum):
    """One of the three lists a member keeps."""

    FAVORITES = selectors.FAVORITES
    WATCHED = selectors.WATCHED
    WATCHLIST = selectors.WATCHLIST


class DiaryEntryType(graphene.ObjectType):
    """One logged watch of a movie."""

    id = graphene.ID(required=True)
    movie = graphene.Field(lambda: MovieType, required=True)
    watched_on = graphene.Date(required=True, description="The day of the watch.")
    rewatch = graphene.Boolean(required=True, description="Seen before.")
    note = graphene.String(required=True, description="Plain text; show it escaped.")

    class Meta:
        name = "DiaryEntry"


def _list_resolver(list_name: str):
    lists = {
        selectors.FAVORITES: selectors.favorite_movie_list,
        selectors.WATCHED: selectors.watched_movie_list,
        selectors.WATCHLIST: selectors.watchlist_movie_list,
    }

    def resolve(user, info):
        ids = lists[list_name](user=user).values("pk")
        queryset = movie_selectors.movie_queryset().filter(pk__in=ids).order_by("title", "id")
        return with_selected(queryset, info, "Movie")

    return resolve


for _name, _list, _what in (
    ("favorites", selectors.FAVORITES, "favorite movies"),
    ("watched", selectors.WATCHED, "movies watched"),
    ("watchlist", selectors.WATCHLIST, "movies on the watchlist"),
):
    add_field(
        MeType,
        _name,
        graphene.Field(
            graphene.NonNull(graphene.List(graphene.NonNull(MovieType))),
            resolver=_list_resolver(_list),
            description=f"The member's {_what}, by title.",
        ),
    )


def resolve_diary(user, info, limit: int | None = 20, offset: int | None = 0):
    """A page of the member's diary, newest watch first, with each movie's genres,
    directors and cast: a fixed number of queries for any page."""
    entries = selectors.diary_list(user=user).prefetch_related(
        "movie__genres", "movie__directors", "movie__cast_members__person"
    )
    return _page(entries, limit, offset)


add_field(
    MeType,
    "diary",
    graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(DiaryEntryType))),
        resolver=resolve_diary,
        description="The member's diary, newest watch first.",
        **_page_arguments("entries"),
    ),
)


class MePayload(graphene.ObjectType):
    me = graphene.Field(MeType, required=True, description="The member, lists changed.")


class DiaryPayload(graphene.ObjectType):
    entry = graphene.Field(DiaryEntryType, required=True, description="The watch logged.")


class SetListMembership(MemberMutation):
    """Put a movie in one of the member's lists (``member: true``) or take it out.
    Marking a movie watched takes it off the watchlist. Idempotent."""

    class Arguments:
        movie_id = graphene.ID(required=True)
        member_list = MemberList(required=True, name="list")
        member = graphene.Boolean(required=True)

    Output = MePayload

    @classmethod
    def perform_mutation(cls, info, movie_id, member_list, member):
        user = _member(info)
        profile = services.profile_get_or_create(user=user)
        name = getattr(member_list, "value", member_list)
        change = {
            (selectors.FAVORITES, True): services.favorite_add,
            (selectors.FAVORITES, False): services.favorite_remove,
            (selectors.WATCHED, True): services.watched_add,
            (selectors.WATCHED, False): services.watched_remove,
            (selectors.WATCHLIST, True): services.watchlist_add,
            (selectors.WATCHLIST, False): services.watchlist_remove,
        }[(name, bool(member))]
        change(profile=profile, movie_id=movie_id)
        return MePayload(me=user)


class LogWatch(MemberMutation):
    """Log a watch of a movie (today by default, never in the future); the movie is
    then marked watched and leaves the watchlist."""

    class Arguments:
        movie_id = graphene.ID(required=True)
        watched_on = graphene.Date(description="The day; today by default.")
        rewatch = graphene.Boolean(description="Seen before; default false.")
        note = graphene.String(description="Plain text, at most 500 characters.")

    Output = DiaryPayload

    @classmethod
    def perform_mutation(cls, info, movie_id, watched_on=None, rewatch=None, note=None):
        user = _member(info)
        entry = services.diary_log(
            user=user,
            movie_id=movie_id,
            watched_on=watched_on,
            rewatch=bool(rewatch),
            note=note or "",
        )
        entry = selectors.diary_entry_get(user=user, entry_id=entry.pk)
        return DiaryPayload(entry=entry)


class Mutation(graphene.ObjectType):
    set_list_membership = SetListMembership.Field(
        description="A logged-in member puts a movie in, or takes it out of, a list."
    )
    log_watch = LogWatch.Field(description="A logged-in member logs a watch in their diary.")
