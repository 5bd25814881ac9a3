"""Every request gets an id (taken from ``X-Request-ID`` when sane), returned on the
response, and, when ``LOG_REQUESTS`` is on, one log line on the ``ops.request`` logger."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .context import REQUEST_ID_HEADER, request_id_clean, request_id_var

logger = logging.getLogger("ops.request")

# URL parts that carry a secret (the password reset link's uid and token) are not logged.
_SECRET_URL_KWARGS = frozenset({"uidb64", "token", "key", "code", "secret", "password"})


def _loggable_path(request: HttpRequest) -> str:
    """The path without its query string, secrets in the URL replaced by ``[redacted]``."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name in _SECRET_URL_KWARGS and value:
                path = path.replace(str(value), "[redacted]")
    return path


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk
    return None


class RequestIdMiddleware:
    """Put first in ``MIDDLEWARE`` so every response, redirects and errors included,
    carries the id and is timed whole."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_clean(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        reset = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            if settings.LOG_REQUESTS:
                duration_ms = round((time.perf_counter() - started) * 1000, 1)
                path = _loggable_path(request)
                logger.info(
                    "%s %s %s %.1fms",
                    request.method,
                    path,
                    response.status_code,
                    duration_ms,
                    extra={
                        "method": request.method,
                        "path": path,
                        "status": response.status_code,
                        "duration_ms": duration_ms,
                        "user_id": _user_id(request),
                    },
                )
            return response
        finally:
            request_id_var.reset(reset)


class ProbeMiddleware:
    """Answer ``/healthz``, ``/readyz`` and ``/metrics`` before host checks, HTTPS
    redirects, sessions and CSRF: probes come by IP address over plain HTTP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from . import views

        self.get_response = get_response
        self.routes = {
            "/healthz": views.healthz,
            "/readyz": views.readyz,
            "/metrics": views.metrics,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.routes.get(request.path_info.rstrip("/"))
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
