from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from .images import poster_process
from .models import Actor, Genre, Movie


class MovieAdminForm(forms.ModelForm):
    """Posters uploaded in the admin get the same checks and re-encoding as over the API."""

    class Meta:
        model = Movie
        fields = ["title", "plot_summary", "image", "rating", "genres", "actors"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a fresh upload, not the stored file
            try:
                return poster_process(image)
            except ValidationError as error:
                raise ValidationError(error.error_dict["image"]) from None
        return image


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Movie)
class MovieAdmin(admin.ModelAdmin):
    form = MovieAdminForm
    list_display = ["title", "rating", "created_at"]
    list_filter = ["genres", "rating", "created_at"]
    search_fields = ["title", "plot_summary", "actors__name"]
    filter_horizontal = ["genres", "actors"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at"]
