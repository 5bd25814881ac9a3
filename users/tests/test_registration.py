"""Registration: validation, conflicts, the edge cases of pending accounts, atomicity."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command

from users import services, sms
from users.models import OtpCode, UserProfile
from users.services import registration as registration_services

from .conftest import PHONE, last_code
from .factories import PASSWORD, PendingProfileFactory, UserFactory, UserProfileFactory

User = get_user_model()


def errors_of(register, **data) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        register(**data)
    return excinfo.value.message_dict


def test_registration_makes_an_inactive_user_with_a_pending_profile(register):
    user = register(email="Carol@EXAMPLE.com")

    user.refresh_from_db()
    assert user.username == "carol"
    assert user.email == "Carol@example.com"
    assert not user.is_active
    assert user.check_password(PASSWORD)
    profile = UserProfile.objects.get(user=user)
    assert str(profile.phone_number) == PHONE
    assert profile.is_pending
    assert OtpCode.objects.get().user == user


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("username", ""),
        ("username", "no spaces allowed"),
        ("username", "x" * 151),
        ("email", "not-an-email"),
        # Valid for EmailValidator (at most 320 characters) but longer than the column.
        ("email", "a" * 60 + "@" + ("b" * 60 + ".") * 4 + "com"),
        ("password", "password"),
        ("password", "carol"),
        ("phone_number", "12"),
        ("phone_number", "+14155"),
        ("phone_number", "+442071838750"),  # a London landline: no SMS
        ("phone_number", "+18005550123"),  # toll free
    ],
)
def test_bad_input_is_refused_by_field(register, field, value):
    assert field in errors_of(register, **{field: value})
    assert not User.objects.exists()


def test_every_bad_field_is_reported_at_once(register):
    errors = errors_of(register, username="", email="nope", password="1", phone_number="x")

    assert set(errors) == {"username", "email", "password", "phone_number"}


def test_a_number_in_national_form_is_read_with_the_default_region(register, settings):
    settings.PHONENUMBER_DEFAULT_REGION = "FR"

    user = register(phone_number="06 12 34 56 78")

    assert str(user.profile.phone_number) == "+33612345678"


def test_a_username_of_an_active_account_is_refused_ignoring_case(register):
    UserFactory(username="Carol", email="someone@example.com")

    assert errors_of(register, username="carol") == {"username": [services.USERNAME_TAKEN_MESSAGE]}


def test_an_email_of_another_account_is_refused_ignoring_case(register):
    UserFactory(username="someone", email="carol@example.com")

    assert errors_of(register, email="CAROL@example.com") == {
        "email": [services.EMAIL_TAKEN_MESSAGE]
    }


def test_a_number_of_an_active_account_is_refused(register):
    UserProfileFactory(phone_number=PHONE)

    assert errors_of(register, phone_number="+1 (415) 555-0123") == {
        "phone_number": [services.PHONE_TAKEN_MESSAGE]
    }


def test_a_number_of_a_deactivated_verified_account_stays_taken(register):
    profile = UserProfileFactory(phone_number=PHONE)
    profile.user.is_active = False
    profile.user.save()

    assert "phone_number" in errors_of(register)


def test_registering_again_with_the_same_username_and_password_retries(register, clock):
    first = register(phone_number="+14155550199")  # a typo in the number
    clock.shift(60)

    again = register(phone_number=PHONE, email="carol@new.example.com")

    assert again.pk == first.pk
    assert User.objects.count() == 1
    again.refresh_from_db()
    assert again.email == "carol@new.example.com"
    assert str(again.profile.phone_number) == PHONE
    assert OtpCode.objects.open().get().phone_number == PHONE
    assert services.otp_verify(phone_number=PHONE, code=last_code(PHONE)).pk == first.pk


def test_a_fresh_pending_username_is_not_taken_over_with_another_password(register):
    register()

    errors = errors_of(
        register,
        password="another long passphrase 7",
        email="x@example.com",
        phone_number="+14155550124",
    )

    assert errors == {"username": [services.USERNAME_TAKEN_MESSAGE]}


def test_a_fresh_pending_email_is_not_taken_over(register):
    register()

    errors = errors_of(register, username="mallory", phone_number="+14155550124")

    assert errors == {"email": [services.EMAIL_TAKEN_MESSAGE]}


def test_a_lapsed_pending_registration_releases_its_username_and_email(register, clock, settings):
    old = register()
    clock.shift(settings.REGISTRATION_PENDING_TTL_SECONDS + 1)

    new = register(password="another long passphrase 7", phone_number="+14155550124")

    assert new.pk != old.pk
    assert not User.objects.filter(pk=old.pk).exists()
    assert list(User.objects.values_list("username", flat=True)) == ["carol"]


def test_a_lapsed_verified_account_keeps_its_username(register, clock, settings):
    profile = UserProfileFactory(user__username="carol")
    profile.user.is_active = False  # deactivated by an admin, not pending
    profile.user.save()
    clock.shift(settings.REGISTRATION_PENDING_TTL_SECONDS + 1)

    assert "username" in errors_of(register)


def test_the_newest_registration_of_a_number_releases_an_older_pending_one(register, clock):
    squatter = PendingProfileFactory(phone_number=PHONE, user__username="squatter")

    owner = register()

    assert not User.objects.filter(pk=squatter.user_id).exists()
    assert services.otp_verify(phone_number=PHONE, code=last_code()).pk == owner.pk


def test_a_pending_account_released_for_its_number_frees_its_email(register):
    PendingProfileFactory(
        phone_number=PHONE, user__username="carol_old", user__email="carol@example.com"
    )

    user = register()

    assert User.objects.get().pk == user.pk


def test_registering_a_number_again_within_the_cooldown_is_limited(register, clock, settings):
    register()
    clock.shift(10)

    with pytest.raises(services.OtpSendLimited) as excinfo:
        register(phone_number=PHONE, email="carol@else.example.com")

    assert excinfo.value.retry_after == settings.OTP_RESEND_COOLDOWN_SECONDS - 10
    assert User.objects.get().email == "carol@example.com"  # nothing of the retry was kept


def test_registration_is_all_or_nothing(register, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(registration_services, "_otp_issue", broken)

    with pytest.raises(RuntimeError):
        register()
    assert not User.objects.exists()
    assert not UserProfile.objects.exists()
    assert not OtpCode.objects.exists()


def test_when_the_sms_fails_the_registration_leaves_nothing_usable(register, failing_sms):
    with pytest.raises(sms.SmsSendError):
        register()

    assert len(failing_sms) == 1
    assert not User.objects.exists()
    assert not UserProfile.objects.exists()
    assert not OtpCode.objects.open().exists()


def test_after_a_failed_sms_the_same_registration_can_simply_be_retried(
    register, failing_sms, settings
):
    with pytest.raises(sms.SmsSendError):
        register()
    settings.SMS_BACKEND = "locmem"

    user = register()

    assert services.otp_verify(phone_number=PHONE, code=last_code()).pk == user.pk


def test_a_failed_sms_on_a_retry_keeps_the_pending_account(register, clock, settings):
    user = register()
    clock.shift(60)
    settings.SMS_BACKEND = "users.tests.conftest.FailingSmsBackend"

    with pytest.raises(sms.SmsSendError):
        register()

    assert User.objects.get().pk == user.pk
    assert not OtpCode.objects.open().exists()


def test_lapsed_registrations_are_purged(register, clock, settings):
    register()
    UserProfileFactory()  # verified: kept
    UserFactory(is_active=False)  # deactivated, no profile: kept
    clock.shift(settings.REGISTRATION_PENDING_TTL_SECONDS - 1)
    register(username="dave", email="dave@example.com", phone_number="+14155550124")
    clock.shift(2)

    out = io.StringIO()
    call_command("purge_pending_registrations", stdout=out)

    assert "Deleted 1 lapsed registration(s)." in out.getvalue()
    assert not User.objects.filter(username="carol").exists()
    assert User.objects.filter(username="dave").exists()  # not lapsed yet
    assert User.objects.count() == 3
