"""One-time codes sent by SMS: issue, deliver, verify, resend, and the send limits.

The rules (see ``docs/users.md``): codes are ``OTP_LENGTH`` digits from ``secrets``,
stored only as an HMAC keyed with ``OTP_HMAC_KEY``, compared in constant time, single
use, valid ``OTP_TTL_SECONDS``, burned after ``OTP_MAX_ATTEMPTS`` wrong tries; a number
gets at most one code per ``OTP_RESEND_COOLDOWN_SECONDS`` and ``OTP_MAX_SENDS_PER_HOUR``
an hour; a new code inherits the wrong tries of the live code it replaces. Which code
can be used is the model's rule (``OtpCode.objects.usable()``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from users import sms
from users.models import OtpCode, UserProfile

from .phone import phone_number_normalize

logger = logging.getLogger(__name__)

INVALID_CODE_MESSAGE = "The code is invalid or has expired."


class OtpSendLimited(Exception):
    """Too many codes went to this number lately; ``retry_after`` is the wait in seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(
            f"Too many codes were sent to this number. Try again in {self.retry_after} seconds."
        )


def _otp_hash(phone: str, code: str) -> str:
    key = settings.OTP_HMAC_KEY.encode()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _otp_generate() -> str:
    length = settings.OTP_LENGTH
    return f"{secrets.randbelow(10**length):0{length}d}"


def otp_send_wait(*, phone_number: str, now: datetime | None = None) -> int:
    """Seconds until another code may be sent to ``phone_number`` (E.164); 0 means now."""
    now = now or timezone.now()
    cooldown = timedelta(seconds=settings.OTP_RESEND_COOLDOWN_SECONDS)
    window = timedelta(hours=1)
    limit = settings.OTP_MAX_SENDS_PER_HOUR
    recent = list(
        OtpCode.objects.filter(phone_number=phone_number, created_at__gt=now - window)
        .counting_as_sent()
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)[: max(limit, 1)]
    )
    wait = 0.0
    if recent and recent[0] > now - cooldown:
        wait = max(wait, (recent[0] + cooldown - now).total_seconds())
    if len(recent) >= limit:
        wait = max(wait, (recent[limit - 1] + window - now).total_seconds() if limit else 3600)
    return math.ceil(wait)


def _otp_issue(*, user: AbstractBaseUser, phone: str, now: datetime) -> tuple[OtpCode, str]:
    """Within the caller's transaction: revoke the open codes of the number and of the
    user, and make a new one that inherits the wrong tries of the live code it replaces.
    Returns the row and the plaintext code (to be sent, never stored)."""
    max_attempts = settings.OTP_MAX_ATTEMPTS
    previous = OtpCode.objects.select_for_update().open().filter(phone_number=phone).first()
    carried = 0
    if previous and previous.expires_at > now and previous.failed_attempts < max_attempts:
        carried = previous.failed_attempts
    OtpCode.objects.open().filter(Q(phone_number=phone) | Q(user=user)).update(revoked_at=now)
    code = _otp_generate()
    try:
        with transaction.atomic():
            otp = OtpCode.objects.create(
                phone_number=phone,
                user=user,
                code_hash=_otp_hash(phone, code),
                created_at=now,
                expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
                failed_attempts=carried,
            )
    except IntegrityError:
        # Another request made a code for this number at the same moment.
        raise OtpSendLimited(settings.OTP_RESEND_COOLDOWN_SECONDS) from None
    return otp, code


def _otp_message(code: str) -> str:
    minutes = max(1, settings.OTP_TTL_SECONDS // 60)
    return (
        f"Your movie_api verification code is {code}. "
        f"It expires in {minutes} minutes. Do not share it with anyone."
    )


def _otp_deliver(otp: OtpCode, code: str) -> None:
    """Send the code; on any failure revoke it (it was never sent, so it must never work)."""
    try:
        sms.send_sms(str(otp.phone_number), _otp_message(code))
    except Exception:
        OtpCode.objects.filter(pk=otp.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        logger.warning("Verification code %s revoked: its SMS could not be sent", otp.pk)
        raise
    OtpCode.objects.filter(pk=otp.pk).update(sent_at=timezone.now())


def _otp_claim(*, otp_id: int, now: datetime) -> bool:
    """Mark the code used if, and only if, it is still open: the one place a code is
    spent. Two verifications racing for one code cannot both win this UPDATE."""
    return bool(OtpCode.objects.usable(now=now).filter(pk=otp_id).update(used_at=now))


def _otp_record_failure(*, otp_id: int, now: datetime) -> None:
    OtpCode.objects.filter(pk=otp_id).update(failed_attempts=F("failed_attempts") + 1)
    OtpCode.objects.filter(
        pk=otp_id, failed_attempts__gte=settings.OTP_MAX_ATTEMPTS, revoked_at__isnull=True
    ).update(revoked_at=now)


def otp_verify(*, phone_number: str, code: str) -> AbstractBaseUser:
    """Check the code sent to ``phone_number``; on success the number is verified and
    the account activated, and the user is returned.

    A wrong, expired, used, burned or unknown code, and a number without a code, all
    raise the same ``ValidationError({"code": [INVALID_CODE_MESSAGE]})``.
    """
    phone = phone_number_normalize(phone_number)
    code = str(code or "").strip()
    if len(code) != settings.OTP_LENGTH or not code.isdigit():
        raise ValidationError(
            {"code": [f"Enter the {settings.OTP_LENGTH}-digit code from the text message."]}
        )
    candidate = _otp_hash(phone, code)
    now = timezone.now()
    user = None
    with transaction.atomic():
        otp = (
            OtpCode.objects.select_for_update()
            .usable(now=now)
            .filter(phone_number=phone)
            .order_by()
            .first()
        )
        if otp is not None and not hmac.compare_digest(candidate, otp.code_hash):
            _otp_record_failure(otp_id=otp.pk, now=now)
        elif otp is not None:
            profile = (
                UserProfile.objects.pending()
                .select_for_update()
                .select_related("user")
                .filter(user_id=otp.user_id, phone_number=phone)
                .first()
            )
            if profile is not None and _otp_claim(otp_id=otp.pk, now=now):
                user = profile.user
                user.is_active = True
                user.save(update_fields=["is_active"])
                profile.phone_verified_at = now
                profile.save(update_fields=["phone_verified_at", "updated_at"])
    if user is None:
        raise ValidationError({"code": [INVALID_CODE_MESSAGE]})
    logger.info("Phone number verified; account %s is active", user.pk)
    return user


def otp_resend(*, phone_number: str) -> None:
    """Send a new code to a number whose registration is waiting for one.

    Does the same, visibly, whatever the number: nothing is sent to a number with no
    pending registration, or that had a code too recently or too often (see
    :func:`otp_send_wait`). Raises ``SmsSendError`` if the SMS backend fails.
    """
    phone = phone_number_normalize(phone_number)
    now = timezone.now()
    with transaction.atomic():
        profile = (
            UserProfile.objects.pending()
            .select_for_update(of=("self",))
            .select_related("user")
            .filter(phone_number=phone)
            .first()
        )
        if profile is None:
            return
        wait = otp_send_wait(phone_number=phone, now=now)
        if wait:
            logger.info(
                "Code resend for profile %s refused for %ss (send limits)", profile.pk, wait
            )
            return
        try:
            otp, code = _otp_issue(user=profile.user, phone=phone, now=now)
        except OtpSendLimited:
            return
    _otp_deliver(otp, code)
