"""Sends through Twilio's Messages API with the ``twilio`` package (production).

Configured by ``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN`` and ``TWILIO_FROM_NUMBER``
(a number in E.164, or a Messaging Service sid starting with ``MG``). Any failure
(refused by Twilio, network, timeout) is logged without the message text and raised
as :class:`~users.sms.SmsSendError`.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from .base import BaseSmsBackend, SmsMessage, SmsSendError, mask_number

logger = logging.getLogger("users.sms.twilio")


class SmsBackend(BaseSmsBackend):
    def __init__(
        self,
        *,
        account_sid: str | None = None,
        auth_token: str | None = None,
        from_number: str | None = None,
        http_client: HttpClient | None = None,
        timeout: float | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.account_sid = account_sid or settings.TWILIO_ACCOUNT_SID
        auth_token = auth_token or settings.TWILIO_AUTH_TOKEN
        self.from_number = from_number or settings.TWILIO_FROM_NUMBER
        missing = [
            name
            for name, value in (
                ("TWILIO_ACCOUNT_SID", self.account_sid),
                ("TWILIO_AUTH_TOKEN", auth_token),
                ("TWILIO_FROM_NUMBER", self.from_number),
            )
            if not value
        ]
        if missing:
            raise ImproperlyConfigured(f"The twilio SMS backend needs {', '.join(missing)}.")
        if timeout is None:
            timeout = getattr(settings, "TWILIO_TIMEOUT_SECONDS", 10)
        self.client = Client(
            self.account_sid,
            auth_token,
            http_client=http_client or TwilioHttpClient(timeout=timeout),
        )

    def send_message(self, message: SmsMessage) -> None:
        sender = (
            {"messaging_service_sid": self.from_number}
            if self.from_number.startswith("MG")
            else {"from_": self.from_number}
        )
        to = mask_number(message.to)
        try:
            result = self.client.messages.create(to=message.to, body=message.body, **sender)
        except TwilioRestException as exc:
            logger.error(
                "Twilio refused the SMS to %s: HTTP %s, Twilio error %s: %s",
                to,
                exc.status,
                exc.code,
                exc.msg,
            )
            raise SmsSendError(f"Twilio refused the message (error {exc.code}).") from exc
        except (TwilioException, requests.RequestException) as exc:
            logger.error("Could not reach Twilio to send the SMS to %s: %r", to, exc)
            raise SmsSendError("Twilio could not be reached.") from exc
        message.provider_id = result.sid or ""
        logger.info("SMS to %s accepted by Twilio as %s (%s)", to, result.sid, result.status)
