"""Production settings: no secret defaults, and Django's deploy checks pass once set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "-Zx9#Qw7!pL2@vB5$nM8%rT4^yU6&iO3*"  # 50+ chars, not django-insecure

pytestmark = pytest.mark.slow  # every test starts manage.py in a subprocess


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    # Set but empty: a .env from `make run` (which holds a generated key) must not count.
    result = run_manage(
        "check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="", DJANGO_ALLOWED_HOSTS="movies.example.com"
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_manage(
        "check",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="django-insecure-short",
        DJANGO_ALLOWED_HOSTS="movies.example.com",
    )
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_development_starts_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_deploy_checks_are_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="movies.example.com",
        REDIS_URL="redis://127.0.0.1:6379/7",  # several workers need a shared cache
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_collectstatic_succeeds_with_the_production_storage(tmp_path):
    # The manifest storage fails on any CSS/JS that points to a file we do not ship
    # (e.g. a vendored library's source-map comment).
    result = run_manage(
        "collectstatic",
        "--noinput",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="movies.example.com",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").is_file()
