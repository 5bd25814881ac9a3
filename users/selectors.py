"""Reads of accounts. :func:`profile_list` is THE rule for who sees which profile."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import CharField, Count, Prefetch, Q, QuerySet, Value

from core.ids import parse_id
from core.permissions import is_admin
from movies import selectors as movie_selectors
from movies.models import Movie

from .models import SCORES, DiaryEntry, Rating, UserProfile

User = get_user_model()

#: The three lists a member keeps, as named in URLs and by ``movie_list_marks``.
FAVORITES = "favorites"
WATCHED = "watched"
WATCHLIST = "watchlist"
LISTS = {
    FAVORITES: "favorite_movies",
    WATCHED: "watched_movies",
    WATCHLIST: "watchlist_movies",
}
#: Reviews a page of the movie page shows.
REVIEWS_PER_PAGE = 10


def _movie_summaries() -> QuerySet[Movie]:
    """What a profile shows of each movie (id, title, rating, image), by title then id."""
    return Movie.objects.only("id", "title", "rating", "image", "image_sizes").order_by(
        "title", "id"
    )


def profile_queryset() -> QuerySet[UserProfile]:
    """Profiles with their user and the three movie lists loaded: four queries for any
    number."""
    return (
        UserProfile.objects.select_related("user")
        .prefetch_related(
            Prefetch("favorite_movies", queryset=_movie_summaries()),
            Prefetch("watched_movies", queryset=_movie_summaries()),
            Prefetch("watchlist_movies", queryset=_movie_summaries()),
        )
        .order_by("id")
    )


def profile_list(*, user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[UserProfile]:
    """The profiles ``user`` may see and manage: an admin every one, a signed-in user
    only their own, anyone else none."""
    if user is None or not user.is_authenticated:
        return UserProfile.objects.none()
    queryset = profile_queryset()
    if is_admin(user):
        return queryset
    return queryset.filter(user_id=user.pk)


def profile_get(
    *, user: AbstractBaseUser | AnonymousUser | None, profile_id: int | str
) -> UserProfile | None:
    """One profile ``user`` may see, or ``None`` (unknown and not-yours look the same)."""
    try:
        return profile_list(user=user).get(pk=int(profile_id))
    except (UserProfile.DoesNotExist, TypeError, ValueError):
        return None


def profile_of(*, user: AbstractBaseUser) -> UserProfile | None:
    """The user's own profile with its lists loaded, or ``None`` if it has none yet
    (``services.profile_get_or_create`` makes it)."""
    return profile_queryset().filter(user_id=user.pk).first()


def favorite_movie_list(*, user: AbstractBaseUser) -> QuerySet[Movie]:
    """The user's favorite movies, by title (for paginated pages)."""
    return Movie.objects.filter(favorited_by__user_id=user.pk).order_by("title", "id")


def watched_movie_list(*, user: AbstractBaseUser) -> QuerySet[Movie]:
    """The movies the user has watched, by title (for paginated pages)."""
    return Movie.objects.filter(watched_by__user_id=user.pk).order_by("title", "id")


def watchlist_movie_list(*, user: AbstractBaseUser) -> QuerySet[Movie]:
    """The movies on the user's watchlist, by title (for paginated pages)."""
    return Movie.objects.filter(watchlisted_by__user_id=user.pk).order_by("title", "id")


def movie_list_marks(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    movie_ids: Iterable[int] | None = None,
    lists: Iterable[str] = (FAVORITES, WATCHED),
) -> tuple[frozenset[int], ...]:
    """The ids of the user's movies in each of ``lists`` (names of :data:`LISTS`), in
    that order, in one query, so a page of movies can show each one's toggles.
    ``movie_ids`` narrows the answer to the movies on the page (no query at all when it
    is empty). Empty for anonymous visitors.
    """
    lists = tuple(lists)
    empty = tuple(frozenset() for _ in lists)
    if user is None or not user.is_authenticated or not lists:
        return empty
    if movie_ids is not None:
        movie_ids = list(movie_ids)
        if not movie_ids:
            return empty
    rows = []
    for tag in lists:
        field = LISTS[tag]
        through = getattr(UserProfile, field).through.objects.filter(userprofile__user_id=user.pk)
        if movie_ids is not None:
            through = through.filter(movie_id__in=movie_ids)
        rows.append(through.values_list("movie_id", Value(tag, output_field=CharField())))
    found: dict[str, set[int]] = {tag: set() for tag in lists}
    union = rows[0].union(*rows[1:], all=True) if len(rows) > 1 else rows[0]
    for movie_id, tag in union:
        found[tag].add(movie_id)
    return tuple(frozenset(found[tag]) for tag in lists)


def pending_registration(*, user_id: int, phone_number: str) -> UserProfile | None:
    """The profile of ``user_id`` if it is still a registration waiting for the code
    sent to ``phone_number`` (E.164); ``None`` once it was verified, replaced or deleted."""
    return (
        UserProfile.objects.pending()
        .select_related("user")
        .filter(user_id=user_id, phone_number=phone_number)
        .first()
    )


def pending_registration_for_login(*, username: str, password: str) -> UserProfile | None:
    """The pending registration of the account with this username (exactly, as Django's
    ``ModelBackend`` looks it up) if ``password`` is its password; else ``None``.

    Lets the log-in page send someone who registered but never entered their code to the
    code page instead of answering "wrong password". Only the right password reveals it.
    """
    profile = (
        UserProfile.objects.pending()
        .select_related("user")
        .filter(**{f"user__{User.USERNAME_FIELD}": username})
        .first()
    )
    if profile is None:
        return None
    return profile if profile.user.check_password(password) else None


# --- Ratings and reviews -----------------------------------------------------------


def rating_list(*, user: AbstractBaseUser) -> QuerySet[Rating]:
    """The member's own ratings, newest first, with their movies (hidden ones too: the
    author sees that support hid them)."""
    return (
        Rating.objects.filter(user_id=user.pk)
        .select_related("movie", "user")
        .order_by("-created_at", "-id")
    )


def rating_of(*, user: AbstractBaseUser | AnonymousUser | None, movie_id: int) -> Rating | None:
    """The member's rating of the movie, or ``None`` (always for anonymous visitors)."""
    if user is None or not user.is_authenticated:
        return None
    return Rating.objects.filter(user_id=user.pk, movie_id=movie_id).first()


def review_rows(*, viewer: AbstractBaseUser | AnonymousUser | None = None) -> QuerySet[Rating]:
    """THE rule of which reviews a reader sees, of any movie: ratings with text, newest
    first; hidden ones are left out, except the viewer's own (its author sees it, marked
    hidden)."""
    visible = Q(hidden=False)
    if viewer is not None and viewer.is_authenticated:
        visible |= Q(user_id=viewer.pk)
    return (
        Rating.objects.reviews()
        .filter(visible)
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def review_list(
    *, movie_id: int, viewer: AbstractBaseUser | AnonymousUser | None = None
) -> QuerySet[Rating]:
    """The reviews of one movie the viewer sees (:func:`review_rows`)."""
    return review_rows(viewer=viewer).filter(movie_id=movie_id)


def review_get(*, movie_id: int, review_id: int, viewer=None) -> Rating | None:
    """One review of the movie the viewer may see, or ``None``."""
    return review_list(movie_id=movie_id, viewer=viewer).filter(pk=review_id).first()


def review_visible(*, review_id: int, viewer=None) -> Rating | None:
    """A review (of any movie) the viewer may see, with its author, or ``None``."""
    rating = Rating.objects.reviews().select_related("user").filter(pk=review_id).first()
    if rating is None:
        return None
    return review_get(movie_id=rating.movie_id, review_id=rating.pk, viewer=viewer)


def score_histogram(*, movie_id: int) -> list[dict]:
    """How the movie's scores spread: the ten half-star buckets, 0.5 to 5.0, each
    ``{"score", "count", "percent"}`` (percent of the largest bucket, for drawing).
    One query."""
    counts = dict(
        Rating.objects.filter(movie_id=movie_id)
        .values_list("score")
        .annotate(count=Count("id"))
        .values_list("score", "count")
    )
    counts = {Decimal(score).quantize(Decimal("0.1")): count for score, count in counts.items()}
    largest = max(counts.values(), default=0)
    return [
        {
            "score": score,
            "count": counts.get(score, 0),
            "percent": round(100 * counts.get(score, 0) / largest) if largest else 0,
        }
        for score in SCORES
    ]


# --- Diary ---------------------------------------------------------------------------


def diary_list(*, user: AbstractBaseUser) -> QuerySet[DiaryEntry]:
    """The member's diary, newest watch first (ties: the later logged first), with the
    movies: one query for any page."""
    return (
        DiaryEntry.objects.filter(user_id=user.pk)
        .select_related("movie")
        .order_by("-watched_on", "-id")
    )


def diary_entry_get(
    *, user: AbstractBaseUser | AnonymousUser | None, entry_id: int | str
) -> DiaryEntry | None:
    """One of the member's own diary entries, or ``None``: THE rule of who may see or
    change an entry (its owner only; someone else's looks like none at all)."""
    number = parse_id(entry_id)
    if user is None or not user.is_authenticated or number is None:
        return None
    return diary_list(user=user).filter(pk=number).first()


def diary_watches_by_month(
    *, user: AbstractBaseUser, today: datetime.date, months: int = 12
) -> list[dict]:
    """Watches a month over the ``months`` months up to ``today``'s, oldest first: each
    ``{"month": date (its first day), "count", "percent"}`` (percent of the busiest month,
    for drawing). One query."""
    first = _month_add(today.replace(day=1), -(months - 1))
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for day in DiaryEntry.objects.filter(
        user_id=user.pk, watched_on__gte=first, watched_on__lte=today
    ).values_list("watched_on", flat=True):
        counts[(day.year, day.month)] += 1
    busiest = max(counts.values(), default=0)
    rows = []
    for step in range(months):
        month = _month_add(first, step)
        count = counts.get((month.year, month.month), 0)
        rows.append(
            {
                "month": month,
                "count": count,
                "percent": round(100 * count / busiest) if busiest else 0,
            }
        )
    return rows


def _month_add(month: datetime.date, steps: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + steps
    return datetime.date(index // 12, index % 12 + 1, 1)


def diary_count_in_year(*, user: AbstractBaseUser, year: int) -> int:
    """How many watches the member logged in ``year``. One query."""
    return DiaryEntry.objects.filter(user_id=user.pk, watched_on__year=year).count()


# --- Public profiles ---------------------------------------------------------------------

PUBLIC_RECENT = 10


def public_profile_get(*, username: str) -> UserProfile | None:
    """THE rule of who is shown publicly: the profile of the active account named
    ``username`` (exactly, ignoring case) if its member made it public; ``None`` for a
    private, inactive or unknown name alike. Favorites and the count of ratings come
    loaded (two queries)."""
    if not isinstance(username, str) or not username or len(username) > 150:
        return None
    return (
        UserProfile.objects.select_related("user")
        .filter(
            is_public=True,
            user__is_active=True,
            **{f"user__{User.USERNAME_FIELD}__iexact": username},
        )
        .annotate(ratings_count=Count("user__ratings", distinct=True))
        .prefetch_related(Prefetch("favorite_movies", queryset=_movie_summaries()))
        .first()
    )


def public_recent_diary(*, profile: UserProfile, limit: int = PUBLIC_RECENT) -> list[DiaryEntry]:
    """The public profile's latest watches, newest first. One query."""
    return list(diary_list(user=profile.user)[:limit])


def public_recent_reviews(*, profile: UserProfile, limit: int = PUBLIC_RECENT) -> list[Rating]:
    """The public profile's latest reviews that every reader may see (with text, not
    hidden), newest first, with their movies. One query."""
    return list(
        Rating.objects.reviews()
        .visible()
        .filter(user_id=profile.user_id)
        .select_related("movie", "user")
        .order_by("-created_at", "-id")[:limit]
    )


# --- "Because you liked" ---------------------------------------------------------------


def because_you_liked(
    *, user: AbstractBaseUser | AnonymousUser | None, limit: int = 8
) -> tuple[Movie | None, list[Movie]]:
    """A row for the home page: the member's most recently added favorite and the movies
    most like it (``movies.selectors.similar_movie_list``), leaving out what the member
    has watched and their other favorites. ``(None, [])`` for anonymous visitors, members
    without favorites, or when nothing is left. A fixed number of queries: the favorites,
    the watched, the ranking (cached), then the row and the favorite's title.
    """
    if user is None or not user.is_authenticated:
        return None, []
    favorite_ids = list(
        UserProfile.favorite_movies.through.objects.filter(userprofile__user_id=user.pk)
        .order_by("-id")
        .values_list("movie_id", flat=True)
    )
    if not favorite_ids:
        return None, []
    (watched,) = movie_list_marks(user=user, lists=(WATCHED,))
    movies = movie_selectors.similar_movie_list(
        movie_id=favorite_ids[0], limit=limit, exclude=set(watched) | set(favorite_ids)
    )
    if not movies:
        return None, []
    return Movie.objects.only("id", "title").get(pk=favorite_ids[0]), movies
