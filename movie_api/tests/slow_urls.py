"""Deliberately slow views, mounted only by the tests (``slow_settings``)."""

from __future__ import annotations

import time

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path


def sleep(request: HttpRequest, seconds: str) -> HttpResponse:
    """Holds the worker in Python for ``seconds``."""
    time.sleep(float(seconds))
    return HttpResponse("slept")


def sql_sleep(request: HttpRequest, seconds: str) -> HttpResponse:
    """Holds the database (PostgreSQL) for ``seconds``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [float(seconds)])
    return HttpResponse("slept")


def fast(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("sleep/<str:seconds>/", sleep),
    path("api/sql-sleep/<str:seconds>/", sql_sleep),
    path("sql-sleep/<str:seconds>/", sql_sleep),
    path("fast/", fast),
]
