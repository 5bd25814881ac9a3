"""Account work done by a Celery worker: password reset emails and the periodic purge
of registrations never verified in time. Without a broker both run at once, in-process.

The OTP text message is NOT here on purpose: the person is waiting for it, and a failure
must reach them as a 503 they can retry (see docs/deployment.md).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from ops.mail import deliver, send_mail

from .services import pending_registrations_purge as purge

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=settings.EMAIL_MAX_RETRIES)
def password_reset_email_send(
    self, *, user_id: int, subject: str, body: str, idempotency_key: str
) -> bool:
    """Send a password reset email (queued by ``services.password_reset_request``) to the
    account's current address, if it is still active."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    return deliver(
        self,
        key=idempotency_key,
        send=lambda: send_mail(subject, body, None, [user.email]),
        what=f"Password reset email to account {user_id}",
    )


@shared_task
def pending_registrations_purge() -> int:
    """Delete registrations never verified in time (scheduled by CELERY_BEAT_SCHEDULE)."""
    count = purge()
    logger.info("Purged %s lapsed registration(s)", count)
    return count
