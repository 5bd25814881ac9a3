"""PostgreSQL's ``statement_timeout`` for web requests, so no query outlives its client.

``enable_statement_timeout()`` is called by the web entry points (``movie_api/wsgi.py``,
``asgi.py``; runserver loads ``wsgi.py`` too), never by ``manage.py``: each database
connection a web process opens runs ``SET statement_timeout`` once
(``DATABASE_STATEMENT_TIMEOUT_MS``; 0 switches it off), while ``migrate`` and other
commands keep PostgreSQL's default (none). A cancelled statement raises
``OperationalError``; ``QueryTimeoutMiddleware`` answers it with a ``503``, and the
GraphQL view with a ``TIMEOUT`` error, instead of a 500.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import OperationalError
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

TIMEOUT_MESSAGE = "The request took too long and was stopped. Please try again."
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a cancelled statement


def set_statement_timeout(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: the timeout on a new PostgreSQL connection."""
    timeout = int(settings.DATABASE_STATEMENT_TIMEOUT_MS)
    if connection.vendor != "postgresql" or timeout <= 0:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {timeout}")


def enable_statement_timeout() -> None:
    """Give every connection this process opens from now on the timeout."""
    connection_created.connect(set_statement_timeout, dispatch_uid="core.db.statement_timeout")


def disable_statement_timeout() -> None:
    connection_created.disconnect(dispatch_uid="core.db.statement_timeout")


def is_statement_timeout(exc: BaseException) -> bool:
    """Whether ``exc`` is PostgreSQL cancelling a statement (the timeout, or a cancel)."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == QUERY_CANCELED


class QueryTimeoutMiddleware:
    """A statement cancelled by the timeout is a ``503``, not a 500 (JSON under ``/api/``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_statement_timeout(exception):
            return None
        logger.warning("Statement timeout on %s %s", request.method, request.path)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": TIMEOUT_MESSAGE}, status=503)
        return HttpResponse(TIMEOUT_MESSAGE, status=503, content_type="text/plain")
