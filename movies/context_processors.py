"""Template context every page gets from the movies app."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .selectors import catalogue_has_tmdb_data


def tmdb_attribution(request) -> dict:
    """``show_tmdb_attribution``: true when the catalogue holds TMDB data. Lazy: a page
    that does not render the footer asks nothing."""
    return {"show_tmdb_attribution": SimpleLazyObject(catalogue_has_tmdb_data)}
