"""Keeps messages in ``users.sms.outbox`` for tests, like Django's locmem email backend."""

from __future__ import annotations

import copy

from .base import BaseSmsBackend, SmsMessage


class SmsBackend(BaseSmsBackend):
    def send_message(self, message: SmsMessage) -> None:
        from users import sms

        if not hasattr(sms, "outbox"):
            sms.outbox = []
        message.provider_id = f"locmem-{len(sms.outbox) + 1}"
        sms.outbox.append(copy.copy(message))
