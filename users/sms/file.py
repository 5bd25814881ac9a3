"""Writes one file per message, holding the number and the text, into ``SMS_FILE_PATH``."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .base import BaseSmsBackend, SmsMessage, SmsSendError


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, file_path: str | Path | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        path = file_path or getattr(settings, "SMS_FILE_PATH", None)
        if not path:
            raise ImproperlyConfigured("The file SMS backend needs SMS_FILE_PATH.")
        self.file_path = Path(path)
        if self.file_path.exists() and not self.file_path.is_dir():
            raise ImproperlyConfigured(f"SMS_FILE_PATH {self.file_path} is not a folder.")

    def send_message(self, message: SmsMessage) -> None:
        now = timezone.now()
        name = f"{now:%Y%m%d-%H%M%S-%f}-{secrets.token_hex(4)}.txt"
        try:
            self.file_path.mkdir(parents=True, exist_ok=True)
            (self.file_path / name).write_text(
                f"To: {message.to}\nDate: {now.isoformat()}\n\n{message.body}\n",
                encoding="utf-8",
            )
        except OSError as exc:
            raise SmsSendError(f"Could not write the message to {self.file_path}: {exc}") from exc
        message.provider_id = name
