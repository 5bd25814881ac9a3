"""The Jinja2 environment of ``TEMPLATES``' second engine.

The site's templates are Django's. Jinja2 renders only the few that a page repeats dozens
of times (a movie card: ``{% movie_cards %}``), where the Django template language's cost
per variable and tag was most of a page's time. Its output must not differ from what the
Django template would give: every value goes through Django's own escaping
(``conditional_escape``: ``&#x27;`` and ``&quot;``, not markupsafe's ``&#39;`` and
``&#34;``; Django's safe strings stay as they are), and the filters the cards need are
Django's.
"""

from __future__ import annotations

import html
from typing import Any

from django.template.defaultfilters import truncatechars
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from jinja2 import Environment
from markupsafe import Markup


def _escape(value: Any) -> Any:
    """``conditional_escape`` without its lazy-string wrapper (a card writes ~40 values):
    a safe value as it is, anything else through ``html.escape``, which is what Django's
    ``escape`` does."""
    if hasattr(value, "__html__"):
        return value
    if isinstance(value, Promise):  # a lazy translation: Django's own path
        return conditional_escape(value)
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped right here


def environment(**options: Any) -> Environment:
    env = Environment(finalize=_escape, **options)  # noqa: S701 - autoescape is on (Django's default)
    env.filters["truncatechars"] = truncatechars
    return env
