"""Helpers for the tests that start real servers: free ports, waiting, the skip conditions."""

from __future__ import annotations

import os
import random
import socket
import time

import pytest
from django.conf import settings

# This project's share of ports on a shared development machine; the OS picks if all are taken.
PORT_RANGE = range(18500, 18600)


def free_port() -> int:
    for port in random.sample(PORT_RANGE, len(PORT_RANGE)):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 30.0, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout}s")


def _on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def _on_redis() -> bool:
    return os.environ.get("REDIS_URL", "").startswith("redis://")


# Explicit: these tests need what several processes can share. CI's second pass
# (.ci/run: DATABASE_URL=postgres://..., REDIS_URL=redis://...) runs them.
needs_postgresql_and_redis = pytest.mark.skipif(
    not (_on_postgresql() and _on_redis()),
    reason="needs DATABASE_URL=postgres://... and REDIS_URL=redis://... (CI's PostgreSQL pass)",
)


def shared_environment(tmp_path) -> dict[str, str]:
    """The environment for a subprocess of the project that shares this test's database
    (the test database pytest-django made) and Redis (same location and key prefix)."""
    from django.db import connection

    db = connection.settings_dict
    cache = settings.CACHES["default"]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "CELERY_", "EMAIL_", "SMS_"))
    }
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY="multi-node-test-secret-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=(
            f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}"
        ),
        REDIS_URL=cache["LOCATION"],
        CACHE_KEY_PREFIX=cache.get("KEY_PREFIX", ""),
        MEDIA_ROOT=str(tmp_path / "media"),
        SMS_BACKEND="file",
        SMS_FILE_PATH=str(tmp_path / "sms"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "emails"),
        PYTHONUNBUFFERED="1",
    )
    return env
