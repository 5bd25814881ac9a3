"""The catalogue's HTML pages: the movie list (search, filters, sort), a movie, a genre, an actor.

Views stay thin: the rows come from ``movies.selectors`` (``movie_list`` runs the
same ``MovieFilter`` as REST and GraphQL). A request sent by htmx gets only the
page's ``results`` fragment; any other request gets the whole page, so every page
works without JavaScript. Every page of movies also passes which of them the
visitor keeps as favorites or watched (:func:`list_marks`, one query for the page).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from movies import selectors
from movies.forms import MovieBrowseForm
from movies.models import Movie
from users import selectors as users_selectors

PAGE_SIZE = 24


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    per_page: int = PAGE_SIZE,
    page_param: str = "page",
) -> dict:
    """``page_obj`` and its elided ``page_range`` for ``?<page_param>=``; a bad or too
    large page number gives the nearest real page, never an error."""
    paginator = Paginator(queryset, per_page)
    page_obj: Page = paginator.get_page(request.GET.get(page_param))
    page_range = list(paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))
    return {
        "page_obj": page_obj,
        "movies": page_obj.object_list,
        "page_range": page_range,
        "page_param": page_param,
    }


def list_marks(request: HttpRequest, movies: Iterable[Movie]) -> dict[str, frozenset[int]]:
    """Which of ``movies`` the visitor keeps in their favorites and watched lists, for
    the Favorite / Watched buttons of ``movies/includes/movie_actions.html``: one query
    for a logged-in user whatever the number of movies, none for anyone else."""
    favorite_ids, watched_ids = users_selectors.movie_list_marks(
        user=request.user, movie_ids=[movie.pk for movie in movies]
    )
    return {"favorite_ids": favorite_ids, "watched_ids": watched_ids}


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

    page = paginate(request, movies)
    context = {
        "form": form,
        "filtered": bool(filters),
        **page,
        **list_marks(request, page["movies"]),
    }
    return render_page(request, "movies/movie_list.html", context)


@require_safe
def movie_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One movie: poster, plot, rating, genres and actors."""
    movie: Movie | None = selectors.movie_get(movie_id=pk)
    if movie is None:
        raise Http404("No such movie.")
    context = {"movie": movie, **list_marks(request, [movie])}
    return render(request, "movies/movie_detail.html", context)


@require_safe
def genre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A genre and its movies, newest first, a page at a time."""
    genre = selectors.genre_get(genre_id=pk)
    if genre is None:
        raise Http404("No such genre.")
    page = paginate(request, selectors.genre_movie_list(genre=genre))
    context = {"genre": genre, **page, **list_marks(request, page["movies"])}
    return render_page(request, "movies/genre_detail.html", context)


@require_safe
def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An actor and the movies they appear in, newest first, a page at a time."""
    actor = selectors.actor_get(actor_id=pk)
    if actor is None:
        raise Http404("No such actor.")
    page = paginate(request, selectors.actor_movie_list(actor=actor))
    context = {"actor": actor, **page, **list_marks(request, page["movies"])}
    return render_page(request, "movies/actor_detail.html", context)
