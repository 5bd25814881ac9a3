"""The catalogue: genres, people (cast and directors) and the movies that tie them together."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.db.models.sql.where import AND

from core.counts import catalogue_count

from .postgres import CATALOGUE_COUNT_SQL

RATING_MIN = Decimal("0.0")
RATING_MAX = Decimal("5.0")


class Genre(models.Model):
    """A kind of movie, such as Drama or Action. Names are unique ignoring case."""

    name = models.CharField(max_length=100, help_text="Display name, unique ignoring case.")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="genre_name_unique_ci",
                violation_error_message="A genre with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


RUNTIME_MIN = 1
RUNTIME_MAX = 1000


class Person(models.Model):
    """Someone credited on movies: in the cast, as a director, or both.

    The one person table (IMDb's and TMDB's model). Over the APIs a person keeps the
    name "actor" (``/api/movies/actors/``, the GraphQL type ``Actor``).
    """

    name = models.CharField(max_length=200, help_text="Full name as credited.")
    tmdb_id = models.PositiveIntegerField(
        null=True, blank=True, unique=True, help_text="The person's id on TMDB, when imported."
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="actor_name_id")]

    def __str__(self) -> str:
        return self.name


class CastMember(models.Model):
    """One billed line of a movie's cast: who, as which character, in which place."""

    movie = models.ForeignKey(
        "Movie", on_delete=models.CASCADE, related_name="cast_members", help_text="The movie."
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="cast_credits",
        help_text="Who plays the part.",
    )
    character = models.CharField(
        max_length=200, blank=True, default="", help_text="The character played; may be empty."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Billing order: 0 is billed first; ties by id."
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["movie", "person"], name="castmember_movie_person"),
        ]
        indexes = [
            # A person's credits (person pages, actor= filter) read the links by person.
            models.Index(fields=["person", "movie"], name="castmember_person_movie"),
        ]

    def __str__(self) -> str:
        return f"{self.person} as {self.character or '?'} in {self.movie}"


class _Not(Func):
    template = "NOT %(expressions)s"
    output_field = BooleanField()


# A part (tier) of at most this many rows is sorted whole (its own index finds them all),
# by its rank when it has one; a bigger one is read in the list's (created_at, id)
# order, so a page stops early.
TIER_SORT_MAX = 5000

_NO_RANK = Value(0.0, output_field=FloatField())


class MovieQuerySet(models.QuerySet):
    """Movies; ``in_two_tiers`` puts the rows meeting a condition before the others."""

    _first_tier: Expression | None = None
    _tier_ranks: tuple[Expression, Expression] | None = None
    # Which stored count may answer for this queryset: 0, the whole catalogue; a genre's
    # id, that genre's movies (see ``stored_count``).
    _count_scope: int = 0

    def _clone(self):
        clone = super()._clone()
        clone._first_tier = self._first_tier
        clone._tier_ranks = self._tier_ranks
        clone._count_scope = self._count_scope
        return clone

    def in_genres(self, genre_ids: list[int] | QuerySet) -> MovieQuerySet:
        """Movies linked to any of ``genre_ids`` (a list of ids, or a query of them),
        each once. With exactly one id, ``stored_count`` can answer for the result."""
        links = self.model.genres.through.objects.filter(
            movie_id=OuterRef("pk"), genre_id__in=genre_ids
        )
        clone = self.filter(Exists(links))
        if isinstance(genre_ids, list) and len(genre_ids) == 1:
            clone._count_scope = genre_ids[0]
        return clone

    def stored_count(self) -> int | None:
        """The exact count PostgreSQL's triggers keep (migration 0008,
        ``movies_catalogue_count``) when this queryset holds exactly the whole catalogue
        or exactly one genre's movies, else ``None`` (``core.counts`` then counts).

        "Exactly" is checked on the SQL: the count query of this queryset must be the
        one of ``Movie.objects.all()`` or of ``Movie.objects.in_genres([id])``, so any
        other filter, join, distinct or slice falls back to counting."""
        connection = connections[self.db]
        if connection.vendor != "postgresql" or self.query.is_sliced:
            return None
        scope = self._count_scope
        canonical = self.model._default_manager.db_manager(self.db).all()
        if scope:
            canonical = canonical.in_genres([scope])
        try:
            if _count_sql(self) != _count_sql(canonical):
                return None
        except EmptyResultSet:
            return None
        with connection.cursor() as cursor:
            cursor.execute(CATALOGUE_COUNT_SQL, [scope])
            return int(cursor.fetchone()[0])

    def in_two_tiers(
        self, first: Expression, *, ranks: tuple[Expression, Expression] | None = None
    ) -> MovieQuerySet:
        """The rows where the boolean ``first`` holds, then the others. Inside each part
        (tier): by its rank, ``ranks`` being (the first part's, the others'), highest
        first, when given and the part holds at most ``TIER_SORT_MAX`` rows; then newest
        first, ties by id (the list's own order).

        On a database other than PostgreSQL it is one ``ORDER BY first DESC,
        created_at DESC, id DESC`` (``ranks`` are PostgreSQL expressions; leave them out).
        Iterated whole on PostgreSQL it is one ``ORDER BY first DESC, <the row's part's
        rank> DESC, created_at DESC, id DESC``: ranked whatever a part's size, so it differs
        from the pages only inside a part bigger than ``TIER_SORT_MAX``, which the pages
        read newest first (nothing in the site iterates a search whole).

        On PostgreSQL a slice (a page) counts each part up to a cap (the page's end, at
        least ``TIER_SORT_MAX + 1``; kept until the next catalogue write by
        ``core.counts``), then reads only the part(s) the page falls in, each with its
        own ``OFFSET``/``LIMIT``: a part of at most ``TIER_SORT_MAX`` rows is found by its
        own index and sorted whole (by rank), a bigger one is read in the ``(created_at,
        id)`` index's order and stops after the page. So a page never ranks, sorts or
        counts more than ``TIER_SORT_MAX`` matches of a part.
        """
        order = [first.desc()]
        if ranks is not None:
            order.append(_tier_rank(first, ranks).desc())
        clone = self.order_by(*order, "-created_at", "-id")
        clone._first_tier = first
        clone._tier_ranks = ranks
        return clone

    def order_by(self, *field_names) -> MovieQuerySet:
        clone = super().order_by(*field_names)
        clone._first_tier = None  # another order: the tiers no longer apply
        clone._tier_ranks = None
        return clone

    def __getitem__(self, k):
        first = self._first_tier
        if (
            first is None
            or not isinstance(k, slice)
            or k.stop is None
            or k.step is not None
            or k.stop <= (k.start or 0)
            or (k.start or 0) < 0  # Django's own refusal of negative indexes
            or self._result_cache is not None
            or connections[self.db].vendor != "postgresql"
        ):
            return super().__getitem__(k)
        whole = self._chain()
        whole._first_tier = whole._tier_ranks = None
        first_rank, other_rank = self._tier_ranks or (None, None)
        start, stop = k.start or 0, k.stop
        parts = []
        first_size = _capped_size(whole, first, max(stop, TIER_SORT_MAX + 1))
        if start < first_size:
            parts.append(_tier(whole, first, start, min(stop, first_size), first_size, first_rank))
        other_size = 0
        if stop > first_size:  # then first_size is exact: the page reaches the others
            start, stop = max(start - first_size, 0), stop - first_size
            other_size = _capped_size(whole, _Not(first), max(stop, TIER_SORT_MAX + 1))
            if start < other_size:
                parts.append(
                    _tier(whole, _Not(first), start, min(stop, other_size), other_size, other_rank)
                )
        if not parts:
            return whole.none()
        # Each part is SQL Django compiled from this queryset, with its parameters.
        ids = RawSQL(  # noqa: S611
            " UNION ALL ".join(f"({sql})" for sql, _ in parts),
            tuple(param for _, params in parts for param in params),
        )
        page = whole.filter(pk__in=ids)
        if self._tier_ranks is not None:
            # The page's few rows in the order their parts were read in: by rank in a
            # part sorted whole, newest first in a part read in the index's order.
            ranks = (
                first_rank if first_size <= TIER_SORT_MAX else _NO_RANK,
                other_rank if other_size <= TIER_SORT_MAX else _NO_RANK,
            )
            page = page.order_by(
                first.desc(), _tier_rank(first, ranks).desc(), "-created_at", "-id"
            )
        return page[: k.stop - (k.start or 0)]


def _count_sql(queryset: QuerySet) -> tuple[str, tuple]:
    """What counting ``queryset`` selects from: its SQL without order, as ids."""
    query = queryset.order_by().values("pk").query
    return query.get_compiler(using=queryset.db).as_sql()


def _tier_rank(first: Expression, ranks: tuple[Expression, Expression]) -> Expression:
    """The rank of a row inside its part: ``ranks[0]`` where ``first`` holds, else ``ranks[1]``."""
    return Case(When(first, then=ranks[0]), default=ranks[1], output_field=FloatField())


def implied_by_first_tier(condition: Expression) -> Expression:
    """Mark ``condition``, a filter of a queryset about to be put ``in_two_tiers``, as met
    by every row where the first tier's condition holds: the first tier's read, when the
    tier is small enough to be sorted whole, leaves it out. Search's match on the whole
    stored vector is implied by a match on the title's words (without exclusions), and
    left in, the planner intersects both GIN indexes: a 52,000-entry bitmap for "river"
    at a million movies (15 to 23 ms) to keep 5,903 title matches that all pass."""
    condition.implied_by_first_tier = True
    return condition


def _rows_where(whole: QuerySet, condition: Expression, *, sorted_whole: bool) -> QuerySet:
    """``whole.filter(condition)``; for the first tier when it is sorted whole (its size
    known to be at most ``TIER_SORT_MAX``), without the filters it implies.

    Only then: a capped count (``LIMIT``) or a read in an index's order, given only the
    title's condition, lets the planner walk the ``(title, id)`` index computing each
    title's vector and hope to meet the matches early (812 ms to count 5,001 titles
    holding "the" at a million movies, against 23 ms through the GIN indexes)."""
    part = whole.filter(condition)
    where = part.query.where
    if not sorted_whole or isinstance(condition, _Not) or where.connector != AND or where.negated:
        return part
    where.children = [
        child
        for child in where.children
        if not getattr(getattr(child, "lhs", None), "implied_by_first_tier", False)
    ]
    return part


def _capped_size(whole: QuerySet, condition: Expression, cap: int) -> int:
    """How many rows meet ``condition``, counting at most ``cap`` (exact below it); kept
    until the next catalogue write (``core.counts``)."""
    return catalogue_count(_rows_where(whole, condition, sorted_whole=False).order_by()[:cap])


def _tier(
    whole: QuerySet,
    condition: Expression,
    start: int,
    stop: int,
    size: int,
    rank: Expression | None = None,
):
    """SQL and parameters of the ids of rows ``start:stop`` of one part: by ``rank``
    (highest first) then newest first when the part is small enough to sort whole;
    newest first, in the index's order, when it is not."""
    part = _rows_where(whole, condition, sorted_whole=size <= TIER_SORT_MAX).values("pk")
    part.query.clear_ordering(force=True)
    if size <= TIER_SORT_MAX:
        # Not the index's order: the planner finds the few rows by their own index
        # and sorts them, instead of walking every movie hoping to meet them early.
        created = ExpressionWrapper(F("created_at") + Value(timedelta(0)), DateTimeField())
        order = [created.desc(), "-id"]
        if rank is not None:
            order.insert(0, rank.desc())
        part = part.order_by(*order)
    else:
        part = part.order_by("-created_at", "-id")
    part.query.set_limits(low=start, high=stop)
    return part.query.get_compiler(using=whole.db).as_sql()


class Movie(models.Model):
    """A movie in the catalogue, with its genres, cast and an optional poster."""

    title = models.CharField(max_length=200, help_text="Title, at most 200 characters.")
    plot_summary = models.TextField(
        blank=True, default="", help_text="A short summary of the plot."
    )
    image = models.ImageField(
        upload_to="movies/",
        blank=True,
        default="",
        help_text="Optional poster (PNG, JPEG or WebP); stored re-encoded.",
    )
    #: The poster's smaller WebP copies (``movies.images.save_poster_sizes``):
    #: ``{"185": {"name", "width", "height"}, ...}``, or null (no poster, or an old
    #: poster not yet backfilled by ``make_poster_sizes``).
    image_sizes = models.JSONField(null=True, blank=True, default=None, editable=False)
    rating = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        default=Decimal("0.0"),
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
        help_text="Average rating from 0.0 to 5.0, one decimal place.",
    )
    genres = models.ManyToManyField(
        Genre, related_name="movies", blank=True, help_text="Genres this movie belongs to."
    )
    cast = models.ManyToManyField(
        Person,
        through=CastMember,
        related_name="movies",
        blank=True,
        help_text="The people in the cast (billing order is on CastMember).",
    )
    directors = models.ManyToManyField(
        Person, related_name="directed", blank=True, help_text="Who directed the movie."
    )
    release_date = models.DateField(
        null=True, blank=True, help_text="First release date; unknown is null."
    )
    runtime = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(RUNTIME_MIN), MaxValueValidator(RUNTIME_MAX)],
        help_text="Length in minutes, 1 to 1000; unknown is null.",
    )
    members_rating_average = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text="Average of the members' scores; null while nobody rated "
        "(kept by the members' rating service).",
    )
    members_rating_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="How many members rated the movie."
    )
    tmdb_id = models.PositiveIntegerField(
        null=True, blank=True, unique=True, help_text="The movie's id on TMDB, when imported."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the movie was added.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the movie was last changed.")

    objects = MovieQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # Each ordering with its id tie-break, so a page of any sort is an index range.
        # PostgreSQL also gets the search vector, trigram and suggestion indexes
        # (migration 0002, see movies/postgres.py): they are not portable.
        indexes = [
            models.Index(fields=["created_at", "id"], name="movie_created_at_id"),
            models.Index(fields=["title", "id"], name="movie_title_id"),
            models.Index(fields=["rating", "id"], name="movie_rating_id"),
            # The orderings that may hold nulls, each with its id tie-break.
            models.Index(fields=["release_date", "id"], name="movie_release_date_id"),
            models.Index(fields=["runtime", "id"], name="movie_runtime_id"),
            models.Index(fields=["members_rating_average", "id"], name="movie_members_rating_id"),
            # The home page's "Popular with members" row (most rated first).
            models.Index(fields=["members_rating_count", "id"], name="movie_members_count_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=RATING_MIN) & models.Q(rating__lte=RATING_MAX),
                name="movie_rating_between_0_and_5",
            ),
            models.CheckConstraint(
                condition=models.Q(runtime__isnull=True)
                | (models.Q(runtime__gte=RUNTIME_MIN) & models.Q(runtime__lte=RUNTIME_MAX)),
                name="movie_runtime_between_1_and_1000",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def poster_srcset(self) -> str:
        """``srcset`` for the poster's stored sizes, or "" when it has none."""
        if not self.image or not self.image_sizes:
            return ""
        storage = self.image.storage
        entries = sorted(self.image_sizes.values(), key=lambda entry: entry["width"])
        return ", ".join(f"{storage.url(entry['name'])} {entry['width']}w" for entry in entries)

    @property
    def poster_dimensions(self) -> tuple[int, int]:
        """Width and height for the ``<img>``: the largest size's, 2:3 when unknown."""
        if self.image_sizes:
            largest = max(self.image_sizes.values(), key=lambda entry: entry["width"])
            return largest["width"], largest["height"]
        return 400, 600

    @property
    def year(self) -> int | None:
        """The release year, or ``None`` without a release date."""
        return self.release_date.year if self.release_date else None

    @property
    def card_genres(self) -> Iterable[Genre]:
        """The genres a card lists: those a selector read for the cards
        (``read_card_genres``), or the prefetched ones (without building a related
        manager, about 15 us a card in a template's ``movie.genres.all``), else
        ``genres.all()``."""
        read = getattr(self, "read_card_genres", None)
        if read is not None:
            return read
        prefetched = getattr(self, "_prefetched_objects_cache", None)
        if prefetched and "genres" in prefetched:
            return prefetched["genres"]
        return self.genres.all()

    @property
    def billed_cast(self) -> list[CastMember]:
        """The cast lines in billing order, with their people (uses a prefetch if any)."""
        if "cast_members" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.cast_members.all())
        return list(self.cast_members.select_related("person"))

    @property
    def billed_people(self) -> list[Person]:
        """The people in the cast, in billing order (uses a prefetch of the cast if any):
        what ``actors`` means in the APIs."""
        return [line.person for line in self.billed_cast]

    @property
    def actors(self) -> models.QuerySet[Person]:
        """The people in the cast, in billing order, as a queryset (``.all()``,
        ``.values_list()``...), for code written when ``actors`` was a relation. Lists
        read :attr:`billed_people` instead, which uses the selectors' prefetch."""
        return Person.objects.filter(cast_credits__movie=self).order_by(
            "cast_credits__order", "cast_credits__id"
        )


#: The model's name before people took over both cast and directors; kept so code and
#: tests written against ``Actor`` (and branches still in flight) keep importing it.
Actor = Person
