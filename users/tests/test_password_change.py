"""Every way a password changes ends the account's refresh tokens and other sessions
(``services.password_change``): the site's change and reset pages, the API's reset,
the admin's password form and ``manage.py changepassword``. The browser that made the
change stays logged in."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new secret 42"
LOGIN_API = "/api/users/login/"
REFRESH = "/api/users/token/refresh/"


@pytest.fixture(autouse=True)
def _queued_email_goes_at_once(monkeypatch):
    """Emails are queued once the transaction commits (ops.queue); the test's own
    transaction never commits, so here they go as soon as they are queued."""
    monkeypatch.setattr(
        "ops.queue.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def member():
    return UserFactory(username="member", email="member@example.com")


def refresh_token(username: str = "member") -> str:
    response = APIClient().post(LOGIN_API, {"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.data
    return response.data["refresh"]


def refresh_status(token: str) -> int:
    return APIClient().post(REFRESH, {"refresh": token}).status_code


def logged_in(client: Client) -> bool:
    """Whether the session still authenticates (Django checks the password hash)."""
    return client.get(reverse("users:password_change")).status_code == 200


def session_for(user) -> Client:
    browser = Client()
    browser.force_login(user)
    assert logged_in(browser)
    return browser


def test_a_site_password_change_revokes_tokens_and_other_sessions(member):
    token = refresh_token()
    other_browser = session_for(member)
    browser = session_for(member)

    response = browser.post(
        reverse("users:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert refresh_status(token) == 401
    assert not logged_in(other_browser)
    assert logged_in(browser)
    assert int(browser.session[SESSION_KEY]) == member.pk


def test_a_site_password_reset_revokes_tokens_and_sessions(member):
    token = refresh_token()
    other_browser = session_for(member)
    browser = Client()
    browser.post(reverse("users:password_reset"), {"email": member.email})
    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", message.body)[1]
    set_password_url = browser.get(link, follow=True).redirect_chain[-1][0]

    response = browser.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("users:password_reset_complete")
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert refresh_status(token) == 401
    assert not logged_in(other_browser)


def test_a_site_reset_refuses_a_weak_password_on_the_form(member):
    browser = Client()
    browser.post(reverse("users:password_reset"), {"email": member.email})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", mail.outbox[0].body)[
        1
    ]
    set_password_url = browser.get(link, follow=True).redirect_chain[-1][0]

    response = browser.post(set_password_url, {"new_password1": "123", "new_password2": "123"})

    assert response.status_code == 200
    assert "This password is too short." in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_an_api_password_reset_revokes_tokens_and_sessions(member):
    token = refresh_token()
    other_browser = session_for(member)
    api = APIClient()
    api.post("/api/users/password/reset/", {"email": member.email})
    body = mail.outbox[0].body
    uid = re.search(r"uid: (\S+)", body)[1]
    reset_token = re.search(r"token: (\S+)", body)[1]

    response = api.post(
        "/api/users/password/reset/confirm/",
        {"uid": uid, "token": reset_token, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert refresh_status(token) == 401
    assert not logged_in(other_browser)


@pytest.fixture
def boss():
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    ("data", "usable"),
    [
        ({"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}, True),
        ({"usable_password": "false", "unset-password": "1"}, False),
    ],
    ids=["new-password", "password-disabled"],
)
def test_the_admin_password_form_revokes_tokens_and_sessions(member, boss, data, usable):
    token = refresh_token()
    boss_token = refresh_token("boss")
    member_browser = session_for(member)
    admin_browser = session_for(boss)

    response = admin_browser.post(
        reverse("admin:auth_user_password_change", args=[member.pk]), data
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.has_usable_password() is usable
    assert refresh_status(token) == 401
    assert not logged_in(member_browser)
    assert logged_in(admin_browser)
    assert refresh_status(boss_token) == 200  # only the changed account's tokens go


def test_a_member_cannot_use_the_admin_password_form(member):
    other = UserFactory(username="other")
    token = refresh_token("other")
    browser = session_for(member)

    response = browser.post(
        reverse("admin:auth_user_password_change", args=[other.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    other.refresh_from_db()
    assert other.check_password(PASSWORD)
    assert refresh_status(token) == 200


def test_a_change_leaves_other_accounts_tokens_alone(member):
    UserFactory(username="other")
    other_token = refresh_token("other")
    browser = session_for(member)

    browser.post(
        reverse("users:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert refresh_status(other_token) == 200


def test_an_anonymous_visitor_cannot_change_a_password(member):
    token = refresh_token()

    response = Client().post(
        reverse("users:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    assert refresh_status(token) == 200


def test_an_admin_changing_their_own_password_stays_logged_in(boss):
    token = refresh_token("boss")
    admin_browser = session_for(boss)

    admin_browser.post(
        reverse("admin:auth_user_password_change", args=[boss.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert refresh_status(token) == 401
    assert logged_in(admin_browser)


def test_manage_py_changepassword_revokes_tokens_and_sessions(member, monkeypatch):
    token = refresh_token()
    member_browser = session_for(member)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)

    call_command("changepassword", "member", stdout=None)

    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert refresh_status(token) == 401
    assert not logged_in(member_browser)


def test_manage_py_changepassword_still_validates(member, monkeypatch):
    from django.core.management.base import CommandError

    token = refresh_token()
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "123")

    with pytest.raises(CommandError, match="after 3 attempts"):
        call_command("changepassword", "member")

    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    assert refresh_status(token) == 200


def test_a_token_issued_after_the_change_works(member):
    browser = session_for(member)
    browser.post(
        reverse("users:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    response = APIClient().post(LOGIN_API, {"username": "member", "password": NEW_PASSWORD})

    assert refresh_status(response.data["refresh"]) == 200
