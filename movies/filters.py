"""The catalogue's filters: one FilterSet per list, shared by REST, GraphQL and pages."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from core.filters import OrderingFilter, ordering_choices
from core.ids import parse_id

from .models import Actor, Genre, Movie

MOVIE_ORDERINGS = ("title", "rating", "created_at")
MOVIE_ORDERING_CHOICES = ordering_choices(MOVIE_ORDERINGS)


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


class MovieFilter(django_filters.FilterSet):
    """Which movies match: the one definition behind every movie list."""

    search = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        help_text="Words in the title or plot.",
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
    min_rating = django_filters.NumberFilter(
        field_name="rating", lookup_expr="gte", label="Minimum rating", help_text="0.0 to 5.0"
    )
    max_rating = django_filters.NumberFilter(
        field_name="rating", lookup_expr="lte", label="Maximum rating", help_text="0.0 to 5.0"
    )
    ordering = OrderingFilter(
        fields=MOVIE_ORDERINGS,
        label="Sort by",
        empty_label="Newest first",
        help_text="title, rating or created_at; prefix with - for descending.",
    )

    class Meta:
        model = Movie
        fields = ["search", "title", "genre", "actor", "min_rating", "max_rating", "ordering"]

    def filter_search(self, queryset: QuerySet[Movie], name: str, value: str) -> QuerySet[Movie]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(plot_summary__icontains=value))

    def filter_genre(self, queryset: QuerySet[Movie], name: str, value: str) -> QuerySet[Movie]:
        genres = Genre.objects.filter(_id_or_name(value, exact_name=True))
        through = Movie.genres.through.objects.filter(movie_id=OuterRef("pk"), genre__in=genres)
        return queryset.filter(Exists(through))

    def filter_actor(self, queryset: QuerySet[Movie], name: str, value: str) -> QuerySet[Movie]:
        actors = Actor.objects.filter(_id_or_name(value, exact_name=False))
        through = Movie.actors.through.objects.filter(movie_id=OuterRef("pk"), actor__in=actors)
        return queryset.filter(Exists(through))


class GenreFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Genre
        fields = ["name"]


class ActorFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Actor
        fields = ["name"]
