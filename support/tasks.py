"""Support emails, sent by a Celery worker once the ticket change has committed.

Each email is queued with an idempotency key, so a retry (or the broker delivering the
message twice) sends it once. Without a broker the task runs at once, in-process.
"""

from __future__ import annotations

import uuid

from celery import shared_task
from django.conf import settings

from ops.mail import deliver
from ops.queue import apply_on_commit


@shared_task(bind=True, max_retries=settings.EMAIL_MAX_RETRIES)
def ticket_email_send(
    self, *, ticket_id: int, template: str, comment_id: int | None, idempotency_key: str
) -> bool:
    """Send the ``template`` email about a ticket to its requester (see ``services._send_email``)."""
    from .services import _send_email

    return deliver(
        self,
        key=idempotency_key,
        send=lambda: _send_email(ticket_id=ticket_id, template=template, comment_id=comment_id),
        what=f"Support email '{template}' for ticket {ticket_id}",
    )


def ticket_email_queue(*, ticket_id: int, template: str, comment_id: int | None = None) -> None:
    """Queue the email once the current transaction commits (at once outside one)."""
    kwargs = {
        "ticket_id": ticket_id,
        "template": template,
        "comment_id": comment_id,
        "idempotency_key": f"support:{template}:{ticket_id}:{comment_id}:{uuid.uuid4().hex}",
    }
    # robust: a broker or mail server that fails after the commit is logged, never a 500.
    apply_on_commit(ticket_email_send, kwargs=kwargs)
