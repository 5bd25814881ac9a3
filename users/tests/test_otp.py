"""The one-time code rules, checked through the services with a controlled clock."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.core.exceptions import ValidationError

from users import services, sms
from users.models import OtpCode, UserProfile
from users.services import otp as otp_services

from .conftest import PHONE, code_in, last_code
from .factories import UserProfileFactory


def verify_error(phone: str, code: str) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        services.otp_verify(phone_number=phone, code=code)
    return excinfo.value.message_dict


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_registration_texts_a_six_digit_code_to_the_number_in_e164(register, sms_outbox):
    user = register(phone_number="(415) 555-0123")

    assert user.profile.phone_number == PHONE
    assert len(sms_outbox) == 1
    assert sms_outbox[0].to == PHONE
    code = code_in(sms_outbox[0])
    assert len(code) == 6
    assert code.isdigit()


def test_codes_come_from_secrets_and_keep_leading_zeros(register, monkeypatch, sms_outbox):
    calls = []

    def randbelow(limit):
        calls.append(limit)
        return 42

    monkeypatch.setattr(otp_services.secrets, "randbelow", randbelow)
    register()

    assert calls == [1_000_000]
    assert code_in(sms_outbox[0]) == "000042"


def test_only_a_keyed_hash_of_the_code_is_stored(register, settings):
    register()
    code = last_code()
    otp = OtpCode.objects.get()

    stored = " ".join(str(value) for value in OtpCode.objects.values().get().values())
    assert code not in stored
    expected = hmac.new(
        settings.OTP_HMAC_KEY.encode(), f"{PHONE}:{code}".encode(), hashlib.sha256
    ).hexdigest()
    assert otp.code_hash == expected
    assert otp.code_hash != hashlib.sha256(f"{PHONE}:{code}".encode()).hexdigest()


def test_the_hash_depends_on_the_server_key(register, settings):
    register()
    code = last_code()
    settings.OTP_HMAC_KEY = "another-key-entirely"

    assert verify_error(PHONE, code) == {"code": [services.INVALID_CODE_MESSAGE]}


def test_the_right_code_activates_the_account_and_verifies_the_number(register, clock):
    user = register()
    assert not user.is_active

    verified = services.otp_verify(phone_number="+1 415 555 0123", code=last_code())

    assert verified.pk == user.pk
    user.refresh_from_db()
    assert user.is_active
    profile = UserProfile.objects.get(user=user)
    assert profile.phone_verified_at is not None
    assert not profile.is_pending
    assert OtpCode.objects.get().used_at is not None


def test_a_code_works_once(register):
    register()
    code = last_code()
    services.otp_verify(phone_number=PHONE, code=code)

    assert verify_error(PHONE, code) == {"code": [services.INVALID_CODE_MESSAGE]}


def test_a_code_works_until_just_before_its_ttl(register, clock, settings):
    register()
    clock.shift(settings.OTP_TTL_SECONDS - 1)

    assert services.otp_verify(phone_number=PHONE, code=last_code()).is_active


def test_a_code_is_refused_once_its_ttl_has_passed(register, clock, settings):
    register()
    clock.shift(settings.OTP_TTL_SECONDS)

    assert verify_error(PHONE, last_code()) == {"code": [services.INVALID_CODE_MESSAGE]}


def test_wrong_expired_used_and_unknown_codes_get_the_same_answer(register, clock):
    register()
    code = last_code()
    wrong_answer = verify_error(PHONE, wrong(code))
    unknown_number = verify_error("+14155550999", code)
    services.otp_verify(phone_number=PHONE, code=code)
    used_answer = verify_error(PHONE, code)

    register(username="dave", email="dave@example.com", phone_number="+14155550124")
    clock.shift(601)
    expired_answer = verify_error("+14155550124", last_code("+14155550124"))

    assert wrong_answer == unknown_number == used_answer == expired_answer
    assert wrong_answer == {"code": ["The code is invalid or has expired."]}


def test_a_malformed_code_is_a_field_error_and_costs_no_try(register):
    register()

    assert "code" in verify_error(PHONE, "12ab56")
    assert "code" in verify_error(PHONE, "1234567")
    assert OtpCode.objects.get().failed_attempts == 0


def test_a_malformed_number_is_a_field_error():
    with pytest.raises(ValidationError) as excinfo:
        services.otp_verify(phone_number="not a number", code="123456")

    assert "phone_number" in excinfo.value.message_dict


def test_four_wrong_tries_still_leave_the_right_code_working(register, settings):
    register()
    code = last_code()
    for _ in range(settings.OTP_MAX_ATTEMPTS - 1):
        verify_error(PHONE, wrong(code))

    assert services.otp_verify(phone_number=PHONE, code=code).is_active


def test_the_fifth_wrong_try_burns_the_code(register, settings):
    register()
    code = last_code()
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        verify_error(PHONE, wrong(code))

    assert verify_error(PHONE, code) == {"code": [services.INVALID_CODE_MESSAGE]}
    otp = OtpCode.objects.get()
    assert otp.failed_attempts == settings.OTP_MAX_ATTEMPTS
    assert otp.revoked_at is not None


def test_the_limits_are_settings(register, settings, clock):
    settings.OTP_MAX_ATTEMPTS = 2
    settings.OTP_TTL_SECONDS = 30
    register()
    code = last_code()
    verify_error(PHONE, wrong(code))
    verify_error(PHONE, wrong(code))
    assert verify_error(PHONE, code)  # burned after 2

    settings.OTP_RESEND_COOLDOWN_SECONDS = 5
    clock.shift(5)
    services.otp_resend(phone_number=PHONE)
    clock.shift(30)
    assert verify_error(PHONE, last_code())  # expired after 30 seconds


def test_a_resend_replaces_the_previous_code(register, clock, sms_outbox):
    register()
    first = last_code()
    clock.shift(60)
    services.otp_resend(phone_number=PHONE)
    second = last_code()

    assert len(sms_outbox) == 2
    assert verify_error(PHONE, first) == {"code": [services.INVALID_CODE_MESSAGE]} or (
        first == second
    )
    assert services.otp_verify(phone_number=PHONE, code=second).is_active


def test_a_resend_waits_for_the_cooldown(register, clock, settings, sms_outbox):
    register()
    clock.shift(settings.OTP_RESEND_COOLDOWN_SECONDS - 1)
    services.otp_resend(phone_number=PHONE)
    assert len(sms_outbox) == 1

    clock.shift(1)
    services.otp_resend(phone_number=PHONE)
    assert len(sms_outbox) == 2


def test_a_number_gets_at_most_five_codes_an_hour(register, clock, settings, sms_outbox):
    register()  # the first of the hour, at 12:00
    for _ in range(settings.OTP_MAX_SENDS_PER_HOUR - 1):
        clock.shift(60)
        services.otp_resend(phone_number=PHONE)
    assert len(sms_outbox) == 5  # 12:00 .. 12:04

    clock.shift(60)
    services.otp_resend(phone_number=PHONE)
    assert len(sms_outbox) == 5  # the sixth within the hour is not sent
    assert services.otp_send_wait(phone_number=PHONE) == 3600 - 300

    clock.shift(3600 - 300)  # 13:00: the 12:00 code has left the window
    services.otp_resend(phone_number=PHONE)
    assert len(sms_outbox) == 6


def test_a_resend_does_not_reset_the_wrong_tries(register, clock, settings):
    register()
    first = last_code()
    for _ in range(3):
        verify_error(PHONE, wrong(first))
    clock.shift(60)
    services.otp_resend(phone_number=PHONE)
    second = last_code()
    for _ in range(settings.OTP_MAX_ATTEMPTS - 3):
        verify_error(PHONE, wrong(second))

    assert verify_error(PHONE, second) == {"code": [services.INVALID_CODE_MESSAGE]}


def test_after_a_burned_code_a_resend_gives_a_fresh_one(register, clock, settings):
    register()
    first = last_code()
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        verify_error(PHONE, wrong(first))
    clock.shift(60)
    services.otp_resend(phone_number=PHONE)

    assert services.otp_verify(phone_number=PHONE, code=last_code()).is_active


def test_resend_does_the_same_for_unknown_and_verified_numbers(register, clock, sms_outbox):
    UserProfileFactory(phone_number="+14155550177")  # verified: needs no code

    assert services.otp_resend(phone_number="+14155550999") is None
    assert services.otp_resend(phone_number="+14155550177") is None
    assert sms_outbox == []
    assert not OtpCode.objects.exists()


def test_a_code_whose_sms_failed_never_works(register, failing_sms):
    with pytest.raises(sms.SmsSendError):
        register()
    code = code_in(failing_sms[0])

    assert verify_error(PHONE, code) == {"code": [services.INVALID_CODE_MESSAGE]}
    otp = OtpCode.objects.get()
    assert otp.sent_at is None
    assert otp.revoked_at is not None


def test_a_failed_sms_does_not_count_against_the_number(register, failing_sms, settings):
    with pytest.raises(sms.SmsSendError):
        register()
    settings.SMS_BACKEND = "locmem"

    register()  # at once: the failed attempt started no cooldown
    assert services.otp_verify(phone_number=PHONE, code=last_code()).is_active


def test_a_resend_whose_sms_fails_raises_and_leaves_no_usable_code(register, clock, settings):
    register()
    clock.shift(60)
    settings.SMS_BACKEND = "users.tests.conftest.FailingSmsBackend"

    with pytest.raises(sms.SmsSendError):
        services.otp_resend(phone_number=PHONE)
    assert not OtpCode.objects.open().exists()


def test_a_code_for_a_number_no_longer_on_the_account_is_refused(register, clock):
    register(phone_number=PHONE)
    old_code = last_code(PHONE)
    clock.shift(1)
    # The same person corrects their number by registering again.
    register(phone_number="+14155550124")

    assert verify_error(PHONE, old_code) == {"code": [services.INVALID_CODE_MESSAGE]}
    assert services.otp_verify(phone_number="+14155550124", code=last_code("+14155550124"))
