"""/healthz, /readyz and /metrics."""

from __future__ import annotations

import time

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from ops import health

BROKEN_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthz_answers_without_touching_any_dependency(client):
    # No django_db mark: a database query here would fail the test.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_probes_answer_a_load_balancer_by_ip_over_plain_http(client, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["movies.example.com"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200  # neither a 400 for the Host nor a 301 to https
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.fixture(autouse=True)
def _patient_checks(settings):
    """A busy test machine may take more than the default 2 s to answer a check."""
    settings.READYZ_TIMEOUT_SECONDS = 10


@pytest.mark.django_db
def test_readyz_is_ok_when_every_dependency_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert list(body["checks"]) == ["database", "cache", "storage", "broker"]
    assert all(check["ok"] for check in body["checks"].values())
    # Without CELERY_BROKER_URL tasks run in-process: nothing to reach, and it says so.
    assert body["checks"]["broker"]["note"] == "no broker: tasks run in-process"


@pytest.mark.django_db
def test_readyz_names_a_broken_cache(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {"BACKEND": "ops.cache.RedisCache", "LOCATION": BROKEN_REDIS},
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["cache"]
    assert "ConnectionError" in body["checks"]["cache"]["error"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_readyz_names_a_broker_it_cannot_reach(client, settings):
    settings.CELERY_BROKER_URL = BROKEN_REDIS

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


@pytest.mark.django_db
def test_readyz_names_a_failing_storage(client, monkeypatch):
    from django.core.files.storage import default_storage

    def unreachable(name):
        raise OSError("storage unreachable")

    monkeypatch.setattr(default_storage, "exists", unreachable)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]
    assert response.json()["checks"]["storage"]["error"] == "OSError: storage unreachable"


@pytest.mark.django_db
def test_readyz_gives_up_on_a_dependency_that_hangs(client, settings, monkeypatch):
    settings.READYZ_TIMEOUT_SECONDS = 0.3
    monkeypatch.setitem(health.CHECKS, "database", lambda: time.sleep(5))

    started = time.monotonic()
    response = client.get("/readyz")
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database"]
    assert body["checks"]["database"]["error"] == "no answer within 0.3s"
    assert elapsed < 4  # not the 5 s the check would take


# --------------------------------------------------------------------------- /metrics


def _metrics(client, **extra):
    return client.get("/metrics", **extra)


@pytest.mark.django_db
def test_metrics_are_refused_by_default(client, settings, admin_user, user):
    """No address allowed and no token: nobody reads them, not even an admin."""
    assert settings.METRICS_ALLOWED_IPS == []
    assert _metrics(client).status_code == 403  # anonymous
    client.force_login(user)
    assert _metrics(client).status_code == 403  # a user
    client.force_login(admin_user)
    assert _metrics(client).status_code == 403  # an admin
    bearer = f"Bearer {AccessToken.for_user(admin_user)}"
    assert _metrics(client, HTTP_AUTHORIZATION=bearer).status_code == 403  # an admin's JWT


@pytest.mark.django_db
def test_metrics_are_served_to_an_allowed_address(client, settings, api_client):
    settings.METRICS_ALLOWED_IPS = ["10.1.0.0/16", "127.0.0.1"]
    api_client.get("/api/movies/")  # a request, a query and (throttling aside) a cache read

    response = _metrics(client)  # the test client comes from 127.0.0.1

    assert response.status_code == 200
    text = response.content.decode()
    for metric in (
        "django_http_requests_total_by_method_total",
        "django_http_requests_latency_seconds_by_view_method",
        "django_http_responses_total_by_status_total",
        "django_db_execute_total",
        "django_cache_get_total",
    ):
        assert metric in text, metric
    assert _metrics(client, REMOTE_ADDR="10.1.200.3").status_code == 200
    assert _metrics(client, REMOTE_ADDR="10.2.0.1").status_code == 403
    # A forwarded address is not the peer's: it does not open the door.
    assert (
        _metrics(client, REMOTE_ADDR="10.2.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code
        == 403
    )


@pytest.mark.django_db
def test_metrics_are_served_with_the_token(client, settings):
    settings.METRICS_TOKEN = "a-long-random-metrics-token"

    assert (
        _metrics(client, HTTP_AUTHORIZATION="Bearer a-long-random-metrics-token").status_code == 200
    )
    assert _metrics(client, HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert _metrics(client, HTTP_AUTHORIZATION="a-long-random-metrics-token").status_code == 403
    assert _metrics(client).status_code == 403
