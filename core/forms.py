"""Form helpers the pages share: a service's errors on a form, and the rate-limited form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.Form, error: ValidationError, fields: dict[str, str] | None = None
) -> None:
    """Put a service's ``ValidationError`` on ``form``: each message on the field it names
    (``fields`` renames service fields to form fields: ``{"movie_id": "movie"}``), the
    rest (and an error without fields) above the form."""
    fields = fields or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        name = fields.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def wait_text(seconds: int | float) -> str:
    """``42 seconds``, ``1 second``, ``3 minutes``: how long to wait, for people."""
    minutes, seconds = divmod(max(int(seconds), 1), 60)
    if minutes and seconds:
        minutes += 1  # round up: never tell someone to come back too early
    if minutes:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


class RateLimitedFormMixin:
    """A form that, when its view says the client is over its rate (``retry_after``, see
    :class:`core.throttles.RateLimitedFormViewMixin`), is invalid with one message and
    never runs its own checks (no password check, no email sent)."""

    rate_limited_message = "Too many attempts. Please wait {wait} and try again."

    def __init__(self, *args: Any, retry_after: int | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        if self.retry_after is not None:
            raise ValidationError(
                self.rate_limited_message.format(wait=wait_text(self.retry_after)),
                code="rate_limited",
            )
        return super().clean()
