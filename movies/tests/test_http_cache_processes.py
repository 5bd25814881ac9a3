"""Two processes sharing Redis: a catalogue write in one makes the other's cached read
new at once (the version lives in Redis, and so do the entries)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

READER = """
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
for line in sys.stdin:
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/movies/").json()
    print(json.dumps({"titles": [m["title"] for m in body["results"]], "queries": len(queries)}),
          flush=True)
"""

WRITER = """
import django
django.setup()
from movies import services
services.movie_create(title="Written by the other process")
"""


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "movie_api.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": f"test-http-cache-{uuid.uuid4().hex}",
        "HTTP_CACHE": "1",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def test_a_write_in_one_process_invalidates_the_others_cached_read(tmp_path):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: two processes share the cache only through Redis")
    env = _env(tmp_path)
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )
    reader = subprocess.Popen(  # noqa: S603 - our own script
        [sys.executable, "-c", READER],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:

        def read() -> dict:
            reader.stdin.write("get\n")
            reader.stdin.flush()
            return json.loads(reader.stdout.readline())

        first = read()
        assert first["titles"] == []
        assert first["queries"] > 0
        assert read() == {"titles": [], "queries": 0}  # served from Redis

        subprocess.run(  # noqa: S603 - our own script
            [sys.executable, "-c", WRITER], cwd=ROOT, env=env, check=True, timeout=120
        )

        after = read()
        assert after["titles"] == ["Written by the other process"]
        assert after["queries"] > 0
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
