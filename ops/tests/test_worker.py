"""A real Celery worker, on Redis, sends a password reset email queued by a request."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from movie_api.celery import app
from users.tests.factories import UserFactory

from .servers import needs_postgresql_and_redis, shared_environment

pytestmark = [
    pytest.mark.slow,
    needs_postgresql_and_redis,  # the worker must see this test's rows and Redis
    pytest.mark.django_db(transaction=True),
]


def _forget_connections() -> None:
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker(tmp_path, settings):
    """A ``celery worker`` subprocess on its own queue; this process queues to it."""
    queue = f"ops-test-{uuid.uuid4().hex[:10]}"
    broker = settings.CACHES["default"]["LOCATION"]  # the Redis the tests were given
    env = shared_environment(tmp_path)
    env.update(CELERY_BROKER_URL=broker, CELERY_TASK_DEFAULT_QUEUE=queue, LOG_FORMAT="json")
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "celery", "-A", "movie_api", "worker",
                "--pool=solo", "-Q", queue, "-n", f"{queue}@%h", "--loglevel=INFO",
                "--without-heartbeat", "--without-gossip", "--without-mingle",
            ],
            cwd=Path(django_settings.BASE_DIR), env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    saved = {
        key: app.conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")
    }
    app.conf.update(task_always_eager=False, broker_url=broker, task_default_queue=queue)
    _forget_connections()  # eager runs made producers for the default broker
    settings.CELERY_BROKER_URL = broker
    try:
        yield {
            "emails": tmp_path / "emails",
            "log": log_path,
            "process": process,
            "env": env,
            "tmp": tmp_path,
        }
    finally:
        app.conf.update(saved)
        _forget_connections()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_files(folder: Path, process, log: Path, timeout: float = 120.0) -> list[Path]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(folder.glob("*.log")) if folder.is_dir() else []
        if files:
            return files
        assert process.poll() is None, "the worker exited"
        time.sleep(0.2)
    raise TimeoutError(f"the worker sent no email; its log:\n{log.read_text()[-3000:]}")


def test_a_worker_sends_the_reset_email_queued_by_a_request(worker, client):
    UserFactory(username="erin", email="erin@example.com")

    response = client.post(
        "/api/users/password/reset/",
        {"email": "erin@example.com"},
        content_type="application/json",
        HTTP_X_REQUEST_ID="worker-trace-42",
    )
    assert response.status_code == 202
    # Nothing was sent in-process: the request only queued the task.
    assert not worker["emails"].exists() or not any(worker["emails"].iterdir())

    [email_file] = _wait_for_files(worker["emails"], worker["process"], worker["log"])
    email = email_file.read_text()
    assert "To: erin@example.com" in email
    assert "Subject: Reset your movie_api password" in email
    assert "X-Request-ID: worker-trace-42" in email
    assert "token: " in email

    # The worker's own log lines (JSON) name the request that queued the task, and do not
    # show the email (its reset token) from the task's arguments.
    time.sleep(0.5)
    lines = [
        json.loads(line) for line in worker["log"].read_text().splitlines() if line.startswith("{")
    ]
    traced = [line for line in lines if line.get("request_id") == "worker-trace-42"]
    assert any("users.tasks.password_reset_email_send" in line["message"] for line in traced)
    assert "token: " not in worker["log"].read_text()


def test_readyz_reaches_a_real_broker(worker, client, settings):
    settings.READYZ_TIMEOUT_SECONDS = 10  # a busy machine
    response = client.get("/readyz")

    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["broker"] == {
        "ok": True,
        "ms": response.json()["checks"]["broker"]["ms"],
    }


def test_beat_schedules_the_purge_and_the_worker_runs_it(worker, settings):
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from users.tests.factories import PendingProfileFactory

    lapsed = PendingProfileFactory().user
    ago = timezone.now() - timedelta(seconds=settings.REGISTRATION_PENDING_TTL_SECONDS + 60)
    get_user_model().objects.filter(pk=lapsed.pk).update(date_joined=ago)
    waiting = PendingProfileFactory().user

    tmp = worker["tmp"]
    with (tmp / "beat.log").open("w") as log:
        beat = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "celery", "-A", "movie_api", "beat", "--loglevel=INFO",
                "--schedule", str(tmp / "celerybeat-schedule"),
            ],
            cwd=Path(django_settings.BASE_DIR),
            env={**worker["env"], "REGISTRATION_PURGE_INTERVAL_SECONDS": "1"},
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        users = get_user_model().objects
        deadline = time.monotonic() + 120
        while users.filter(pk=lapsed.pk).exists():
            assert time.monotonic() < deadline, (tmp / "beat.log").read_text()[-2000:]
            assert beat.poll() is None, (tmp / "beat.log").read_text()[-2000:]
            time.sleep(0.5)
    finally:
        beat.terminate()
        beat.wait(timeout=20)

    assert users.filter(pk=waiting.pk).exists()
    deadline = time.monotonic() + 10  # the task logs just after its delete commits
    while "Purged 1 lapsed registration(s)" not in worker["log"].read_text():
        assert time.monotonic() < deadline, worker["log"].read_text()[-2000:]
        time.sleep(0.2)
