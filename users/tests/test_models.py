"""The two rules the models own: which profiles are pending registrations and which
codes can still be used. Services, the purge command and the admin all read them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from users.models import OtpCode, UserProfile

from .factories import PendingProfileFactory, UserFactory, UserProfileFactory

pytestmark = pytest.mark.django_db


def test_pending_is_an_inactive_account_with_an_unproved_number():
    pending = PendingProfileFactory()
    UserProfileFactory()  # verified member
    UserProfileFactory(phone_number=None, phone_verified_at=None)  # made by an admin
    UserProfileFactory(user=UserFactory(is_active=False))  # verified, then deactivated
    UserProfileFactory(user=UserFactory(is_active=False), phone_number=None, phone_verified_at=None)

    assert list(UserProfile.objects.pending()) == [pending]
    assert pending.is_pending
    assert not UserProfile.objects.exclude(pk=pending.pk).first().is_pending


def make_code(**overrides) -> OtpCode:
    now = timezone.now()
    data = {
        "phone_number": "+14155550123",
        "user": UserFactory(is_active=False),
        "code_hash": "x" * 64,
        "created_at": now,
        "sent_at": now,
        "expires_at": now + timedelta(minutes=10),
        **overrides,
    }
    return OtpCode.objects.create(**data)


@pytest.mark.parametrize(
    ("overrides", "usable"),
    [
        ({}, True),
        ({"sent_at": None}, False),
        ({"used_at": timezone.now()}, False),
        ({"revoked_at": timezone.now()}, False),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, False),
        ({"failed_attempts": 5}, False),
        ({"failed_attempts": 4}, True),
        ({"user": None}, False),
    ],
)
def test_usable_codes(overrides, usable, settings):
    settings.OTP_MAX_ATTEMPTS = 5
    code = make_code(**overrides)

    assert OtpCode.objects.usable().filter(pk=code.pk).exists() is usable
