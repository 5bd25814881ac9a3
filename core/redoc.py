"""ReDoc's bundle, as drf-yasg ships it, with its one remote image made local.

The bundled ReDoc draws the "API docs by Redocly" logo from cdn.redoc.ly; the site's
Content-Security-Policy (images from this host only) refuses it, which is a console
error on every visit to /redoc/. This serves the same file with that URL replaced by
an inline SVG (``data:`` images are allowed), read once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import drf_yasg
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

BUNDLE = Path(drf_yasg.__file__).parent / "static" / "drf-yasg" / "redoc" / "redoc.min.js"
REMOTE_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
LOCAL_LOGO = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
    "%3Crect width='16' height='16' rx='3' fill='%23d33'/%3E%3C/svg%3E"
)


@cache
def bundle() -> bytes:
    return BUNDLE.read_text(encoding="utf-8").replace(REMOTE_LOGO, LOCAL_LOGO).encode()


@require_safe
@cache_control(public=True, max_age=86400)
def redoc_bundle(request: HttpRequest) -> HttpResponse:
    return HttpResponse(bundle(), content_type="text/javascript; charset=utf-8")
