"""Password reset emails and the purge, as Celery tasks (run in-process: no broker in tests)."""

from __future__ import annotations

import logging

import pytest
from django.core import mail

from movie_api.celery import app
from ops import mail as ops_mail
from ops.tests.email_backends import FlakyEmailBackend
from users import tasks

from .factories import PendingProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

RESET = "/api/users/password/reset/"


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "ops.tests.email_backends.FlakyEmailBackend"
    FlakyEmailBackend.attempts = 0

    def fail(times: int) -> type[FlakyEmailBackend]:
        FlakyEmailBackend.failures = times
        return FlakyEmailBackend

    return fail


def test_the_reset_email_leaves_after_the_commit_with_the_request_id(
    api_client, django_capture_on_commit_callbacks
):
    UserFactory(email="erin@example.com")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_client.post(RESET, {"email": "erin@example.com"}, HTTP_X_REQUEST_ID="rq-77")
        assert mail.outbox == []

    assert response.status_code == 202
    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["erin@example.com"]
    assert message.extra_headers["X-Request-ID"] == "rq-77"
    assert "X-Request-ID: rq-77" in message.message().as_string()


def test_a_failed_send_is_retried_and_the_email_goes_once(
    api_client, flaky, django_capture_on_commit_callbacks
):
    backend = flaky(times=2)
    UserFactory(email="erin@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(RESET, {"email": "erin@example.com"})

    assert backend.attempts == 3
    assert [message.to for message in mail.outbox] == [["erin@example.com"]]


def test_a_second_delivery_of_the_same_task_sends_nothing(flaky):
    backend = flaky(times=0)
    user = UserFactory(email="erin@example.com")
    kwargs = {"user_id": user.pk, "subject": "Reset", "body": "...", "idempotency_key": "k-1"}

    tasks.password_reset_email_send.apply(kwargs=kwargs)
    tasks.password_reset_email_send.apply(kwargs=kwargs)  # the broker redelivers it
    tasks.password_reset_email_send.apply(kwargs={**kwargs, "idempotency_key": "k-2"})

    assert backend.attempts == 2
    assert len(mail.outbox) == 2


def test_a_delivery_racing_another_retries_instead_of_sending_twice(flaky):
    from django.core.cache import cache

    backend = flaky(times=0)
    user = UserFactory(email="erin@example.com")
    cache.add("ops:email:sending:k-race", "1", timeout=60)  # another worker is sending it

    with pytest.raises(ops_mail.EmailInFlight):
        ops_mail.send_once("k-race", lambda: mail.send_mail("s", "b", None, [user.email]))
    assert backend.attempts == 0


def test_a_mail_server_that_stays_down_is_logged_once_and_given_up(
    api_client, flaky, settings, caplog, django_capture_on_commit_callbacks
):
    backend = flaky(times=100)
    UserFactory(email="erin@example.com")
    with (
        caplog.at_level(logging.INFO),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = api_client.post(RESET, {"email": "erin@example.com"})

    assert response.status_code == 202
    assert backend.attempts == settings.EMAIL_MAX_RETRIES + 1
    assert mail.outbox == []
    gave_up = [r for r in caplog.records if "could not be sent after" in r.getMessage()]
    assert len(gave_up) == 1
    assert "erin@example.com" not in caplog.text


def test_a_deactivated_account_gets_no_reset_email():
    user = UserFactory(email="erin@example.com", is_active=False)
    kwargs = {"user_id": user.pk, "subject": "Reset", "body": "...", "idempotency_key": "k-3"}

    assert tasks.password_reset_email_send.apply(kwargs=kwargs).get() is False
    assert mail.outbox == []


def test_retries_back_off_exponentially_with_a_ceiling(settings):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 10
    settings.EMAIL_RETRY_BACKOFF_MAX_SECONDS = 600
    for retries, ceiling in [(0, 10), (1, 20), (3, 80), (10, 600)]:
        waits = [ops_mail.backoff(retries) for _ in range(50)]
        assert all(ceiling / 2 <= wait <= ceiling for wait in waits)


def test_the_purge_of_lapsed_registrations_is_a_periodic_task(clock, settings):
    lapsed = PendingProfileFactory().user
    clock.shift(settings.REGISTRATION_PENDING_TTL_SECONDS + 1)
    waiting = PendingProfileFactory().user

    entry = app.conf.beat_schedule["purge-pending-registrations"]
    assert entry["task"] == "users.tasks.pending_registrations_purge"
    assert (
        entry["schedule"]
        == settings.CELERY_BEAT_SCHEDULE["purge-pending-registrations"]["schedule"]
    )
    assert entry["task"] in app.tasks

    assert app.tasks[entry["task"]].apply().get() == 1
    assert not type(lapsed).objects.filter(pk=lapsed.pk).exists()
    assert type(waiting).objects.filter(pk=waiting.pk).exists()
