"""The catalogue: genres, actors and the movies that tie them together."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

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


class Actor(models.Model):
    """A person who appears in movies."""

    name = models.CharField(max_length=200, help_text="Full name as credited.")

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="actor_name_id")]

    def __str__(self) -> str:
        return self.name


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
    actors = models.ManyToManyField(
        Actor, related_name="movies", blank=True, help_text="Actors appearing in this movie."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the movie was added.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the movie was last changed.")

    class Meta:
        ordering = ["-created_at", "-id"]
        # Each ordering with its id tie-break, so a page of any sort is an index range.
        # PostgreSQL also gets the search vector, trigram and suggestion indexes
        # (migration 0002, see movies/postgres.py): they are not portable.
        indexes = [
            models.Index(fields=["created_at", "id"], name="movie_created_at_id"),
            models.Index(fields=["title", "id"], name="movie_title_id"),
            models.Index(fields=["rating", "id"], name="movie_rating_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=RATING_MIN) & models.Q(rating__lte=RATING_MAX),
                name="movie_rating_between_0_and_5",
            ),
        ]

    def __str__(self) -> str:
        return self.title
