"""Shapes of the catalogue over REST: nested on read, ids on write."""

from __future__ import annotations

from drf_yasg.utils import swagger_serializer_method
from rest_framework import serializers

from movies.models import (
    RATING_MAX,
    RATING_MIN,
    RUNTIME_MAX,
    RUNTIME_MIN,
    Genre,
    Movie,
    Person,
)
from movies.representations import image_size_urls
from movies.services import CAST_ORDER_MAX, CHARACTER_MAX_LENGTH


class GenreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Genre
        fields = ["id", "name"]


class ActorSerializer(serializers.ModelSerializer):
    """A person (cast, director or both): ``{id, name}``; writes may set ``tmdb_id``
    (write-only: the importer's key, unique; find a person by it with ``?tmdb_id=``)."""

    class Meta:
        model = Person
        fields = ["id", "name", "tmdb_id"]
        extra_kwargs = {"tmdb_id": {"write_only": True, "min_value": 1}}


class CastLineReadSerializer(serializers.Serializer):
    """One billed line: the person's ``id`` and ``name``, the ``character``, the ``order``."""

    id = serializers.IntegerField(source="person.id", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    character = serializers.CharField(read_only=True)
    order = serializers.IntegerField(read_only=True)


class MembersRatingSerializer(serializers.Serializer):
    """The members' own rating: ``average`` (``null`` while ``count`` is 0) and ``count``."""

    average = serializers.FloatField(source="members_rating_average", allow_null=True)
    count = serializers.IntegerField(source="members_rating_count")


class MovieSerializer(serializers.ModelSerializer):
    """A movie as read: nested genres, cast and directors, the poster as an absolute URL."""

    rating = serializers.DecimalField(max_digits=2, decimal_places=1, coerce_to_string=False)
    image = serializers.ImageField(read_only=True, use_url=True)
    image_sizes = serializers.SerializerMethodField(
        help_text='The poster in WebP at 185, 342 and 780 px wide: {"185": url, ...}; '
        "null without a poster or for a poster stored before sizes existed."
    )
    genres = GenreSerializer(many=True, read_only=True)
    actors = ActorSerializer(
        many=True, read_only=True, source="billed_people", help_text="The cast, in billing order."
    )
    year = serializers.IntegerField(read_only=True, allow_null=True)
    directors = ActorSerializer(many=True, read_only=True)
    cast = CastLineReadSerializer(many=True, read_only=True, source="billed_cast")
    members_rating = MembersRatingSerializer(source="*", read_only=True)

    class Meta:
        model = Movie
        fields = [
            "id",
            "title",
            "plot_summary",
            "image",
            "image_sizes",
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
        ]
        read_only_fields = fields

    @swagger_serializer_method(
        serializer_or_field=serializers.DictField(child=serializers.URLField(), allow_null=True)
    )
    def get_image_sizes(self, movie: Movie) -> dict[str, str] | None:
        return image_size_urls(
            movie.image_sizes if movie.image else None, self.context.get("request")
        )


class MovieSummarySerializer(serializers.ModelSerializer):
    """A movie in someone else's list: ``{id, title, rating, image}``."""

    rating = serializers.DecimalField(max_digits=2, decimal_places=1, coerce_to_string=False)
    image = serializers.ImageField(read_only=True, use_url=True)

    class Meta:
        model = Movie
        fields = ["id", "title", "rating", "image"]
        read_only_fields = fields


class CastLineSerializer(serializers.Serializer):
    """One line of ``cast`` in a write: ``{"actor": id, "character": "...", "order": n}``."""

    actor = serializers.IntegerField(min_value=1, help_text="The person's id.")
    character = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=CHARACTER_MAX_LENGTH,
        help_text='The character played (default "").',
    )
    order = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=CAST_ORDER_MAX,
        help_text="Billing order, 0 first (default: the line's place in the list).",
    )


class CastField(serializers.ListField):
    """``cast`` is JSON only: a multipart form's strings are refused with a clear message."""

    def to_internal_value(self, data):
        if isinstance(data, str) or any(isinstance(line, str) for line in data or []):
            raise serializers.ValidationError(
                "Send cast in a JSON body; a multipart form takes actors (ids) instead."
            )
        return super().to_internal_value(data)


class MovieSuggestionSerializer(serializers.ModelSerializer):
    """A title for a search box: ``{id, title, year, image}`` (``year`` may be ``null``)."""

    year = serializers.IntegerField(read_only=True, allow_null=True)
    image = serializers.ImageField(read_only=True, use_url=True)

    class Meta:
        model = Movie
        fields = ["id", "title", "year", "image"]
        read_only_fields = fields


class AnyTextField(serializers.CharField):
    """Text typed into a search box: any string, a NUL only separates words."""

    def to_internal_value(self, data) -> str:
        return super().to_internal_value(data).replace("\x00", " ")


class SuggestQuerySerializer(serializers.Serializer):
    """``?q=&limit=`` of the suggestions: any text; ``limit`` 1 to 20 (more is served as 20)."""

    q = AnyTextField(
        required=False, allow_blank=True, trim_whitespace=False, default="", help_text="Any text."
    )
    limit = serializers.IntegerField(
        required=False, min_value=1, default=8, help_text="At most 20 (more is served as 20)."
    )


class MovieWriteSerializer(serializers.Serializer):
    """What a client sends to create or change a movie (JSON or multipart)."""

    title = serializers.CharField(max_length=200)
    plot_summary = serializers.CharField(required=False, allow_blank=True)
    rating = serializers.DecimalField(
        max_digits=2,
        decimal_places=1,
        min_value=RATING_MIN,
        max_value=RATING_MAX,
        required=False,
        coerce_to_string=False,
    )
    genres = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Genre.objects.all(), required=False, help_text="Genre ids."
    )
    actors = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Person.objects.all(),
        required=False,
        help_text="People's ids: replaces the cast, billed in this order, no characters.",
    )
    cast = CastField(
        child=CastLineSerializer(),
        required=False,
        help_text="JSON only: replaces the cast, with characters and billing order.",
    )
    directors = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Person.objects.all(), required=False, help_text="People's ids."
    )
    release_date = serializers.DateField(
        required=False, allow_null=True, help_text="YYYY-MM-DD, or null when unknown."
    )
    runtime = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=RUNTIME_MIN,
        max_value=RUNTIME_MAX,
        help_text="Minutes, 1 to 1000, or null when unknown.",
    )
    tmdb_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The movie's TMDB id (unique; write-only, find it with ?tmdb_id=).",
    )
    image = serializers.FileField(
        required=False,
        allow_null=True,
        allow_empty_file=False,
        help_text="Poster: PNG, JPEG or WebP, at most 5 MB. Send null to remove it.",
    )

    def to_service_kwargs(self) -> dict:
        """The validated data as keyword arguments for ``movie_create``/``movie_update``."""
        data = dict(self.validated_data)
        for relation in ("genres", "actors", "directors"):
            if relation in data:
                data[relation] = [obj.pk for obj in data[relation]]
        if "cast" in data:
            data["cast"] = [dict(line) for line in data["cast"]]
        return data
