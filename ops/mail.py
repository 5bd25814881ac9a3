"""Email sent from tasks: the request id in a header, once per idempotency key, retried
with exponential backoff.

A task that sends email calls :func:`deliver` with a key made when the work was queued;
a retry, or a second delivery of the same message by the broker, finds the key marked
as sent in the cache and sends nothing.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection

from .context import REQUEST_ID_HEADER, get_request_id

logger = logging.getLogger("ops.mail")


class EmailInFlight(Exception):
    """Another delivery of the same email is sending it right now."""


def send_mail(
    subject: str,
    message: str,
    from_email: str | None,
    recipient_list: list[str],
    *,
    fail_silently: bool = False,
    html_message: str | None = None,
) -> int:
    """``django.core.mail.send_mail``, with an ``X-Request-ID`` header naming the request
    (or the task) that sent it, so an operator can follow it back through the logs."""
    request_id = get_request_id()
    email = EmailMultiAlternatives(
        subject,
        message,
        from_email,
        recipient_list,
        headers={REQUEST_ID_HEADER: request_id} if request_id else None,
        connection=get_connection(fail_silently=fail_silently),
    )
    if html_message:
        email.attach_alternative(html_message, "text/html")
    return email.send()


def send_once(key: str, send: Callable[[], Any]) -> bool:
    """Call ``send()`` unless an earlier call with ``key`` succeeded; ``True`` if it ran."""
    done_key, lock_key = f"ops:email:sent:{key}", f"ops:email:sending:{key}"
    if cache.get(done_key):
        logger.info("Email %s was already sent; not sending it again", key)
        return False
    if not cache.add(lock_key, "1", timeout=settings.EMAIL_SEND_LOCK_SECONDS):
        raise EmailInFlight(key)
    try:
        send()
        cache.set(done_key, "1", timeout=settings.EMAIL_IDEMPOTENCY_SECONDS)
    finally:
        cache.delete(lock_key)
    return True


def backoff(retries: int) -> float:
    """Seconds before retry number ``retries + 1``: doubling from EMAIL_RETRY_BACKOFF_SECONDS,
    capped at EMAIL_RETRY_BACKOFF_MAX_SECONDS, with full jitter."""
    ceiling = min(
        settings.EMAIL_RETRY_BACKOFF_MAX_SECONDS,
        settings.EMAIL_RETRY_BACKOFF_SECONDS * (2**retries),
    )
    return random.uniform(ceiling / 2, ceiling)


def deliver(task, *, key: str, send: Callable[[], Any], what: str) -> bool:
    """Run ``send`` once for ``key`` inside a bound Celery task, retrying on failure.

    After ``task.max_retries`` retries the failure is logged (``what`` names the email,
    never its content) and the task ends: a lost email is not worth a crashing worker.
    """
    try:
        return send_once(key, send)
    except Exception as exc:
        if task.request.retries >= task.max_retries:
            logger.exception("%s could not be sent after %s tries", what, task.request.retries + 1)
            return False
        logger.warning(
            "%s could not be sent (try %s): %s; retrying",
            what,
            task.request.retries + 1,
            type(exc).__name__,
        )
        raise task.retry(exc=exc, countdown=backoff(task.request.retries)) from exc
