"""Fixtures shared by every app's tests.

The suite runs in parallel (``pytest -n auto``, pytest-xdist): each worker is its own
process with its own test database (pytest-django suffixes its name with the worker
id), its own live server on a free port and, when ``REDIS_URL`` is set, its own keys
in the shared Redis (``KEY_PREFIX`` ends with the worker id, and the cache is emptied
key by key under that prefix, never with ``FLUSHDB``, which would empty every
worker's cache at once).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core.tests.clients import rest_client

E2E_ARTIFACTS = Path(__file__).resolve().parent / "e2e" / "artifacts"


def _worker() -> str:
    """``gw0``, ``gw1``... under pytest-xdist; ``main`` in a plain run."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def pytest_configure(config: pytest.Config) -> None:
    """Give this process its own cache key prefix before any test touches the cache,
    and make the live test server answer without Nagle's delay.

    Django's test server (wsgiref) writes a response's headers and its body in two
    sends; with Nagle's algorithm on, the body waits for the client's delayed ACK of
    the headers, about 40 ms a request. A populate run makes dozens of requests and
    a browser page several, so the live server sets TCP_NODELAY on its connections,
    as production servers (gunicorn) do.
    """
    from django.conf import settings
    from django.core.cache.backends.redis import RedisCache
    from django.test.signals import clear_cache_handlers
    from django.test.testcases import QuietWSGIRequestHandler

    QuietWSGIRequestHandler.disable_nagle_algorithm = True
    # A test's ``cache.clear()`` on Redis would FLUSHDB the database every worker shares
    # and wipe another worker's throttle counts mid-test: it deletes this worker's keys.
    RedisCache.clear = _delete_own_keys

    # SQLite tests run in memory, one database per process. pytest-django's xdist
    # suffix knows that only for Django's own ENGINE name; behind django-prometheus's
    # wrapper ("django_prometheus.db.backends.sqlite3") it would name a file
    # "test_/path/db.sqlite3_gw0" that cannot be opened. Saying ":memory:" (what
    # Django does anyway) keeps every worker on its own in-memory database.
    for database in settings.DATABASES.values():
        if database["ENGINE"].endswith(".sqlite3") and not database.get("TEST", {}).get("NAME"):
            database.setdefault("TEST", {})["NAME"] = ":memory:"

    default = settings.CACHES["default"]
    if default["BACKEND"].endswith("RedisCache"):
        prefix = default.get("KEY_PREFIX") or "movie_api"
        settings.CACHES = {
            **settings.CACHES,
            "default": {**default, "KEY_PREFIX": f"{prefix}-test-{_worker()}"},
        }
        clear_cache_handlers(setting="CACHES")


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def _uses_the_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DB_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark and order after pytest-django has sorted the tests (database tests, then
    transactional ones, then those without a database).

    A test that needs the live server is slow, whoever wrote it: ``-m "not slow"``
    leaves out every test that serves HTTP (the browsers, populate_movies, the support
    desk over HTTP), as well as those marked by hand (subprocesses).

    Slow tests without a database (the subprocesses) move to the front: they need no
    particular order, and started last they would keep one xdist worker busy while the
    other has nothing left to do.
    """
    for item in items:
        if "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
    first = [i for i in items if i.get_closest_marker("slow") and not _uses_the_database(i)]
    if first:
        chosen = set(map(id, first))
        items[:] = first + [item for item in items if id(item) not in chosen]


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Screenshots of an earlier run would only mislead: the controller (or a plain
    run) removes them once, before any worker could have taken a new one."""
    if hasattr(session.config, "workerinput"):
        return
    for stale in E2E_ARTIFACTS.glob("*.png"):
        stale.unlink(missing_ok=True)


def clear_cache(cache=None) -> None:
    """Empty this worker's cache (``caches["default"]`` unless given) and nothing else.

    The in-process cache belongs to the worker anyway. On Redis, ``cache.clear()`` is a
    ``FLUSHDB`` of the database every worker shares: delete our own prefix instead.
    """
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = cache or caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    _delete_own_keys(cache)


def _delete_own_keys(cache) -> None:
    """``RedisCache.clear`` in tests: delete the keys under this cache's prefix only."""
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Each test gets its own media folder, a fast password hasher, an empty cache
    (and no stored catalogue reads) and the in-memory SMS and email outboxes."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Stored catalogue reads are off: a test's writes never commit (pytest-django rolls
    # them back), so the catalogue version, bumped on commit, would not move and a read
    # after a write would get the old entry. The cache's own tests turn it on with real
    # commits (django_db(transaction=True)): movies/tests/test_http_cache.py.
    settings.HTTP_CACHE = False
    # Kept counts (core.counts) likewise: their own tests commit (movies/tests/test_counts.py).
    settings.CATALOGUE_COUNT_CACHE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "locmem"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from users import sms

    clear_cache()
    sms.outbox.clear()
    yield
    clear_cache()


@pytest.fixture
def sms_outbox() -> list:
    """Text messages sent so far by the locmem SMS backend (``users.sms.outbox``)."""
    from users import sms

    return sms.outbox


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        username="alice", email="alice@example.com", password="correct horse battery"
    )


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(
        username="bob", email="bob@example.com", password="correct horse battery"
    )


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_user(
        username="root", email="root@example.com", password="correct horse battery", is_staff=True
    )


@pytest.fixture
def user_client(user) -> APIClient:
    return rest_client(user)


@pytest.fixture
def other_client(other_user) -> APIClient:
    return rest_client(other_user)


@pytest.fixture
def admin_client_api(admin_user) -> APIClient:
    return rest_client(admin_user)


@pytest.fixture
def graphql(client):
    """POST a GraphQL document to /graphql/, anonymously or as ``user`` (Bearer JWT).

    Returns the response; ``response.json()`` holds ``data`` and ``errors``.
    """
    from rest_framework_simplejwt.tokens import AccessToken

    def post(query: str, variables: dict | None = None, *, user=None, **extra):
        if user is not None:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {AccessToken.for_user(user)}"
        return client.post(
            "/graphql/",
            {"query": query, "variables": variables or {}},
            content_type="application/json",
            **extra,
        )

    return post


@pytest.fixture
def agent(db):
    from support.tests.factories import AgentFactory

    return AgentFactory(username="agatha")


@pytest.fixture
def agent_client_api(agent) -> APIClient:
    return rest_client(agent)


@pytest.fixture
def users_by_role(user, other_user, agent, admin_user) -> dict:
    """The people behind each role; ``user`` files the tickets."""
    return {
        "anonymous": None,
        "requester": user,
        "member": user,
        "other": other_user,
        "agent": agent,
        "admin": admin_user,
    }


@pytest.fixture
def api_for(users_by_role):
    """An API client for a role: ``api_for("agent")``."""

    def make(role: str) -> APIClient:
        return rest_client(users_by_role[role])

    return make


@pytest.fixture
def page_for(users_by_role):
    """A browser-like client logged in (with a session) as a role: ``page_for("requester")``."""

    def make(role: str, *, enforce_csrf_checks: bool = False) -> Client:
        client = Client(enforce_csrf_checks=enforce_csrf_checks)
        if users_by_role[role] is not None:
            client.force_login(users_by_role[role])
        return client

    return make
