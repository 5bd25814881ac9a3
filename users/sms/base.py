"""The interface every SMS backend implements."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

logger = logging.getLogger("users.sms")


class SmsSendError(Exception):
    """The message could not be handed over to the SMS provider."""


@dataclass
class SmsMessage:
    """One text message: the recipient in E.164 and the text."""

    to: str
    body: str
    #: The provider's id for the message, once sent (Twilio's ``SM...`` sid).
    provider_id: str = ""


def mask_number(number: str) -> str:
    """A phone number fit for logs: the country prefix and the last 2 digits."""
    number = str(number)
    if len(number) <= 5:
        return "***"
    return f"{number[:3]}{'*' * (len(number) - 5)}{number[-2:]}"


class BaseSmsBackend:
    """Sends text messages. Subclasses implement :meth:`send_message`.

    ``send_message`` raises :class:`SmsSendError` when the message cannot be sent;
    :meth:`send_messages` re-raises it unless the backend was made with
    ``fail_silently=True``, in which case the failure is only logged.
    """

    def __init__(self, *, fail_silently: bool = False, **kwargs) -> None:
        self.fail_silently = fail_silently

    def send_message(self, message: SmsMessage) -> None:  # pragma: no cover - interface
        raise NotImplementedError("SMS backends must implement send_message()")

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        """Send each message; returns how many were sent."""
        sent = 0
        for message in messages:
            try:
                self.send_message(message)
            except SmsSendError:
                if not self.fail_silently:
                    raise
                logger.warning("SMS to %s was not sent (fail_silently)", mask_number(message.to))
            else:
                sent += 1
        return sent
