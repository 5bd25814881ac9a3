"""Prints each message to standard output: the backend for ``make run``."""

from __future__ import annotations

import sys
import threading

from django.utils import timezone

from .base import BaseSmsBackend, SmsMessage


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, stream=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_message(self, message: SmsMessage) -> None:
        with self._lock:
            self.stream.write(
                f"---------- SMS {timezone.now():%Y-%m-%d %H:%M:%S %Z} ----------\n"
                f"To: {message.to}\n\n{message.body}\n"
                f"{'-' * 48}\n"
            )
            self.stream.flush()
