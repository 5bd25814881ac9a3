"""Account work done by a Celery worker: password reset emails and the periodic purge
of registrations never verified in time. Without a broker both run at once, in-process.

The OTP text message is NOT here on purpose: the person is waiting for it, and a failure
must reach them as a 503 they can retry (see docs/deployment.md).
"""

from __future__ import annotations

import logging
import uuid

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from ops.mail import deliver, send_mail
from ops.queue import apply_on_commit

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=settings.EMAIL_MAX_RETRIES)
def password_reset_email_send(
    self, *, user_id: int, subject: str, body: str, idempotency_key: str
) -> bool:
    """Send a password reset email to the account's current address, if it is still active."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    return deliver(
        self,
        key=idempotency_key,
        send=lambda: send_mail(subject, body, None, [user.email]),
        what=f"Password reset email to account {user_id}",
    )


def password_reset_email_queue(*, user_id: int, subject: str, body: str) -> None:
    """Queue the email once the current transaction commits (at once outside one)."""
    kwargs = {
        "user_id": user_id,
        "subject": subject,
        "body": body,
        "idempotency_key": f"users:password-reset:{user_id}:{uuid.uuid4().hex}",
    }
    # The body holds the reset token: keep it out of the worker's and monitors' views of
    # the task (kwargsrepr), which show only the account.
    apply_on_commit(password_reset_email_send, kwargs=kwargs, kwargsrepr=repr({"user_id": user_id}))


@shared_task
def pending_registrations_purge() -> int:
    """Delete registrations never verified in time (scheduled by CELERY_BEAT_SCHEDULE)."""
    from .services import pending_registrations_purge as purge

    count = purge()
    logger.info("Purged %s lapsed registration(s)", count)
    return count
