"""The catalogue's filters: one FilterSet per list, shared by REST, GraphQL and pages."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from core.filters import OrderingFilter, ordering_choices
from core.ids import parse_id

from .models import CastMember, Genre, Movie, Person
from .search import search_movies

# Parameter names; ``members_rating`` sorts by the members' average.
MOVIE_ORDERINGS = (
    "title",
    "rating",
    "created_at",
    "release_date",
    "runtime",
    "members_rating",
)
MOVIE_ORDERING_FIELDS = {
    "title": "title",
    "rating": "rating",
    "created_at": "created_at",
    "release_date": "release_date",
    "runtime": "runtime",
    "members_rating_average": "members_rating",
}
# Movies without these values come last whichever way the list is sorted.
MOVIE_NULLABLE_ORDERINGS = ("release_date", "runtime", "members_rating_average")
MOVIE_ORDERING_CHOICES = ordering_choices(MOVIE_ORDERINGS)
YEAR_MIN = 1
YEAR_MAX = 9999


class YearFilter(django_filters.Filter):
    """A release year (a whole number, 1 to 9999), inclusive at either end."""

    field_class = forms.IntegerField

    def __init__(self, *args, bound: str, **kwargs) -> None:
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)
        self.bound = bound

    def filter(self, qs: QuerySet, value: int | None) -> QuerySet:
        if value is None:
            return qs
        # A date range (not __year), so the release_date index serves it.
        if self.bound == "from":
            return qs.filter(release_date__gte=datetime.date(value, 1, 1))
        return qs.filter(release_date__lte=datetime.date(value, 12, 31))


def _id_or_name(value: str, *, exact_name: bool) -> Q:
    name_q = Q(name__iexact=value) if exact_name else Q(name__icontains=value)
    number = parse_id(value)
    if number is not None:
        return Q(id=number) | name_q
    return name_q


def validate_search_length(value: str) -> None:
    """A search longer than ``SEARCH_MAX_LENGTH`` characters is refused (a 400 naming
    ``search``, a form error, ``BAD_USER_INPUT``) before it reaches the database."""
    limit = settings.SEARCH_MAX_LENGTH
    if len(value) > limit:
        raise ValidationError(
            f"Ensure this value has at most {limit} characters (it has {len(value)}).",
            code="max_length",
        )


# Up to this many matching genres or people are looked up first and passed as numbers.
KNOWN_IDS_MAX = 500


def _known_ids(queryset: QuerySet) -> QuerySet | list[int]:
    """The ids of ``queryset`` as a list (one small indexed query), or the subquery when
    there are many: with the numbers in the SQL, PostgreSQL estimates how many movies a
    genre or a person has from its statistics, instead of guessing, and plans for it
    (walking the page's order for a big genre, the links for a small one)."""
    ids = list(queryset.values_list("id", flat=True)[: KNOWN_IDS_MAX + 1])
    return ids if len(ids) <= KNOWN_IDS_MAX else queryset.values("id")


class SearchTextField(forms.CharField):
    """A search box's text: any string is a query, so a NUL is only a separator (not a 400)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\x00", " ")
        return super().to_python(value)


class SearchFilter(django_filters.CharFilter):
    field_class = SearchTextField


class MovieFilter(django_filters.FilterSet):
    """Which movies match: the one definition behind every movie list."""

    search = SearchFilter(
        method="filter_search",
        label="Search",
        help_text="Words in the title or plot, each as a word or the start of one (any case, "
        'any accents); by relevance unless ordered. PostgreSQL also takes "phrases" and -word.',
        validators=[validate_search_length],
    )
    title = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", help_text="Part of the title."
    )
    genre = django_filters.CharFilter(
        method="filter_genre", help_text="Genre id or name (case-insensitive)."
    )
    actor = django_filters.CharFilter(
        method="filter_actor", help_text="Actor id or part of the name."
    )
    director = django_filters.CharFilter(
        method="filter_director", help_text="Director id or part of the name."
    )
    year_from = YearFilter(
        bound="from", label="From year", help_text="Released in this year or later."
    )
    year_to = YearFilter(bound="to", label="To year", help_text="Released in this year or before.")
    tmdb_id = django_filters.NumberFilter(help_text="The movie's TMDB id (for importers).")
    min_rating = django_filters.NumberFilter(
        field_name="rating", lookup_expr="gte", label="Minimum rating", help_text="0.0 to 5.0"
    )
    max_rating = django_filters.NumberFilter(
        field_name="rating", lookup_expr="lte", label="Maximum rating", help_text="0.0 to 5.0"
    )
    ordering = OrderingFilter(
        fields=MOVIE_ORDERING_FIELDS,
        nulls_last=MOVIE_NULLABLE_ORDERINGS,
        label="Sort by",
        empty_label="Best match, then newest",
        help_text="title, rating, created_at, release_date, runtime or members_rating; "
        "prefix with - for descending. Movies without the value come last.",
    )

    class Meta:
        model = Movie
        fields = [
            "search",
            "title",
            "genre",
            "actor",
            "director",
            "min_rating",
            "max_rating",
            "year_from",
            "year_to",
            "tmdb_id",
            "ordering",
        ]

    def filter_search(self, queryset: QuerySet[Movie], name: str, value: str) -> QuerySet[Movie]:
        if not value.strip():
            return queryset
        # Ranked by relevance unless the client chose an order (applied after this).
        return search_movies(queryset, value, rank=not self.data.get("ordering"))

    def filter_genre(self, queryset: QuerySet[Movie], name: str, value: str) -> QuerySet[Movie]:
        genres = Genre.objects.filter(_id_or_name(value, exact_name=True))
        # One genre's movies are counted by PostgreSQL's triggers (MovieQuerySet.stored_count).
        return queryset.in_genres(_known_ids(genres))

    def filter_actor(self, queryset: QuerySet[Movie], name: str, value: str) -> QuerySet[Movie]:
        people = Person.objects.filter(_id_or_name(value, exact_name=False))
        through = CastMember.objects.filter(
            movie_id=OuterRef("pk"), person_id__in=_known_ids(people)
        )
        return queryset.filter(Exists(through))

    def filter_director(self, queryset: QuerySet[Movie], name: str, value: str) -> QuerySet[Movie]:
        people = Person.objects.filter(_id_or_name(value, exact_name=False))
        through = Movie.directors.through.objects.filter(
            movie_id=OuterRef("pk"), person_id__in=_known_ids(people)
        )
        return queryset.filter(Exists(through))


class GenreFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Genre
        fields = ["name"]


class ActorFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the name.")
    tmdb_id = django_filters.NumberFilter(help_text="The person's TMDB id.")

    class Meta:
        model = Person
        fields = ["name", "tmdb_id"]
