"""Forms of the account pages: Django's auth forms, refusing work while rate-limited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError


class RateLimitedFormMixin:
    """A form that, when its view says the client is over its rate, is invalid with
    one message and never runs its own checks (no password check, no email sent)."""

    rate_limited_message = "Too many attempts. Please wait {wait} and try again."

    def __init__(self, *args: Any, retry_after: int | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        if self.retry_after is not None:
            minutes, seconds = divmod(self.retry_after, 60)
            wait = (
                f"{minutes} minute{'s' if minutes != 1 else ''}"
                if minutes
                else f"{max(seconds, 1)} second{'s' if seconds != 1 else ''}"
            )
            raise ValidationError(self.rate_limited_message.format(wait=wait), code="rate_limited")
        return super().clean()


class LoginForm(RateLimitedFormMixin, auth_forms.AuthenticationForm):
    """Username and password. Inactive accounts (not yet verified) cannot log in."""


class PasswordResetForm(RateLimitedFormMixin, auth_forms.PasswordResetForm):
    """The email address to send a password reset link to."""
