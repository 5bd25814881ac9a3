"""Support emails go through a Celery task after the commit (in-process: no broker in tests)."""

from __future__ import annotations

import pytest
from django.core import mail

from ops.tests.email_backends import FlakyEmailBackend

pytestmark = pytest.mark.django_db


def test_a_ticket_email_carries_the_request_id_of_the_request_that_filed_it(
    user_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(
            "/api/support/tickets/",
            {"subject": "Wrong year", "description": "The year is wrong.", "category": "other"},
            HTTP_X_REQUEST_ID="ticket-req-1",
        )
    assert response.status_code == 201, response.data
    [message] = mail.outbox
    assert message.extra_headers["X-Request-ID"] == "ticket-req-1"
    assert response["X-Request-ID"] == "ticket-req-1"


def test_a_ticket_email_that_fails_once_is_sent_once(
    user_client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "ops.tests.email_backends.FlakyEmailBackend"
    FlakyEmailBackend.attempts, FlakyEmailBackend.failures = 0, 1
    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(
            "/api/support/tickets/",
            {"subject": "Wrong year", "description": "The year is wrong.", "category": "other"},
        )

    assert FlakyEmailBackend.attempts == 2
    assert len(mail.outbox) == 1
