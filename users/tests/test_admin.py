"""The admin pages for accounts open and work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from users.models import OtpCode

from .factories import UserProfileFactory


@pytest.fixture
def staff_client(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-unused-1")
    client.force_login(boss)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:users_userprofile_changelist",
        "admin:users_otpcode_changelist",
        "admin:auth_user_changelist",
        "admin:users_userprofile_add",
    ],
)
def test_the_admin_lists_open(staff_client, register, url_name):
    register()
    UserProfileFactory()

    assert staff_client.get(reverse(url_name)).status_code == 200


@pytest.mark.django_db
def test_a_profile_and_its_user_open_in_the_admin(staff_client):
    profile = UserProfileFactory()

    assert (
        staff_client.get(reverse("admin:users_userprofile_change", args=[profile.pk])).status_code
        == 200
    )
    page = staff_client.get(reverse("admin:auth_user_change", args=[profile.user_id]))
    assert page.status_code == 200
    assert str(profile.phone_number) in page.content.decode()


@pytest.mark.django_db
def test_codes_cannot_be_added_and_their_hash_is_not_shown(staff_client, register):
    register()
    otp = OtpCode.objects.get()

    assert staff_client.get(reverse("admin:users_otpcode_add")).status_code == 403
    page = staff_client.get(reverse("admin:users_otpcode_change", args=[otp.pk]))
    assert page.status_code == 200
    assert otp.code_hash not in page.content.decode()


@pytest.mark.django_db
def test_the_admin_can_revoke_codes(staff_client, register):
    register()
    otp = OtpCode.objects.get()

    response = staff_client.post(
        reverse("admin:users_otpcode_changelist"),
        {"action": "revoke", "_selected_action": [otp.pk]},
    )

    assert response.status_code == 302
    otp.refresh_from_db()
    assert otp.revoked_at is not None


@pytest.mark.django_db
def test_the_profile_phone_fields_are_read_only_in_the_admin(staff_client):
    profile = UserProfileFactory(phone_number="+14155550199")
    url = reverse("admin:users_userprofile_change", args=[profile.pk])
    page = staff_client.get(url).content.decode()
    assert 'name="phone_number"' not in page
    assert 'name="phone_verified_at_0"' not in page

    response = staff_client.post(
        url,
        {
            "user": profile.user_id,
            "phone_number": "+14155550100",
            "phone_verified_at_0": "",
            "phone_verified_at_1": "",
        },
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert str(profile.phone_number) == "+14155550199"
    assert profile.phone_verified_at is not None


@pytest.mark.django_db
def test_the_user_page_inline_shows_the_phone_read_only(staff_client):
    profile = UserProfileFactory()
    page = staff_client.get(reverse("admin:auth_user_change", args=[profile.user_id]))
    assert str(profile.phone_number) in page.content.decode()
    assert 'name="profile-0-phone_number"' not in page.content.decode()


@pytest.mark.django_db
def test_the_code_state_follows_the_models_usable_rule(staff_client, register, clock, settings):
    register()
    url = reverse("admin:users_otpcode_changelist")
    assert ">live<" in staff_client.get(url).content.decode()

    clock.shift(settings.OTP_TTL_SECONDS + 1)

    page = staff_client.get(url).content.decode()
    assert ">live<" not in page
    assert ">expired<" in page


@pytest.mark.django_db
def test_the_waiting_filter_lists_pending_registrations_only(staff_client, register):
    register()
    verified = UserProfileFactory()
    admin_made = UserProfileFactory(phone_number=None, phone_verified_at=None)

    page = staff_client.get(
        reverse("admin:users_userprofile_changelist"), {"verified": "no"}
    ).content.decode()

    assert "carol" in page
    assert verified.user.username not in page
    assert admin_made.user.username not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "ALICE", "A user with that username already exists."),
        ("email", "Alice@Example.com", "A user with that email address already exists."),
    ],
)
def test_the_admin_refuses_a_username_or_email_taken_in_another_case(
    staff_client, field, value, message
):
    from .factories import UserFactory

    UserFactory(username="alice", email="alice@example.com")
    bob = UserFactory(username="bob", email="bob@example.com")
    url = reverse("admin:auth_user_change", args=[bob.pk])
    data = {
        "username": "bob",
        "email": "bob@example.com",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "profile-TOTAL_FORMS": "0",
        "profile-INITIAL_FORMS": "0",
        field: value,
    }

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    bob.refresh_from_db()
    assert getattr(bob, field) != value
