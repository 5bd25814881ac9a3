"""``{% movie_cards movies marks=marks %}``: a list's movie cards.

The cards are a Jinja2 template (movies/jinja2/movies/movie_card.html; why in core/jinja2.py).
What every card of a list shares is worked out here once for the list instead of once a
card: the detail and toggle URLs' fixed parts, the page the list buttons come back to, the
login link's start, and the CSRF field.

Reads from the page's context: ``request``, ``user`` (a member gets the toggles, a visitor
links to log in), ``csrf_token``, and optionally ``back_path`` (the page the list buttons
come back to, when it is not the request's own: a home row fetched from its own URL)
and ``sizes`` (the posters' ``sizes`` attribute).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django import template
from django.template import engines
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.templatetags.fixed_urls import fixed_url
from core.templatetags.url_prefix import url_prefix

register = template.Library()


@dataclass(frozen=True)
class Toggle:
    """One of a member's lists as its card button shows it (users/includes/list_button.html)."""

    name: str
    view_name: str
    marks_name: str
    off_label: str
    on_label: str
    login_label: str


TOGGLES = (
    Toggle(
        "favorites",
        "users:favorite",
        "favorite_ids",
        "Add to favorites",
        "Remove from favorites",
        "Log in to add to favorites",
    ),
    Toggle(
        "watched",
        "users:watched",
        "watched_ids",
        "Mark as watched",
        "Remove from watched",
        "Log in to mark as watched",
    ),
    Toggle(
        "watchlist",
        "users:watchlist",
        "watchlist_ids",
        "Add to watchlist",
        "Remove from watchlist",
        "Log in to add to the watchlist",
    ),
)


def _csrf_input(context: template.Context) -> SafeString:
    """What ``{% csrf_token %}`` writes, once for the list."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's marker, not a secret
        return mark_safe("")
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag(takes_context=True)
def movie_cards(
    context: template.Context,
    movies: Any,
    marks: Any = None,
    id_prefix: str = "",
    item_class: str = "col",
) -> SafeString:
    """The cards of ``movies``, each in a ``<li class="{item_class}">``; ``marks`` (from
    ``{% list_marks %}``) says which of a member's lists hold each movie; ``id_prefix``
    starts every id (a home row's, so a movie in two rows keeps unique ids)."""
    request = context.get("request")
    user = context.get("user")
    member = bool(user is not None and user.is_authenticated)
    back_path = context.get("back_path") or (request.get_full_path() if request else "")
    # (name, URL prefix, the movies in the list, labels off / on / logged out), unpacked
    # by the card's loop: a tuple costs the template no attribute look-ups.
    toggles = [
        (
            toggle.name,
            url_prefix(toggle.view_name),
            getattr(marks, toggle.marks_name, None) or (),
            toggle.off_label,
            toggle.on_label,
            toggle.login_label,
        )
        for toggle in TOGGLES
    ]
    card_context = {
        "movies": movies,
        "item_class": item_class,
        "id_prefix": id_prefix,
        "sizes": context.get("sizes") or "",
        "detail_url": url_prefix("movies:detail"),
        "member": member,
        "toggles": toggles,
    }
    if member:
        card_context.update(next_path=back_path, csrf_input=_csrf_input(context))
    else:
        login_url = fixed_url("users:login")
        card_context["login_next"] = f"{login_url}?next={quote(back_path, safe='/')}%23"
    cards = engines["jinja2"].env.get_template("movies/movie_cards.html")
    return mark_safe(cards.render(card_context))  # noqa: S308 - Jinja2 escaped every value
