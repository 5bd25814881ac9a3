"""The accounts API end to end: register, verify, resend, login, refresh, logout, reset."""

from __future__ import annotations

import re

import pytest
import responses
from django.contrib.auth import get_user_model
from django.core import mail

from users.models import OtpCode, UserProfile

from .conftest import PHONE, last_code
from .factories import PASSWORD, PendingProfileFactory, UserFactory, UserProfileFactory

User = get_user_model()

REGISTER = "/api/users/register/"
VERIFY = "/api/users/otp/verify/"
RESEND = "/api/users/otp/resend/"
LOGIN = "/api/users/login/"
REFRESH = "/api/users/token/refresh/"
LOGOUT = "/api/users/logout/"
ME = "/api/users/profiles/me/"
RESET = "/api/users/password/reset/"
RESET_CONFIRM = "/api/users/password/reset/confirm/"

SIGNUP = {
    "username": "carol",
    "email": "carol@example.com",
    "password": PASSWORD,
    "phone_number": "+1 (415) 555-0123",
}


def bearer(client, access: str):
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


@pytest.mark.django_db
def test_the_whole_journey_register_verify_login_refresh_logout(api_client, sms_outbox):
    registered = api_client.post(REGISTER, SIGNUP)
    assert registered.status_code == 201, registered.data
    user_id = registered.data["id"]
    assert registered.data == {
        "id": user_id,
        "username": "carol",
        "email": "carol@example.com",
        "phone_number": PHONE,
        "is_active": False,
    }
    assert api_client.post(LOGIN, {"username": "carol", "password": PASSWORD}).status_code == 401

    verified = api_client.post(VERIFY, {"phone_number": PHONE, "code": last_code()})
    assert verified.status_code == 200, verified.data
    assert verified.data["is_active"] is True

    login = api_client.post(LOGIN, {"username": "carol", "password": PASSWORD})
    assert login.status_code == 200, login.data
    assert set(login.data) == {"access", "refresh", "user"}
    assert login.data["user"] == {"id": user_id, "username": "carol", "email": "carol@example.com"}

    me = bearer(api_client, login.data["access"]).get(ME)
    assert me.status_code == 200
    assert me.data["user"]["id"] == user_id
    assert me.data["phone_number"] == PHONE

    refreshed = api_client.post(REFRESH, {"refresh": login.data["refresh"]})
    assert refreshed.status_code == 200, refreshed.data
    assert set(refreshed.data) == {"access", "refresh"}
    assert refreshed.data["refresh"] != login.data["refresh"]
    assert api_client.post(REFRESH, {"refresh": login.data["refresh"]}).status_code == 401

    bearer(api_client, refreshed.data["access"])
    assert api_client.post(LOGOUT, {"refresh": refreshed.data["refresh"]}).status_code == 204
    assert api_client.post(REFRESH, {"refresh": refreshed.data["refresh"]}).status_code == 401


@pytest.mark.django_db
def test_register_refuses_bad_input_by_field(api_client):
    response = api_client.post(
        REGISTER, {"username": "bad name", "email": "x", "password": "1", "phone_number": "12"}
    )

    assert response.status_code == 400
    assert set(response.data) == {"username", "email", "password", "phone_number"}


@pytest.mark.django_db
def test_register_requires_every_field(api_client):
    response = api_client.post(REGISTER, {})

    assert response.status_code == 400
    assert set(response.data) == {"username", "email", "password", "phone_number"}


@pytest.mark.django_db
def test_register_refuses_a_number_an_active_account_has(api_client):
    UserProfileFactory(phone_number=PHONE)

    response = api_client.post(REGISTER, SIGNUP)

    assert response.status_code == 400
    assert response.data == {"phone_number": ["An account with this phone number already exists."]}


@pytest.mark.django_db
def test_register_ignores_a_stale_bearer_token(api_client):
    response = bearer(api_client, "not-a-jwt").post(REGISTER, SIGNUP)

    assert response.status_code == 201


@pytest.mark.django_db
def test_register_says_clearly_when_the_sms_cannot_be_sent(api_client, failing_sms):
    response = api_client.post(REGISTER, SIGNUP)

    assert response.status_code == 503
    assert response.data == {
        "detail": "The text message could not be sent. Nothing was saved; please try again."
    }
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_through_twilio_when_twilio_fails(api_client, settings, caplog):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "token"
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    url = f"https://api.twilio.com/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages.json"
    with responses.RequestsMock() as mocked:
        mocked.post(url, json={"code": 20500, "message": "Internal Server Error"}, status=500)
        response = api_client.post(REGISTER, SIGNUP)

    assert response.status_code == 503
    assert not User.objects.exists()
    assert not OtpCode.objects.open().exists()
    assert "Twilio refused the SMS" in caplog.text


@pytest.mark.django_db
def test_register_again_too_soon_is_429_with_retry_after(api_client, clock):
    assert api_client.post(REGISTER, SIGNUP).status_code == 201
    clock.shift(20)

    response = api_client.post(REGISTER, SIGNUP)

    assert response.status_code == 429
    assert response["Retry-After"] == "40"


@pytest.mark.django_db
def test_verify_answers_the_same_for_an_unknown_number_and_a_wrong_code(api_client):
    api_client.post(REGISTER, SIGNUP)
    code = last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    unknown = api_client.post(VERIFY, {"phone_number": "+14155550999", "code": code})
    mistaken = api_client.post(VERIFY, {"phone_number": PHONE, "code": wrong})

    assert unknown.status_code == mistaken.status_code == 400
    assert unknown.data == mistaken.data == {"code": ["The code is invalid or has expired."]}


@pytest.mark.django_db
def test_resend_answers_the_same_whether_or_not_the_number_is_known(api_client, clock, sms_outbox):
    PendingProfileFactory(phone_number=PHONE)
    UserProfileFactory(phone_number="+14155550177")

    known = api_client.post(RESEND, {"phone_number": PHONE})
    unknown = api_client.post(RESEND, {"phone_number": "+14155550999"})
    verified = api_client.post(RESEND, {"phone_number": "+14155550177"})
    too_soon = api_client.post(RESEND, {"phone_number": PHONE})

    assert {r.status_code for r in (known, unknown, verified, too_soon)} == {202}
    assert known.data == unknown.data == verified.data == too_soon.data
    assert [message.to for message in sms_outbox] == [PHONE]


@pytest.mark.django_db
def test_resend_of_a_malformed_number_is_a_field_error(api_client):
    response = api_client.post(RESEND, {"phone_number": "call me"})

    assert response.status_code == 400
    assert "phone_number" in response.data


@pytest.mark.django_db
def test_resend_says_clearly_when_the_sms_cannot_be_sent(api_client, failing_sms):
    PendingProfileFactory(phone_number=PHONE)

    response = api_client.post(RESEND, {"phone_number": PHONE})

    assert response.status_code == 503


@pytest.mark.django_db
def test_login_gives_one_401_for_wrong_password_unknown_user_and_inactive_user(api_client):
    UserFactory(username="active")
    UserFactory(username="dormant", is_active=False)

    answers = [
        api_client.post(LOGIN, {"username": "active", "password": "wrong password"}),
        api_client.post(LOGIN, {"username": "nobody", "password": PASSWORD}),
        api_client.post(LOGIN, {"username": "dormant", "password": PASSWORD}),
    ]

    assert {answer.status_code for answer in answers} == {401}
    assert len({str(answer.data) for answer in answers}) == 1


@pytest.mark.django_db
def test_login_without_fields_is_400(api_client):
    response = api_client.post(LOGIN, {})

    assert response.status_code == 400
    assert set(response.data) == {"username", "password"}


@pytest.mark.django_db
def test_token_lifetimes_are_15_minutes_and_7_days_by_default(api_client):
    from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

    UserFactory(username="active")
    login = api_client.post(LOGIN, {"username": "active", "password": PASSWORD}).data

    access, refresh = AccessToken(login["access"]), RefreshToken(login["refresh"])
    assert access["exp"] - access["iat"] == 15 * 60
    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600


@pytest.mark.django_db
def test_an_expired_access_token_is_refused(api_client, clock):
    UserFactory(username="active")
    login = api_client.post(LOGIN, {"username": "active", "password": PASSWORD}).data
    clock.shift(15 * 60 + 1)

    assert bearer(api_client, login["access"]).get(ME).status_code == 401


@pytest.mark.django_db
def test_refresh_refuses_a_deactivated_or_deleted_account(api_client):
    user = UserFactory(username="active")
    login = api_client.post(LOGIN, {"username": "active", "password": PASSWORD}).data
    user.is_active = False
    user.save()
    assert api_client.post(REFRESH, {"refresh": login["refresh"]}).status_code == 401

    user.delete()
    assert api_client.post(REFRESH, {"refresh": login["refresh"]}).status_code == 401


@pytest.mark.django_db
def test_refresh_refuses_garbage(api_client):
    assert api_client.post(REFRESH, {"refresh": "garbage"}).status_code == 401
    assert api_client.post(REFRESH, {}).status_code == 400


@pytest.mark.django_db
def test_logout_needs_a_login(api_client):
    assert api_client.post(LOGOUT, {"refresh": "x"}).status_code == 401


@pytest.mark.django_db
def test_logout_refuses_a_bad_token_or_someone_elses(api_client):
    UserFactory(username="one")
    UserFactory(username="two")
    one = api_client.post(LOGIN, {"username": "one", "password": PASSWORD}).data
    two = api_client.post(LOGIN, {"username": "two", "password": PASSWORD}).data
    bearer(api_client, one["access"])

    assert api_client.post(LOGOUT, {"refresh": "garbage"}).status_code == 400
    foreign = api_client.post(LOGOUT, {"refresh": two["refresh"]})
    assert foreign.status_code == 400
    assert "refresh" in foreign.data
    assert api_client.post(REFRESH, {"refresh": two["refresh"]}).status_code == 200


@pytest.mark.django_db
def test_logout_with_a_session_needs_the_csrf_token(user):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    login = APIClient().post(LOGIN, {"username": "alice", "password": "correct horse battery"})

    assert client.post(LOGOUT, {"refresh": login.data["refresh"]}).status_code == 403


def _reset_values(message) -> tuple[str, str]:
    uid = re.search(r"uid: (\S+)", message.body).group(1)
    token = re.search(r"token: (\S+)", message.body).group(1)
    return uid, token


@pytest.mark.django_db
def test_password_reset_by_email_over_the_api(api_client, django_capture_on_commit_callbacks):
    UserFactory(username="active", email="active@example.com")
    old = api_client.post(LOGIN, {"username": "active", "password": PASSWORD}).data

    with django_capture_on_commit_callbacks(execute=True):
        asked = api_client.post(RESET, {"email": "ACTIVE@example.com"})
    assert asked.status_code == 202
    [message] = mail.outbox
    assert message.to == ["active@example.com"]
    uid, token = _reset_values(message)

    new_password = "an entirely new passphrase 9"
    done = api_client.post(
        RESET_CONFIRM, {"uid": uid, "token": token, "new_password": new_password}
    )
    assert done.status_code == 200, done.data

    assert api_client.post(LOGIN, {"username": "active", "password": PASSWORD}).status_code == 401
    assert (
        api_client.post(LOGIN, {"username": "active", "password": new_password}).status_code == 200
    )
    assert api_client.post(REFRESH, {"refresh": old["refresh"]}).status_code == 401
    again = api_client.post(
        RESET_CONFIRM, {"uid": uid, "token": token, "new_password": "yet another passphrase 3"}
    )
    assert again.status_code == 400
    assert "token" in again.data


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_unknown_and_inactive_addresses(
    api_client, django_capture_on_commit_callbacks
):
    UserFactory(username="active", email="active@example.com")
    UserFactory(username="dormant", email="dormant@example.com", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            api_client.post(RESET, {"email": address})
            for address in ("active@example.com", "nobody@example.com", "dormant@example.com")
        ]

    assert {answer.status_code for answer in answers} == {202}
    assert len({str(answer.data) for answer in answers}) == 1
    assert [message.to for message in mail.outbox] == [["active@example.com"]]


@pytest.mark.django_db
def test_password_reset_refuses_a_bad_link_and_a_weak_password(
    api_client, django_capture_on_commit_callbacks
):
    UserFactory(username="active", email="active@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(RESET, {"email": "active@example.com"})
    uid, token = _reset_values(mail.outbox[0])

    bad_token = api_client.post(
        RESET_CONFIRM, {"uid": uid, "token": "1-abc", "new_password": "a fine passphrase 77"}
    )
    bad_uid = api_client.post(
        RESET_CONFIRM, {"uid": "!!", "token": token, "new_password": "a fine passphrase 77"}
    )
    weak = api_client.post(RESET_CONFIRM, {"uid": uid, "token": token, "new_password": "123"})

    assert (bad_token.status_code, bad_uid.status_code, weak.status_code) == (400, 400, 400)
    assert (
        bad_token.data
        == bad_uid.data
        == {"token": ["The password reset link is invalid or has expired."]}
    )
    assert "new_password" in weak.data


@pytest.mark.django_db
def test_the_api_schema_documents_the_accounts_endpoints(api_client):
    response = api_client.get("/swagger.json", {"format": "openapi"})

    assert response.status_code == 200
    schema = response.json()
    base = schema.get("basePath", "/").rstrip("/")
    paths = {base + path: operations for path, operations in schema["paths"].items()}
    for path in (
        "/api/users/register/",
        "/api/users/otp/verify/",
        "/api/users/otp/resend/",
        "/api/users/login/",
        "/api/users/token/refresh/",
        "/api/users/logout/",
        "/api/users/profiles/",
        "/api/users/profiles/{id}/",
        "/api/users/profiles/me/",
        "/api/users/profiles/me/favorites/{movie_id}/",
        "/api/users/profiles/me/watched/{movie_id}/",
        "/api/users/password/reset/",
        "/api/users/password/reset/confirm/",
    ):
        assert path in paths, path
    assert "201" in paths["/api/users/register/"]["post"]["responses"]


def test_profiles_are_stored_in_e164(db):
    profile = UserProfileFactory(phone_number="+1 415 555 0100")

    assert UserProfile.objects.filter(phone_number="+14155550100").get() == profile
