"""The catalogue in Django's admin. Movies, genres and actors are saved and deleted
through ``movies.services`` like everywhere else: the same rules (blank or NUL titles and
names, spaces, genre names unique ignoring case, ratings, ids, poster checks and
re-encoding), and a replaced or removed poster's file is deleted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from core.forms import add_service_errors

from . import services
from .models import CastMember, Genre, Movie, Person


class MovieAdminForm(forms.ModelForm):
    """The admin's movie form: it shows the services' errors on its fields
    (``services.movie_validate``), and :class:`MovieAdmin` saves through the services."""

    class Meta:
        model = Movie
        fields = [
            "title",
            "plot_summary",
            "image",
            "rating",
            "release_date",
            "runtime",
            "genres",
            "directors",
            "tmdb_id",
        ]

    def service_arguments(self) -> dict[str, Any]:
        """The changed fields as ``movie_create`` / ``movie_update`` take them: ids for
        the relations, the upload (or ``None`` to remove the poster) for the image."""
        data = self.cleaned_data
        changed = set(self.changed_data) if self.instance.pk else set(self.fields)
        arguments: dict[str, Any] = {}
        for name in ("title", "plot_summary", "rating", "release_date", "runtime", "tmdb_id"):
            if name in changed and name in data:
                arguments[name] = data[name]
        for name in ("genres", "directors"):
            if name in changed and name in data:
                arguments[name] = [row.pk for row in data[name]]
        if "image" in changed:
            image = data.get("image")
            upload = image if hasattr(image, "content_type") else None  # a fresh upload
            if upload is not None or image is False or not self.instance.pk:
                arguments["image"] = upload
        return arguments

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            try:
                services.movie_validate(**self.service_arguments())
            except ValidationError as error:
                add_service_errors(self, error)
        return cleaned


def _service_value(validate, **arguments):
    """``validate(**arguments)``, its ``ValidationError`` as the field's own."""
    try:
        return validate(**arguments)
    except ValidationError as error:
        raise ValidationError(error.message_dict.get("name", error.messages)) from None


class GenreAdminForm(forms.ModelForm):
    class Meta:
        model = Genre
        fields = ["name"]

    def clean_name(self) -> str:
        genre = self.instance if self.instance.pk else None
        return _service_value(services.genre_validate, name=self.cleaned_data["name"], genre=genre)


class CastMemberInlineFormSet(forms.BaseInlineFormSet):
    """The cast lines of the movie form; checked by ``services.movie_validate(cast=...)``
    and saved by ``services.movie_update(cast=...)`` (see ``MovieAdmin.save_related``)."""

    def cast_lines(self) -> list[dict[str, Any]]:
        """The lines kept (not deleted, with a person), in the form's order."""
        lines = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not data.get("person"):
                continue
            lines.append(
                {
                    "actor": data["person"].pk,
                    "character": data.get("character") or "",
                    "order": data.get("order") or 0,
                }
            )
        return lines

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        try:
            services.movie_validate(cast=self.cast_lines())
        except ValidationError as error:
            raise ValidationError(error.message_dict.get("cast", error.messages)) from None


class CastMemberInline(admin.TabularInline):
    """The cast, edited in the movie's page: person, character, billing order."""

    model = CastMember
    formset = CastMemberInlineFormSet
    fields = ["person", "character", "order"]
    autocomplete_fields = ["person"]
    extra = 1
    ordering = ["order", "id"]


class ActorAdminForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name"]

    def clean_name(self) -> str:
        return _service_value(services.actor_validate, name=self.cleaned_data["name"])


class NamedAdmin(admin.ModelAdmin):
    """Genres and actors: saved and deleted through their services."""

    list_display = ["name"]
    search_fields = ["name"]
    create: Any
    update: Any
    delete: Any
    model_arg: str

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        name = form.cleaned_data["name"]
        if change:
            stored = self.model.objects.get(pk=obj.pk)
            self.update(**{self.model_arg: stored}, name=name)
        else:
            stored = self.create(name=name)
            obj.pk = stored.pk
            obj._state.adding = False
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj) -> None:
        self.delete(**{self.model_arg: obj})

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete(**{self.model_arg: obj})


@admin.register(Genre)
class GenreAdmin(NamedAdmin):
    form = GenreAdminForm
    create = staticmethod(services.genre_create)
    update = staticmethod(services.genre_update)
    delete = staticmethod(services.genre_delete)
    model_arg = "genre"


@admin.register(Person)
class ActorAdmin(NamedAdmin):
    form = ActorAdminForm
    create = staticmethod(services.actor_create)
    update = staticmethod(services.actor_update)
    delete = staticmethod(services.actor_delete)
    model_arg = "actor"


admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Catalogue, accounts and support"


class RatingRangeFilter(admin.SimpleListFilter):
    """The rating in a few bands, rather than one link per value stored."""

    title = "rating"
    parameter_name = "rating_band"
    BANDS = {
        "4-5": ("4 and up", Decimal("4.0"), None),
        "3-4": ("3 to 3.9", Decimal("3.0"), Decimal("4.0")),
        "2-3": ("2 to 2.9", Decimal("2.0"), Decimal("3.0")),
        "0-2": ("Under 2", None, Decimal("2.0")),
    }

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(key, label) for key, (label, _, _) in self.BANDS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        band = self.BANDS.get(self.value() or "")
        if band is None:
            return queryset
        _, low, high = band
        if low is not None:
            queryset = queryset.filter(rating__gte=low)
        if high is not None:
            queryset = queryset.filter(rating__lt=high)
        return queryset


@admin.register(Movie)
class MovieAdmin(admin.ModelAdmin):
    form = MovieAdminForm
    list_display = ["title", "release_date", "runtime", "rating", "created_at"]
    list_filter = ["genres", RatingRangeFilter, "created_at"]
    search_fields = ["title", "plot_summary", "cast__name", "directors__name"]
    filter_horizontal = ["genres", "directors"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "members_rating_average",
        "members_rating_count",
        "created_at",
        "updated_at",
    ]
    inlines = [CastMemberInline]

    def save_model(
        self, request: HttpRequest, obj: Movie, form: MovieAdminForm, change: bool
    ) -> None:
        """``movie_create`` or ``movie_update`` with what the form changed. The form has
        already put its values on ``obj``, so the update works on the stored row (its
        old poster is the one to delete) and ``obj`` is refreshed afterwards."""
        arguments = form.service_arguments()
        if change:
            stored = Movie.objects.get(pk=obj.pk)
            services.movie_update(movie=stored, **arguments)
        else:
            stored = services.movie_create(**arguments)
            obj.pk = stored.pk
            obj._state.adding = False
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: MovieAdminForm, formsets, change: bool):
        """The services set the genres and directors (``save_model``); the cast inline is
        saved by ``movie_update(cast=...)``, which replaces the cast in one step."""
        for formset in formsets:
            if isinstance(formset, CastMemberInlineFormSet):
                if formset.has_changed() or not change:
                    movie = Movie.objects.get(pk=form.instance.pk)
                    services.movie_update(movie=movie, cast=formset.cast_lines())
                # What formset.save() would have noted, for the admin's change message;
                # the service replaced the lines, so the message says "cast changed".
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            else:
                self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Movie) -> None:
        services.movie_delete(movie=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Movie]) -> None:
        """The "delete selected" action: each through ``movie_delete`` (posters go too)."""
        with transaction.atomic():
            for movie in queryset:
                services.movie_delete(movie=movie)
