"""PostgreSQL's statement_timeout for web requests: set on each web connection (not
for management commands), and a statement over it is cancelled with a clean answer."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core.db import TIMEOUT_MESSAGE, disable_statement_timeout, enable_statement_timeout

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="statement_timeout is PostgreSQL's; CI's second pass runs on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]


def show_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@pytest.fixture
def web_timeout(settings):
    """The web entry point's set-up, with a 300 ms timeout, on a fresh connection."""
    settings.DATABASE_STATEMENT_TIMEOUT_MS = 300
    enable_statement_timeout()
    connection.close()
    yield
    disable_statement_timeout()
    connection.close()  # the next test's connection starts without the timeout


def test_a_web_connection_gets_the_timeout(web_timeout):
    assert show_timeout() == "300ms"


def test_a_statement_over_the_timeout_is_cancelled_with_a_503(web_timeout, client, settings):
    settings.ROOT_URLCONF = "movie_api.tests.slow_urls"

    started = time.monotonic()
    api = client.get("/api/sql-sleep/10/")
    page = client.get("/sql-sleep/10/")
    elapsed = time.monotonic() - started

    assert elapsed < 5  # two 10 s sleeps, each cancelled after 0.3 s
    assert api.status_code == 503
    assert api.json() == {"detail": TIMEOUT_MESSAGE}
    assert page.status_code == 503
    assert page.content.decode() == TIMEOUT_MESSAGE
    assert client.get("/fast/").content == b"ok"  # the connection is still usable


def test_a_graphql_query_over_the_timeout_is_a_timeout_error(web_timeout, graphql, monkeypatch):
    def slow_movie_count(**kwargs):  # what moviesCount asks
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(10)")

    monkeypatch.setattr("movies.selectors.movie_count", slow_movie_count)

    started = time.monotonic()
    response = graphql("{ moviesCount }")

    assert time.monotonic() - started < 5
    assert response.json()["errors"][0]["message"] == TIMEOUT_MESSAGE
    assert response.json()["errors"][0]["extensions"] == {"code": "TIMEOUT"}


def _timeout_in_subprocess(code: str) -> str:
    db = connection.settings_dict  # the test database
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    show = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", f"{code}; {show}"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DATABASE_STATEMENT_TIMEOUT_MS": "4000"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_web_processes_get_the_timeout_and_management_commands_do_not():
    web = _timeout_in_subprocess("import movie_api.wsgi")
    command = _timeout_in_subprocess(
        "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'movie_api.settings'); django.setup()"
    )

    assert web == "4s"
    assert command == "0"
