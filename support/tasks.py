"""Support emails, sent by a Celery worker once the ticket change has committed.

``services`` queues them by name (``ops.queue.apply_on_commit``) with an idempotency key,
so a retry (or the broker delivering the message twice) sends the email once. Without
a broker the task runs at once, in-process.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from ops.mail import deliver

from .services import _send_email  # renders from the rows as they are when it runs


@shared_task(bind=True, max_retries=settings.EMAIL_MAX_RETRIES)
def ticket_email_send(
    self, *, ticket_id: int, template: str, comment_id: int | None, idempotency_key: str
) -> bool:
    """Send the ``template`` email about a ticket to its requester."""
    return deliver(
        self,
        key=idempotency_key,
        send=lambda: _send_email(ticket_id=ticket_id, template=template, comment_id=comment_id),
        what=f"Support email '{template}' for ticket {ticket_id}",
    )
