"""The catalogue's HTML pages: the movie list (search, filters, sort), a movie, a genre, an actor.

Views stay thin: the rows come from ``movies.selectors`` (``movie_list`` runs the
same ``MovieFilter`` as REST and GraphQL). A request sent by htmx gets only the
page's ``results`` fragment; any other request gets the whole page, so every page
works without JavaScript.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from movies import selectors
from movies.forms import MovieBrowseForm
from movies.models import Actor, Genre, Movie

PAGE_SIZE = 24


def paginate(request: HttpRequest, queryset: QuerySet, *, per_page: int = PAGE_SIZE) -> dict:
    """``page_obj`` and its elided ``page_range`` for ``?page=``; a bad or too large
    page number gives the nearest real page, never an error."""
    paginator = Paginator(queryset, per_page)
    page_obj: Page = paginator.get_page(request.GET.get("page"))
    page_range = list(paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))
    return {"page_obj": page_obj, "movies": page_obj.object_list, "page_range": page_range}


def render_page(
    request: HttpRequest, template_name: str, context: dict[str, Any], *, fragment: str = "results"
) -> HttpResponse:
    """Render the whole page, or only its ``{% partialdef fragment %}`` for htmx.

    A history restore (htmx asking for a page it has no snapshot of) gets the whole page.
    """
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        template_name = f"{template_name}#{fragment}"
    response = render(request, template_name, context)
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response


@require_safe
def movie_list(request: HttpRequest) -> HttpResponse:
    """The home page: movie cards with search as you type, filters, sort and pages."""

    @cache
    def genre_choices() -> list[tuple[str, str]]:
        return [(genre.name, genre.name) for genre in selectors.genre_list()]

    form = MovieBrowseForm(request.GET or None, genre_choices=genre_choices)
    filters = form.filters()
    try:
        movies = selectors.movie_list(filters=filters)
    except ValidationError as error:  # the form checks the same fields, but be sure: no 500
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
            filters.pop(field, None)
        movies = selectors.movie_list(filters=filters)

    context = {"form": form, "filtered": bool(filters), **paginate(request, movies)}
    return render_page(request, "movies/movie_list.html", context)


@require_safe
def movie_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One movie: poster, plot, rating, genres and actors."""
    movie: Movie | None = selectors.movie_get(movie_id=pk)
    if movie is None:
        raise Http404("No such movie.")
    return render(request, "movies/movie_detail.html", {"movie": movie})


@require_safe
def genre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A genre and its movies, newest first, a page at a time."""
    genre = get_object_or_404(Genre, pk=pk)
    movies = selectors.movie_queryset().filter(genres=genre)
    return render_page(
        request, "movies/genre_detail.html", {"genre": genre, **paginate(request, movies)}
    )


@require_safe
def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An actor and the movies they appear in, newest first, a page at a time."""
    actor = get_object_or_404(Actor, pk=pk)
    movies = selectors.movie_queryset().filter(actors=actor)
    return render_page(
        request, "movies/actor_detail.html", {"actor": actor, **paginate(request, movies)}
    )
