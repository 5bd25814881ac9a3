"""Passwords: the reset by email and THE one way a password changes."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from ops.queue import apply_on_commit

from .tokens import refresh_tokens_revoke

logger = logging.getLogger(__name__)

User = get_user_model()

RESET_LINK_INVALID_MESSAGE = "The password reset link is invalid or has expired."


def _password_reset_message(user: AbstractBaseUser, uid: str, token: str, url: str) -> str:
    how = (
        f"open this link to choose a new password:\n\n{url}\n\n"
        if url
        else "choose a new password with these values:\n\n"
    )
    return (
        f"Hello {user.get_username()},\n\n"
        "Someone asked to reset the password of your movie_api account. If it was you, "
        f"{how}"
        f"uid: {uid}\ntoken: {token}\n\n"
        "(API clients: POST them with new_password to /api/users/password/reset/confirm/.)\n\n"
        "If it was not you, ignore this email: your password stays as it is.\n"
    )


def password_reset_request(
    *, email: str, build_confirm_url: Callable[[str, str], str] | None = None
) -> None:
    """Email a password reset link to the active accounts with this address.

    Answers the same whether or not the address is known. ``build_confirm_url(uid,
    token)`` makes the link of the page that finishes the reset (the HTML pages pass
    one); without it the email carries the uid and token for API clients.
    """
    email = User.objects.normalize_email(str(email or "").strip())
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from None
    for user in User.objects.filter(email__iexact=email, is_active=True).order_by("id"):
        if not user.has_usable_password():
            continue
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        url = build_confirm_url(uid, token) if build_confirm_url else ""
        # Sent by a worker once the transaction commits, retried with backoff, once.
        apply_on_commit(
            "users.tasks.password_reset_email_send",
            kwargs={
                "user_id": user.pk,
                "subject": "Reset your movie_api password",
                "body": _password_reset_message(user, uid, token, url),
                "idempotency_key": f"users:password-reset:{user.pk}:{uuid.uuid4().hex}",
            },
            # The body holds the reset token: monitors and logs show only the account.
            kwargsrepr=repr({"user_id": user.pk}),
        )


def password_reset_user(*, uid: str, token: str) -> AbstractBaseUser | None:
    """The active user a reset link names, if its token is still good; else ``None``."""
    try:
        pk = force_str(urlsafe_base64_decode(str(uid or "")))
        user = User.objects.get(pk=pk, is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist, ValidationError):
        return None
    if not default_token_generator.check_token(user, str(token or "")):
        return None
    return user


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> AbstractBaseUser:
    """Set a new password from a reset link. The link stops working, and every refresh
    token of the account is blacklisted (sessions end by Django's own design)."""
    user = password_reset_user(uid=uid, token=token)
    if user is None:
        raise ValidationError({"token": [RESET_LINK_INVALID_MESSAGE]})
    if not new_password:
        raise ValidationError({"new_password": ["This field may not be blank."]})
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from None
    password_change(user=user, new_password=new_password)
    logger.info("Password reset for account %s", user.pk)
    return user


@transaction.atomic
def password_change(*, user: AbstractBaseUser, new_password: str | None) -> AbstractBaseUser:
    """THE way a password changes, whoever changes it: the site's change and reset
    pages, the API's reset, the admin's password form and ``manage.py changepassword``.

    Sets ``new_password`` (``None`` makes the password unusable: the admin's "disable
    password-based authentication"), saves it, and blacklists every outstanding refresh
    token of the account. Every session of the account ends too, by Django's own design
    (a session carries a hash of the password); a page that keeps the *current* browser
    logged in calls ``update_session_auth_hash`` after this. The caller has already
    checked the password against the validators (its form names the field).
    """
    if new_password is None:
        user.set_unusable_password()
    else:
        user.set_password(new_password)
    user.save(update_fields=["password"])
    revoked = refresh_tokens_revoke(user=user)
    logger.info("Password of account %s changed; %s refresh token(s) revoked", user.pk, revoked)
    return user
