"""Writes with the accounts' rules. REST, the HTML pages, the admin and the tests call these.

One module a subject: :mod:`.phone`, :mod:`.otp`, :mod:`.registration`, :mod:`.tokens`,
:mod:`.password`, :mod:`.profiles`, :mod:`.ratings`, :mod:`.diary`. Callers import from ``users.services``; the names
below are the public ones.

Every function is keyword-only and raises Django's ``ValidationError`` keyed by field
for bad input. Two more exceptions reach callers of the SMS steps:

- :class:`users.sms.SmsSendError` when the text message could not be sent (the code
  is then revoked: a code that was never sent can never be used);
- :class:`OtpSendLimited` when the number had a code too recently or too often.
"""

from __future__ import annotations

from .diary import (
    FUTURE_DATE_MESSAGE,
    NOTE_TOO_LONG_MESSAGE,
    diary_delete,
    diary_log,
    diary_update,
)
from .otp import INVALID_CODE_MESSAGE, OtpSendLimited, otp_resend, otp_send_wait, otp_verify
from .password import (
    RESET_LINK_INVALID_MESSAGE,
    password_change,
    password_reset_confirm,
    password_reset_request,
    password_reset_user,
)
from .phone import PHONE_TAKEN_MESSAGE, phone_number_normalize
from .profiles import (
    favorite_add,
    favorite_remove,
    profile_create,
    profile_delete,
    profile_get_or_create,
    profile_update,
    watched_add,
    watched_remove,
    watchlist_add,
    watchlist_remove,
)
from .ratings import (
    REVIEW_TOO_LONG_MESSAGE,
    SCORE_MESSAGE,
    members_rating_refresh,
    rating_delete,
    rating_set,
)
from .registration import (
    EMAIL_TAKEN_MESSAGE,
    USERNAME_TAKEN_MESSAGE,
    pending_registrations_purge,
    registration_problems,
    user_register,
)
from .tokens import refresh_rotate, refresh_tokens_revoke, user_logout

__all__ = [
    "EMAIL_TAKEN_MESSAGE",
    "FUTURE_DATE_MESSAGE",
    "INVALID_CODE_MESSAGE",
    "NOTE_TOO_LONG_MESSAGE",
    "PHONE_TAKEN_MESSAGE",
    "RESET_LINK_INVALID_MESSAGE",
    "REVIEW_TOO_LONG_MESSAGE",
    "SCORE_MESSAGE",
    "USERNAME_TAKEN_MESSAGE",
    "OtpSendLimited",
    "diary_delete",
    "diary_log",
    "diary_update",
    "favorite_add",
    "favorite_remove",
    "members_rating_refresh",
    "otp_resend",
    "otp_send_wait",
    "otp_verify",
    "password_change",
    "password_reset_confirm",
    "password_reset_request",
    "password_reset_user",
    "pending_registrations_purge",
    "phone_number_normalize",
    "profile_create",
    "profile_delete",
    "profile_get_or_create",
    "profile_update",
    "rating_delete",
    "rating_set",
    "refresh_rotate",
    "refresh_tokens_revoke",
    "registration_problems",
    "user_logout",
    "user_register",
    "watched_add",
    "watched_remove",
    "watchlist_add",
    "watchlist_remove",
]
