"""The catalogue's HTML pages: the movie list (search, filters, sort), a movie, a genre, an actor.

Views stay thin: the rows come from ``movies.selectors`` (``movie_list`` runs the
same ``MovieFilter`` as REST and GraphQL). A request sent by htmx gets only the
page's ``results`` fragment; any other request gets the whole page, so every page
works without JavaScript (``core.pages.render_page``). The Favorite / Watched marks on
the cards come from the ``users`` app's ``{% list_marks %}`` tag, in the templates:
the catalogue does not import the accounts.
"""

from __future__ import annotations

from functools import cache

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.http_cache import catalogue_read
from core.pages import paginate, render_page, wants_fragment
from movies import selectors
from movies.forms import MovieBrowseForm
from movies.models import Movie


@catalogue_read
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The home page: the rows above the fold (top rated, recently added) with their
    cards; the others (popular, one a genre) as headings whose cards load with htmx when
    scrolled to (``home_row``). Old links to the list that lived here (``/?search=…``)
    go on to ``/movies/?search=…``."""
    if request.GET:
        return redirect(f"{reverse('movies:list')}?{request.GET.urlencode()}")
    context = {"rows": selectors.home_rows()}
    return render(request, "movies/home.html", context)


@catalogue_read
@require_safe
def home_row(request: HttpRequest, row_id: str) -> HttpResponse:
    """One row of the home page: htmx swaps its cards (the ``row`` fragment) into the home
    page when the row scrolls into view; without JavaScript the row's link opens this
    as a page of its own. Its list buttons come back to the home page."""
    row = selectors.home_row(row_id=row_id)
    if row is None:
        raise Http404("No such row.")
    # In the home page (htmx) the buttons come back to it; on the row's own page, to it.
    context = {"row": row, "back_path": reverse("movies:home") if wants_fragment(request) else ""}
    return render_page(request, "movies/home_row.html", context, fragment="row")


@catalogue_read
@require_safe
def movie_list(request: HttpRequest) -> HttpResponse:
    """The full list: movie cards with search as you type, filters, sort and pages."""

    @cache
    def genre_choices() -> list[tuple[str, str]]:
        return [(genre.name, genre.name) for genre in selectors.genre_list()]

    form = MovieBrowseForm(request.GET or None, genre_choices=genre_choices)
    filters = form.filters()
    try:
        movies = selectors.movie_card_list(filters=filters)
    except ValidationError as error:  # the form checks the same fields, but be sure: no 500
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
            filters.pop(field, None)
        movies = selectors.movie_card_list(filters=filters)

    context = {
        "form": form,
        "filtered": bool(filters),
        **paginate(request, movies, rows_name="movies", catalogue_count=True),
    }
    return render_page(request, "movies/movie_list.html", context)


@catalogue_read
@require_safe
def movie_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One movie: poster, plot, rating, genres and actors, and the movies most like it."""
    movie: Movie | None = selectors.movie_get(movie_id=pk)
    if movie is None:
        raise Http404("No such movie.")
    context = {
        "movie": movie,
        "similar_movies": selectors.similar_movie_list(movie_id=movie.pk),
    }
    return render(request, "movies/movie_detail.html", context)


@catalogue_read
@require_safe
def genre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A genre and its movies, newest first, a page at a time."""
    genre = selectors.genre_get(genre_id=pk)
    if genre is None:
        raise Http404("No such genre.")
    context = {
        "genre": genre,
        **paginate(
            request,
            selectors.genre_movie_cards(genre=genre),
            rows_name="movies",
            catalogue_count=True,
        ),
    }
    return render_page(request, "movies/genre_detail.html", context)


@catalogue_read
@require_safe
def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person (the URL keeps "actors"): the movies they directed, then the movies they
    act in, a page at a time; both newest release first (undated last)."""
    actor = selectors.actor_get(actor_id=pk)
    if actor is None:
        raise Http404("No such person.")
    context = {
        "actor": actor,
        "directed": selectors.person_directing_credits(person=actor),
        **paginate(
            request,
            selectors.person_acting_credits(person=actor),
            rows_name="movies",
            catalogue_count=True,
        ),
    }
    return render_page(request, "movies/actor_detail.html", context)
