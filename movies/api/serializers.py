"""Shapes of the catalogue over REST: nested on read, ids on write."""

from __future__ import annotations

from rest_framework import serializers

from movies.models import RATING_MAX, RATING_MIN, Actor, Genre, Movie


class GenreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Genre
        fields = ["id", "name"]


class ActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name"]


class MovieSerializer(serializers.ModelSerializer):
    """A movie as read: nested genres and actors, the poster as an absolute URL."""

    rating = serializers.DecimalField(max_digits=2, decimal_places=1, coerce_to_string=False)
    image = serializers.ImageField(read_only=True, use_url=True)
    genres = GenreSerializer(many=True, read_only=True)
    actors = ActorSerializer(many=True, read_only=True)

    class Meta:
        model = Movie
        fields = [
            "id",
            "title",
            "plot_summary",
            "image",
            "rating",
            "genres",
            "actors",
            "created_at",
        ]
        read_only_fields = fields


class MovieSummarySerializer(serializers.ModelSerializer):
    """A movie in someone else's list: ``{id, title, rating, image}``."""

    rating = serializers.DecimalField(max_digits=2, decimal_places=1, coerce_to_string=False)
    image = serializers.ImageField(read_only=True, use_url=True)

    class Meta:
        model = Movie
        fields = ["id", "title", "rating", "image"]
        read_only_fields = fields


class MovieSuggestionSerializer(serializers.ModelSerializer):
    """A title for a search box: ``{id, title, year, image}``.

    ``year`` is the release year; movies have no release date yet, so it is ``null``.
    """

    year = serializers.SerializerMethodField()
    image = serializers.ImageField(read_only=True, use_url=True)

    class Meta:
        model = Movie
        fields = ["id", "title", "year", "image"]
        read_only_fields = fields

    def get_year(self, movie: Movie) -> int | None:
        release_date = getattr(movie, "release_date", None)
        return release_date.year if release_date else None


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
        many=True, queryset=Actor.objects.all(), required=False, help_text="Actor ids."
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
        for relation in ("genres", "actors"):
            if relation in data:
                data[relation] = [obj.pk for obj in data[relation]]
        return data
