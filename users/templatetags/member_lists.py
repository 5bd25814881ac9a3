"""The members' lists on pages the catalogue owns (which does not import the
accounts): ``{% log_watch_form movie %}`` on the movie page and
``{% because_you_liked %}`` on the home page."""

from __future__ import annotations

from typing import Any

from django import template

from users import selectors
from users.forms import LogWatchForm

register = template.Library()


@register.inclusion_tag("users/includes/log_watch.html", takes_context=True)
def log_watch_form(context: template.Context, movie: Any) -> dict[str, Any]:
    """ "Log a watch" for ``movie`` (a log-in link for anonymous visitors). No query."""
    request = context["request"]
    return {
        "request": request,
        "user": request.user,
        "movie": movie,
        "form": LogWatchForm.fresh(),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("users/includes/because_you_liked.html", takes_context=True)
def because_you_liked(context: template.Context) -> dict[str, Any]:
    """A "Because you liked <title>" row of movies for a logged-in member."""
    request = context["request"]
    liked, movies = selectors.because_you_liked(user=request.user)
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "liked": liked,
        "movies": movies,
    }
