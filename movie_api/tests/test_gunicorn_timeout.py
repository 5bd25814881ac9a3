"""gunicorn.conf.py's worker timeout really cuts off a stuck request (issue 17: gthread
workers keep their heartbeat, so a stuck request was never killed)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 2  # seconds, GUNICORN_TIMEOUT for the server under test


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer {url}")


@contextmanager
def gunicorn(*extra_args: str) -> Iterator[str]:
    """gunicorn with the project's gunicorn.conf.py and the slow test views, one worker."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "movie_api.tests.slow_settings",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_TIMEOUT": str(TIMEOUT),
    }
    process = subprocess.Popen(  # noqa: S603 - our own server with fixed arguments
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", *extra_args, "movie_api.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/fast/")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_stuck_request_is_cut_off_within_the_timeout():
    with gunicorn() as base:
        started = time.monotonic()
        try:
            # The aborted worker answers gunicorn's own 500 if it still can; else the
            # connection just closes.
            status = requests.get(f"{base}/sleep/60/", timeout=30).status_code
        except requests.ConnectionError:
            status = None
        elapsed = time.monotonic() - started

        assert status in (500, None)
        assert elapsed < TIMEOUT + 4  # the arbiter checks about once a second
        wait_until_up(f"{base}/fast/")  # a fresh worker took its place


def test_a_gthread_worker_would_not_have_cut_it_off():
    """Why the config does not set ``threads``: with threads the same request runs on."""
    with gunicorn("--threads", "2") as base:
        response = requests.get(f"{base}/sleep/{TIMEOUT + 2}/", timeout=30)

        assert response.text == "slept"
