"""Text messages, sent through a backend chosen like Django's ``EMAIL_BACKEND``.

``settings.SMS_BACKEND`` is a short name (``console``, ``file``, ``locmem``, ``twilio``)
or the dotted path of a backend class. Code sends with :func:`send_sms`; tests read
:data:`outbox`, filled by the ``locmem`` backend like ``django.core.mail.outbox``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import BaseSmsBackend, SmsMessage, SmsSendError

__all__ = [
    "BACKENDS",
    "BaseSmsBackend",
    "SmsMessage",
    "SmsSendError",
    "get_backend",
    "outbox",
    "send_sms",
]

#: Messages "sent" by the locmem backend, oldest first.
outbox: list[SmsMessage] = []

#: Short names accepted by ``SMS_BACKEND``.
BACKENDS = {
    "console": "users.sms.console.SmsBackend",
    "file": "users.sms.file.SmsBackend",
    "locmem": "users.sms.locmem.SmsBackend",
    "twilio": "users.sms.twilio.SmsBackend",
}


def backend_class(name: str | None = None) -> type[BaseSmsBackend]:
    """The backend class for a short name or dotted path (default ``settings.SMS_BACKEND``)."""
    name = (name or settings.SMS_BACKEND or "").strip()
    path = BACKENDS.get(name.lower(), name)
    try:
        cls = import_string(path)
    except ImportError as exc:
        known = ", ".join(BACKENDS)
        raise ImproperlyConfigured(
            f"SMS_BACKEND {name!r} is neither one of {known} nor an importable class path."
        ) from exc
    if not (isinstance(cls, type) and issubclass(cls, BaseSmsBackend)):
        raise ImproperlyConfigured(f"SMS_BACKEND {name!r} is not a BaseSmsBackend subclass.")
    return cls


def get_backend(
    name: str | None = None, *, fail_silently: bool = False, **kwargs
) -> BaseSmsBackend:
    """An instance of the configured backend (or of ``name``); ``kwargs`` go to its constructor."""
    return backend_class(name)(fail_silently=fail_silently, **kwargs)


def send_sms(to: str, body: str, *, fail_silently: bool = False, backend=None) -> int:
    """Send one text message; returns how many were sent (0 or 1).

    Raises :class:`SmsSendError` when the backend cannot hand the message over, unless
    ``fail_silently``.
    """
    connection = backend or get_backend(fail_silently=fail_silently)
    return connection.send_messages([SmsMessage(to=str(to), body=body)])
