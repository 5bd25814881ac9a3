"""System checks: a bad ``SMS_BACKEND`` or missing Twilio settings stop start-up, not a signup."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def check_sms_backend(app_configs=None, **kwargs) -> list[Error]:
    from . import backend_class
    from .twilio import SmsBackend as TwilioBackend

    try:
        cls = backend_class()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint="Set SMS_BACKEND in the environment.", id="users.E001")]
    if issubclass(cls, TwilioBackend):
        missing = [
            name
            for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER")
            if not getattr(settings, name, "")
        ]
        if missing:
            return [
                Error(
                    f"SMS_BACKEND is twilio but {', '.join(missing)} is not set.",
                    hint="Set the TWILIO_* variables, or choose another SMS_BACKEND.",
                    id="users.E002",
                )
            ]
    return []
