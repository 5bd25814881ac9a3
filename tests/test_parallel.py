"""The suite runs in parallel (pytest-xdist): what keeps one worker out of another's way.

Each worker has its own test database, its own live server on a free port and its
own keys in a shared Redis; these tests hold the parts that conftest.py sets up.
"""

from __future__ import annotations

import fnmatch
import os
import socket
from urllib.parse import urlsplit

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.testcases import QuietWSGIRequestHandler

from conftest import clear_cache

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


class FakeRedis:
    """The few client calls ``clear_cache`` may make, over a dict of keys."""

    def __init__(self, keys: set[str]) -> None:
        self.keys = set(keys)
        self.flushed = False

    def scan_iter(self, match: str, count: int | None = None):
        return iter(sorted(key for key in self.keys if fnmatch.fnmatchcase(key, match)))

    def delete(self, *names: str) -> int:
        self.keys -= set(names)
        return len(names)

    def flushdb(self, **kwargs) -> None:  # what cache.clear() would do
        self.flushed = True
        self.keys.clear()


def test_clearing_the_cache_on_redis_deletes_only_this_workers_keys(monkeypatch):
    cache = RedisCache("redis://127.0.0.1:6379/5", {"KEY_PREFIX": "movie_api-test-gw0"})
    client = FakeRedis(
        {
            "movie_api-test-gw0:1:throttle_login_127.0.0.1",
            "movie_api-test-gw0:1:otp-cooldown",
            "movie_api-test-gw1:1:throttle_login_127.0.0.1",  # another worker's
            "movie_api-test-gw00:1:x",  # a prefix that only starts the same
            "movie_api:1:session",  # a server using the same Redis database
        }
    )
    monkeypatch.setattr(cache._cache, "get_client", lambda *args, **kwargs: client)

    clear_cache(cache)

    assert not client.flushed
    assert client.keys == {
        "movie_api-test-gw1:1:throttle_login_127.0.0.1",
        "movie_api-test-gw00:1:x",
        "movie_api:1:session",
    }


def test_a_tests_own_cache_clear_on_redis_spares_other_workers(monkeypatch):
    """Tests call ``cache.clear()`` freely; on Redis it must not FLUSHDB the database the
    other workers share (it wiped a running throttle test's counts once)."""
    cache = RedisCache("redis://127.0.0.1:6379/5", {"KEY_PREFIX": "movie_api-test-gw0"})
    client = FakeRedis({"movie_api-test-gw0:1:mine", "movie_api-test-gw1:1:theirs"})
    monkeypatch.setattr(cache._cache, "get_client", lambda *args, **kwargs: client)

    cache.clear()

    assert not client.flushed
    assert client.keys == {"movie_api-test-gw1:1:theirs"}


def test_this_workers_cache_is_its_own():
    cache = caches["default"]
    if isinstance(cache, RedisCache):  # the PostgreSQL + Redis run of .ci/run
        assert cache.key_prefix.endswith(f"-test-{WORKER}")
        cache.set("probe", WORKER)
        assert cache.get("probe") == WORKER
        clear_cache()
        assert cache.get("probe") is None
    else:  # the in-process cache lives in this worker's process only
        assert cache.__class__.__name__ == "LocMemCache"


@pytest.mark.django_db
def test_this_workers_database_is_its_own():
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        # In memory, so it belongs to this process, whatever wraps the ENGINE
        # (django-prometheus's once made pytest-django name an unopenable file).
        assert connection.is_in_memory_db(), name
        return
    assert name.startswith("test_")
    if WORKER != "main":
        assert name.endswith(f"_{WORKER}")


def test_the_live_server_listens_on_a_port_of_its_own_and_skips_nagles_delay(
    live_server, pytestconfig
):
    # No fixed --liveserver address: Django binds port 0, so the system picks a free port
    # for each worker's server...
    assert pytestconfig.getoption("liveserver") is None
    assert os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS") is None
    port = urlsplit(live_server.url).port
    with socket.socket() as probe, pytest.raises(OSError, match="in use"):
        probe.bind(("127.0.0.1", port))  # ...which it holds
    assert QuietWSGIRequestHandler.disable_nagle_algorithm is True
