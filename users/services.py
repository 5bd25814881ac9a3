"""Writes with the accounts' rules. REST, the HTML pages, the admin and the tests call these.

Every function is keyword-only and raises Django's ``ValidationError`` keyed by field
for bad input. Two more exceptions reach callers of the SMS steps:

- :class:`users.sms.SmsSendError` when the text message could not be sent (the code
  is then revoked: a code that was never sent can never be used);
- :class:`OtpSendLimited` when the number had a code too recently or too often.

The rules (see ``docs/users.md``): codes are ``OTP_LENGTH`` digits from ``secrets``,
stored only as an HMAC keyed with ``OTP_HMAC_KEY``, compared in constant time, single
use, valid ``OTP_TTL_SECONDS``, burned after ``OTP_MAX_ATTEMPTS`` wrong tries; a number
gets at most one code per ``OTP_RESEND_COOLDOWN_SECONDS`` and ``OTP_MAX_SENDS_PER_HOUR``
an hour; a new code inherits the wrong tries of the live code it replaces.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

import phonenumbers
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from phonenumber_field.phonenumber import PhoneNumber, to_python
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from core.ids import clean_ids
from core.permissions import is_admin
from movies.models import Movie

from . import sms
from .models import OtpCode, UserProfile

logger = logging.getLogger(__name__)

User = get_user_model()
UNSET: Any = object()

INVALID_CODE_MESSAGE = "The code is invalid or has expired."
PHONE_TAKEN_MESSAGE = "An account with this phone number already exists."
USERNAME_TAKEN_MESSAGE = "A user with that username already exists."
EMAIL_TAKEN_MESSAGE = "A user with that email address already exists."
RESET_LINK_INVALID_MESSAGE = "The password reset link is invalid or has expired."

# Number types that can never receive a text message.
_NO_SMS_TYPES = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.UAN,
    phonenumbers.PhoneNumberType.VOICEMAIL,
}


class OtpSendLimited(Exception):
    """Too many codes went to this number lately; ``retry_after`` is the wait in seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(
            f"Too many codes were sent to this number. Try again in {self.retry_after} seconds."
        )


# --------------------------------------------------------------------------- phone numbers


def phone_number_normalize(
    value: str | PhoneNumber | None, *, field: str = "phone_number", for_sms: bool = False
) -> str:
    """The number in E.164 (``+14155550123``), read with ``PHONENUMBER_DEFAULT_REGION``.

    ``for_sms`` also refuses numbers that cannot receive text messages (landlines,
    toll-free and premium numbers). Raises ``ValidationError({field: [...]})``.
    """
    if isinstance(value, PhoneNumber):
        number = value
    else:
        raw = str(value or "").strip()
        if not raw:
            raise ValidationError({field: ["This field may not be blank."]})
        number = to_python(raw)
    if not isinstance(number, PhoneNumber) or not number.is_valid():
        raise ValidationError(
            {field: ["Enter a valid phone number, with the country code, e.g. +14155550123."]}
        )
    if for_sms and phonenumbers.number_type(number) in _NO_SMS_TYPES:
        raise ValidationError({field: ["Enter a mobile number that can receive text messages."]})
    return number.as_e164


# --------------------------------------------------------------------------- one-time codes


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
    return bool(
        OtpCode.objects.filter(
            pk=otp_id,
            used_at__isnull=True,
            revoked_at__isnull=True,
            failed_attempts__lt=settings.OTP_MAX_ATTEMPTS,
        ).update(used_at=now)
    )


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
        otp = OtpCode.objects.select_for_update().open().filter(phone_number=phone).first()
        usable = (
            otp is not None
            and otp.sent_at is not None
            and otp.expires_at > now
            and otp.failed_attempts < settings.OTP_MAX_ATTEMPTS
            and otp.user_id is not None
        )
        if usable and not hmac.compare_digest(candidate, otp.code_hash):
            _otp_record_failure(otp_id=otp.pk, now=now)
        elif usable:
            profile = (
                UserProfile.objects.select_for_update()
                .select_related("user")
                .filter(user_id=otp.user_id, phone_number=phone)
                .first()
            )
            if profile is not None and profile.is_pending and _otp_claim(otp_id=otp.pk, now=now):
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
            UserProfile.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(phone_number=phone, phone_verified_at__isnull=True, user__is_active=False)
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


# --------------------------------------------------------------------------- registration


def _pending_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.REGISTRATION_PENDING_TTL_SECONDS)


def _is_pending(user: AbstractBaseUser) -> bool:
    profile = UserProfile.objects.filter(user=user).first()
    return profile is not None and profile.is_pending


def _clean_registration(*, username: str, email: str, password: str, phone_number: str):
    errors: dict[str, list[str]] = {}
    username = User.normalize_username(str(username or "").strip())
    if not username:
        errors["username"] = ["This field may not be blank."]
    elif len(username) > 150:
        errors["username"] = ["Ensure this field has no more than 150 characters."]
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as exc:
            errors["username"] = exc.messages
    email = User.objects.normalize_email(str(email or "").strip())
    email_max_length = User._meta.get_field("email").max_length
    if not email:
        errors["email"] = ["This field may not be blank."]
    elif len(email) > email_max_length:
        # EmailValidator accepts up to 320 characters; the column holds fewer.
        errors["email"] = [f"Ensure this field has no more than {email_max_length} characters."]
    else:
        try:
            validate_email(email)
        except ValidationError as exc:
            errors["email"] = exc.messages
    try:
        phone = phone_number_normalize(phone_number, for_sms=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        phone = ""
    if not password:
        errors["password"] = ["This field may not be blank."]
    else:
        try:
            password_validation.validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return username, email, phone


def _claim_registration(
    *, username: str, email: str, password: str, phone: str, now: datetime
) -> tuple[AbstractBaseUser, bool]:
    """Inside the registration's transaction: settle the conflicts and return the
    pending user (new, or the caller's own earlier registration) and whether it is new.

    - A username or email held by an active or verified account is refused.
    - The caller's own pending registration (same username, right password) is reused:
      its email and number are updated and a new code goes out.
    - A pending registration older than ``REGISTRATION_PENDING_TTL_SECONDS`` no longer
      holds its username or email: it is deleted.
    - A phone number held by a verified account is refused; one held by someone else's
      pending registration is released to the newest registration (that one is deleted),
      since only the holder of the phone can finish either.
    """
    cutoff = _pending_cutoff(now)
    errors: dict[str, list[str]] = {}
    discard: set[int] = set()
    own = None

    for existing in User.objects.select_for_update().filter(username__iexact=username):
        if (
            existing.username == username
            and _is_pending(existing)
            and existing.check_password(password)
        ):
            own = existing

    holder = (
        UserProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(phone_number=phone)
        .first()
    )
    if holder is not None and (own is None or holder.user_id != own.pk):
        if holder.is_pending:
            discard.add(holder.user_id)
        else:
            errors["phone_number"] = [PHONE_TAKEN_MESSAGE]

    for field, lookup, message in (
        ("username", {"username__iexact": username}, USERNAME_TAKEN_MESSAGE),
        ("email", {"email__iexact": email}, EMAIL_TAKEN_MESSAGE),
    ):
        others = User.objects.select_for_update().filter(**lookup)
        if own is not None:
            others = others.exclude(pk=own.pk)
        for existing in others:
            if existing.pk in discard:
                continue
            if _is_pending(existing) and existing.date_joined < cutoff:
                discard.add(existing.pk)
                continue
            errors[field] = [message]

    if errors:
        raise ValidationError(errors)
    if discard:
        logger.info("Registration releases pending accounts %s", sorted(discard))
        User.objects.filter(pk__in=discard, is_active=False).delete()

    if own is not None:
        own.email = email
        own.date_joined = now
        own.save(update_fields=["email", "date_joined"])
        profile = own.profile
        profile.phone_number = phone
        profile.save(update_fields=["phone_number", "updated_at"])
        return own, False

    user = User(username=username, email=email, is_active=False, date_joined=now)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": [USERNAME_TAKEN_MESSAGE]}) from None
    try:
        with transaction.atomic():
            UserProfile.objects.create(user=user, phone_number=phone)
    except IntegrityError:
        raise ValidationError({"phone_number": [PHONE_TAKEN_MESSAGE]}) from None
    return user, True


def user_register(
    *, username: str, email: str, password: str, phone_number: str
) -> AbstractBaseUser:
    """Register an inactive account and text it a verification code.

    The user, its profile and the code row are written in one transaction; the SMS
    goes out after it commits. If the SMS cannot be sent, the code is revoked, a newly
    made account is deleted again (the registration left nothing behind and can simply
    be retried) and ``SmsSendError`` is raised. ``OtpSendLimited`` is raised, with
    nothing saved, when the number had a code too recently or too often.
    """
    username, email, phone = _clean_registration(
        username=username, email=email, password=password, phone_number=phone_number
    )
    now = timezone.now()
    with transaction.atomic():
        user, created = _claim_registration(
            username=username, email=email, password=password, phone=phone, now=now
        )
        wait = otp_send_wait(phone_number=phone, now=now)
        if wait:
            raise OtpSendLimited(wait)
        otp, code = _otp_issue(user=user, phone=phone, now=now)
    try:
        _otp_deliver(otp, code)
    except Exception:
        if created:
            User.objects.filter(pk=user.pk, is_active=False).delete()
            logger.warning("Registration of %r undone: the code could not be sent", username)
        raise
    logger.info("Registered pending account %s", user.pk)
    return user


def pending_registrations_purge(*, now: datetime | None = None) -> int:
    """Delete registrations never verified within ``REGISTRATION_PENDING_TTL_SECONDS``.
    Returns how many accounts were deleted (for a periodic job)."""
    cutoff = _pending_cutoff(now or timezone.now())
    stale = User.objects.filter(
        is_active=False,
        date_joined__lt=cutoff,
        profile__phone_verified_at__isnull=True,
        profile__phone_number__isnull=False,
    )
    count = 0
    with transaction.atomic():
        for user in stale.select_for_update(of=("self",)):
            user.delete()
            count += 1
    return count


# --------------------------------------------------------------------------- tokens


def _refresh_tokens_revoke(*, user: AbstractBaseUser) -> int:
    """Blacklist every refresh token of ``user`` still outstanding."""
    live = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    revoked = 0
    for token in live:
        BlacklistedToken.objects.get_or_create(token=token)
        revoked += 1
    return revoked


def user_logout(*, user: AbstractBaseUser, refresh: str) -> None:
    """Blacklist the caller's refresh token so it can no longer be used."""
    try:
        token = RefreshToken(refresh)
    except TokenError:
        raise ValidationError({"refresh": ["The token is invalid or expired."]}) from None
    if str(token.get(jwt_settings.USER_ID_CLAIM)) != str(user.pk):
        raise ValidationError({"refresh": ["This token does not belong to you."]})
    token.blacklist()


# --------------------------------------------------------------------------- password reset


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
        try:
            send_mail(
                "Reset your movie_api password",
                _password_reset_message(user, uid, token, url),
                None,
                [user.email],
            )
        except Exception:
            logger.exception("Password reset email to account %s could not be sent", user.pk)


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
    user.set_password(new_password)
    user.save(update_fields=["password"])
    _refresh_tokens_revoke(user=user)
    logger.info("Password reset for account %s", user.pk)
    return user


# --------------------------------------------------------------------------- profiles


def _movie_ids(ids: Iterable[int | str] | None, field: str) -> list[int]:
    return clean_ids(Movie, ids, field, noun="movie")


def _admin_phone(value: Any, *, exclude_profile_id: int | None) -> str | None:
    if value in (None, ""):
        return None
    phone = phone_number_normalize(value, for_sms=True)
    clash = UserProfile.objects.filter(phone_number=phone)
    if exclude_profile_id is not None:
        clash = clash.exclude(pk=exclude_profile_id)
    if clash.exists():
        raise ValidationError({"phone_number": [PHONE_TAKEN_MESSAGE]})
    return phone


def _same_phone(current: Any, value: Any) -> bool:
    if value in (None, ""):
        return not current
    try:
        return bool(current) and phone_number_normalize(value) == str(current)
    except ValidationError:
        return False


def _user_for_profile(value: Any, *, field: str = "user") -> AbstractBaseUser:
    try:
        pk = int(value.pk if isinstance(value, AbstractBaseUser) else value)
        return User.objects.get(pk=pk)
    except (TypeError, ValueError, User.DoesNotExist):
        raise ValidationError({field: ["Unknown user."]}) from None


def _verified_at_for(user: AbstractBaseUser, phone: str | None, now: datetime):
    """An administrator's number counts as verified for an active account; on an inactive
    one it makes a pending registration the owner finishes with an SMS code."""
    return now if phone and user.is_active else None


def profile_get_or_create(*, user: AbstractBaseUser) -> UserProfile:
    """The user's profile, made empty if the account has none yet (accounts made by
    ``createsuperuser`` or the admin start without one)."""
    profile, _ = UserProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_create(
    *,
    by: AbstractBaseUser,
    user: AbstractBaseUser | int | None = None,
    phone_number: str | None = None,
    favorite_movies: Iterable[int] = (),
    watched_movies: Iterable[int] = (),
) -> UserProfile:
    """Make a profile: an admin for any account without one, anyone else for themselves
    only and without a phone number (numbers are proved by SMS at registration)."""
    admin = is_admin(by)
    owner = by if user is None else _user_for_profile(user)
    if not admin:
        if owner.pk != by.pk:
            raise ValidationError({"user": ["You can only create your own profile."]})
        if phone_number not in (None, ""):
            raise ValidationError(
                {"phone_number": ["Only an administrator can set the phone number."]}
            )
    if UserProfile.objects.filter(user=owner).exists():
        raise ValidationError({"user": ["This user already has a profile."]})
    phone = _admin_phone(phone_number, exclude_profile_id=None) if admin else None
    favorites = _movie_ids(favorite_movies, "favorite_movies")
    watched = _movie_ids(watched_movies, "watched_movies")
    try:
        with transaction.atomic():
            profile = UserProfile.objects.create(
                user=owner,
                phone_number=phone,
                phone_verified_at=_verified_at_for(owner, phone, timezone.now()),
            )
    except IntegrityError:
        raise ValidationError({"user": ["This user already has a profile."]}) from None
    profile.favorite_movies.set(favorites)
    profile.watched_movies.set(watched)
    return profile


@transaction.atomic
def profile_update(
    *,
    profile: UserProfile,
    by: AbstractBaseUser,
    user: AbstractBaseUser | int = UNSET,
    phone_number: str | None = UNSET,
    favorite_movies: Iterable[int] = UNSET,
    watched_movies: Iterable[int] = UNSET,
) -> UserProfile:
    """Change the given fields; ``UNSET`` ones stay. Only an admin may change
    ``phone_number`` or ``user`` (sending the current value back is accepted)."""
    admin = is_admin(by)
    errors: dict[str, list[str]] = {}
    fields: list[str] = []
    if user is not UNSET:
        new_owner = _user_for_profile(user)
        if new_owner.pk != profile.user_id:
            if not admin:
                errors["user"] = ["Only an administrator can change the profile's user."]
            elif UserProfile.objects.filter(user=new_owner).exclude(pk=profile.pk).exists():
                errors["user"] = ["This user already has a profile."]
            else:
                profile.user = new_owner
                fields.append("user")
    if phone_number is not UNSET and not _same_phone(profile.phone_number, phone_number):
        if not admin:
            errors["phone_number"] = ["Only an administrator can change the phone number."]
        else:
            try:
                phone = _admin_phone(phone_number, exclude_profile_id=profile.pk)
            except ValidationError as exc:
                errors.update(exc.message_dict)
            else:
                profile.phone_number = phone
                profile.phone_verified_at = _verified_at_for(profile.user, phone, timezone.now())
                fields += ["phone_number", "phone_verified_at"]
    lists: dict[str, list[int] | None] = {"favorite_movies": None, "watched_movies": None}
    for field, ids in (("favorite_movies", favorite_movies), ("watched_movies", watched_movies)):
        if ids is UNSET:
            continue
        try:
            lists[field] = _movie_ids(ids, field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    favorites, watched = lists["favorite_movies"], lists["watched_movies"]
    if errors:
        raise ValidationError(errors)
    if "phone_number" in fields:
        # A code sent to the old number must not verify the new one.
        OtpCode.objects.open().filter(user_id=profile.user_id).update(revoked_at=timezone.now())
    if fields:
        try:
            with transaction.atomic():
                profile.save(update_fields=[*fields, "updated_at"])
        except IntegrityError:
            raise ValidationError({"phone_number": [PHONE_TAKEN_MESSAGE]}) from None
    if favorites is not None:
        profile.favorite_movies.set(favorites)
    if watched is not None:
        profile.watched_movies.set(watched)
    if favorites is not None or watched is not None:
        UserProfile.objects.filter(pk=profile.pk).update(updated_at=timezone.now())
    return profile


@transaction.atomic
def profile_delete(*, profile: UserProfile, by: AbstractBaseUser) -> None:
    """Close the account the profile belongs to: the user, the profile and its lists go.

    Its refresh tokens stop working (a deleted user cannot refresh) and its access
    tokens are refused at once (the user no longer exists)."""
    user = profile.user
    logger.info("Account %s closed by account %s", user.pk, by.pk)
    user.delete()


def _movie_for_list(movie_id: int | str) -> int:
    try:
        movie_id = int(movie_id)
    except (TypeError, ValueError):
        raise ValidationError({"movie_id": ["Give a numeric movie id."]}) from None
    if not Movie.objects.filter(pk=movie_id).exists():
        raise ValidationError({"movie_id": ["Unknown movie."]})
    return movie_id


def favorite_add(*, profile: UserProfile, movie_id: int) -> None:
    """Add a movie to the favorites; adding it again changes nothing."""
    profile.favorite_movies.add(_movie_for_list(movie_id))


def favorite_remove(*, profile: UserProfile, movie_id: int) -> None:
    """Remove a movie from the favorites; removing one that is not there changes nothing."""
    profile.favorite_movies.remove(int(movie_id))


def watched_add(*, profile: UserProfile, movie_id: int) -> None:
    """Mark a movie watched; marking it again changes nothing."""
    profile.watched_movies.add(_movie_for_list(movie_id))


def watched_remove(*, profile: UserProfile, movie_id: int) -> None:
    """Unmark a watched movie; unmarking one that is not there changes nothing."""
    profile.watched_movies.remove(int(movie_id))
