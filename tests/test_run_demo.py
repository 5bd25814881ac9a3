"""`make run` serves in production mode (issue 16: it served Django's debug 404, which
lists every URL pattern, so the project's own 404 page was never seen)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENSURE = ROOT / "bin" / "ensure-secret-key"


def run_ensure(env_file: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    done = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, str(ENSURE), str(env_file)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return done.stdout


def test_first_run_generates_a_strong_secret_key_into_a_private_env_file(tmp_path):
    env_file = tmp_path / ".env"
    assert "Generated" in run_ensure(env_file)
    lines = env_file.read_text().splitlines()
    key = next(line.split("=", 1)[1] for line in lines if line.startswith("DJANGO_SECRET_KEY="))
    assert len(key) >= 50
    assert not key.startswith("django-insecure")
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600


def test_later_runs_keep_the_key_and_the_other_settings(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("SITE_NAME=Elsewhere")
    env_file.chmod(0o644)
    run_ensure(env_file)
    first = env_file.read_text()
    assert first.startswith("SITE_NAME=Elsewhere\nDJANGO_SECRET_KEY=")
    assert run_ensure(env_file) == ""
    assert env_file.read_text() == first
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600


def test_run_demo_serves_in_production_mode_with_static_and_media():
    script = (ROOT / "bin" / "run-demo").read_text()
    assert "bin/ensure-secret-key .env" in script
    assert "export DJANGO_DEBUG=0" in script
    assert "DJANGO_SERVE_MEDIA=${DJANGO_SERVE_MEDIA:-1}" in script
    assert "manage.py collectstatic --noinput" in script
    assert "gunicorn -c gunicorn.conf.py movie_api.wsgi" in script
    assert "runserver" not in script


def test_the_project_404_page_is_served_with_debug_off(client, settings, db):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f"<title>Page not found · {settings.SITE_NAME}</title>" in page
    assert "URLconf" not in page
