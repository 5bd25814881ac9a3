"""Email backends for the tests of tasks that send email."""

from __future__ import annotations

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    """The locmem outbox, behind a mail server that refuses the first ``failures`` sends."""

    failures = 0
    attempts = 0

    def send_messages(self, messages):
        FlakyEmailBackend.attempts += 1
        if FlakyEmailBackend.attempts <= FlakyEmailBackend.failures:
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)
