"""``{% fixed_url %}`` and ``{% fixed_static %}``: ``{% url %}`` and ``{% static %}`` for
links that are the same on every page (the navigation, the footer, the stylesheets), worked
out once a process instead of once a page.

A page of the site's shell (base.html, the navigation, the search box) reversed about 14
URLs and resolved about 10 static files' hashed names: about half of what a page with no
content cost to render. What they give depends only on the URLconf, the script prefix,
the static files' settings (and the manifest, read once a process anyway), so they
are remembered under those.
"""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

register = template.Library()


@functools.lru_cache(maxsize=512)
def _reversed(view_name: str, args: tuple[Any, ...], prefix: str, urlconf: Any) -> str:
    return reverse(view_name, args=args or None, urlconf=urlconf)


@register.simple_tag
def fixed_url(view_name: str, *args: Any, optional: bool = False) -> str:
    """``{% url view_name arg… %}`` with constant arguments, reversed once a process (for
    each URLconf and script prefix). ``optional=True``: "" for a name that does not
    exist (yet), as ``{% url … as x %}`` gives, instead of an error."""
    try:
        return _reversed(view_name, args, get_script_prefix(), get_urlconf())
    except NoReverseMatch:
        if optional:
            return ""
        raise


@functools.lru_cache(maxsize=512)
def _static(path: str, static_url: str, storage: str) -> str:
    return static(path)


@register.simple_tag
def fixed_static(path: str) -> str:
    """``{% static path %}``, resolved once a process (for each ``STATIC_URL`` and
    static files storage)."""
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    return _static(path, settings.STATIC_URL, backend)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    """A test that changes the URLconf or the static files' settings starts afresh."""
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME", "STATIC_URL", "STORAGES"}:
        _reversed.cache_clear()
        _static.cache_clear()
