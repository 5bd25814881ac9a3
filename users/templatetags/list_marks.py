"""``{% list_marks movies as marks %}``: which movies the visitor keeps in their lists.

The catalogue's templates use it for the Favorite / Watched / Watchlist buttons of every card
(``movies/includes/movie_actions.html``), so the ``movies`` app never imports ``users``:
one query for the whole page (``users.selectors.movie_list_marks``), none for anonymous
visitors or an empty page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from django import template

from users.selectors import FAVORITES, WATCHED, WATCHLIST, movie_list_marks

register = template.Library()


class ListMarks(NamedTuple):
    favorite_ids: frozenset[int]
    watched_ids: frozenset[int]
    watchlist_ids: frozenset[int] = frozenset()


@register.simple_tag(takes_context=True)
def list_marks(context: template.Context, movies: Any) -> ListMarks:
    """The ids of ``movies`` (an iterable of movies, or one movie) that the request's
    user has among their favorites, their watched movies and their watchlist."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if movies is None or movies == "":
        movies = []
    elif not isinstance(movies, Iterable):
        movies = [movies]
    marks = movie_list_marks(
        user=user,
        movie_ids=[movie.pk for movie in movies],
        lists=(FAVORITES, WATCHED, WATCHLIST),
    )
    return ListMarks(*marks)
