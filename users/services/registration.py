"""Registration: an inactive account with a pending phone number, and its lapse."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from users.models import UserProfile

from .otp import OtpSendLimited, _otp_deliver, _otp_issue, otp_send_wait
from .phone import PHONE_TAKEN_MESSAGE, phone_number_normalize

logger = logging.getLogger(__name__)

User = get_user_model()

USERNAME_TAKEN_MESSAGE = "A user with that username already exists."
EMAIL_TAKEN_MESSAGE = "A user with that email address already exists."


def _pending_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.REGISTRATION_PENDING_TTL_SECONDS)


def _is_pending(user: AbstractBaseUser) -> bool:
    return UserProfile.objects.pending().filter(user=user).exists()


def _clean_registration(*, username: str, email: str, password: str, phone_number: str):
    errors, username, email, phone = _registration_format(
        username=username, email=email, password=password, phone_number=phone_number
    )
    if errors:
        raise ValidationError(errors)
    return username, email, phone


def registration_problems(
    *, username: str, email: str, password: str, phone_number: str
) -> dict[str, list[str]]:
    """Everything wrong with a registration, found in one round and without writing:
    the format of each field, and the username, email and number other accounts hold
    (an expired pending registration holds nothing; the caller's own pending one, same
    username and password, may be registered again). ``user_register`` checks this
    first, so a form shows every problem at once; its transaction still settles races."""
    errors, username, email, phone = _registration_format(
        username=username, email=email, password=password, phone_number=phone_number
    )
    cutoff = _pending_cutoff(timezone.now())
    pending_ids = UserProfile.objects.pending().values("user_id")

    def holds(user: AbstractBaseUser) -> bool:
        """Whether ``user`` keeps its username and email from this registration: a
        pending one that expired, that is the caller's own, or that waits on this very
        number (released to the newest registration) does not."""
        if user.pk not in pending:
            return True
        if user.date_joined < cutoff or (phone and pending[user.pk] == phone):
            return False
        return not (user.username == username and user.check_password(password))

    candidates = User.objects.none()
    if username and "username" not in errors:
        candidates = candidates | User.objects.filter(username__iexact=username)
    if email and "email" not in errors:
        candidates = candidates | User.objects.filter(email__iexact=email)
    candidates = list(candidates)
    pending = dict(
        UserProfile.objects.pending()
        .filter(user_id__in=[user.pk for user in candidates])
        .values_list("user_id", "phone_number")
    )
    for user in candidates:
        if not holds(user):
            continue
        if username and user.username.lower() == username.lower():
            errors.setdefault("username", [USERNAME_TAKEN_MESSAGE])
        if email and user.email.lower() == email.lower():
            errors.setdefault("email", [EMAIL_TAKEN_MESSAGE])
    if phone and "phone_number" not in errors:
        holder = UserProfile.objects.filter(phone_number=phone).exclude(user_id__in=pending_ids)
        if holder.exists():
            errors["phone_number"] = [PHONE_TAKEN_MESSAGE]
    return errors


def _registration_format(*, username: str, email: str, password: str, phone_number: str):
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
    return errors, username, email, phone


def _taken(
    *, username: str, email: str, own: AbstractBaseUser | None = None
) -> dict[str, list[str]]:
    """The "taken" errors after the database refused a username or email: a concurrent
    registration committed the same one (ignoring case) between our check and our write.
    The database's unique indexes on ``lower(username)`` and ``lower(email)`` (migration
    ``users.0002``) are what make that race lose; the answer is the usual 400."""
    others = User.objects.exclude(pk=own.pk) if own is not None else User.objects.all()
    errors: dict[str, list[str]] = {}
    if others.filter(username__iexact=username).exists():
        errors["username"] = [USERNAME_TAKEN_MESSAGE]
    if email and others.filter(email__iexact=email).exists():
        errors["email"] = [EMAIL_TAKEN_MESSAGE]
    return errors or {"username": [USERNAME_TAKEN_MESSAGE]}


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
        if _is_pending(holder.user):
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
        try:
            with transaction.atomic():
                own.save(update_fields=["email", "date_joined"])
        except IntegrityError:
            raise ValidationError(_taken(username=username, email=email, own=own)) from None
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
        raise ValidationError(_taken(username=username, email=email)) from None
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
    problems = registration_problems(
        username=username, email=email, password=password, phone_number=phone_number
    )
    if problems:
        raise ValidationError(problems)
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
        date_joined__lt=cutoff,
        pk__in=UserProfile.objects.pending().values("user_id"),
    )
    count = 0
    with transaction.atomic():
        for user in stale.select_for_update(of=("self",)):
            user.delete()
            count += 1
    return count
