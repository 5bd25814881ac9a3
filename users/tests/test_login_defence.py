"""Login defence in one place (``users.login_defence``): the API, site and admin logins
share one throttle per client and one lockout per account, with a cool-down; a locked
account gets exactly the answer of a wrong password."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from .factories import PASSWORD, PendingProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

API_LOGIN = "/api/users/login/"
SITE_LOGIN = reverse("users:login")
ADMIN_LOGIN = reverse("admin:login")
WRONG = "not the password"
SITE_WRONG_MESSAGE = "Please enter a correct username and password."


@pytest.fixture
def login_rate(settings):
    def _rate(rate: str) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "login": rate,
            },
        }

    return _rate


@pytest.fixture
def lockout(settings, login_rate):
    """Three failures lock an account for 15 minutes; the throttle out of the way."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    login_rate("1000/min")


@pytest.fixture
def staff():
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


def api_login(username: str, password: str, ip: str = "198.51.100.1"):
    return APIClient().post(API_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def site_login(username: str, password: str, ip: str = "198.51.100.1"):
    browser = Client(REMOTE_ADDR=ip)
    response = browser.post(SITE_LOGIN, {"username": username, "password": password})
    return response, browser


def admin_login(username: str, password: str, ip: str = "198.51.100.1"):
    browser = Client(REMOTE_ADDR=ip)
    response = browser.post(
        ADMIN_LOGIN, {"username": username, "password": password, "next": "/admin/"}
    )
    return response, browser


def logged_in(browser: Client) -> bool:
    return SESSION_KEY in browser.session


# --- the throttle ----------------------------------------------------------------------------


def test_the_admin_login_is_throttled(staff, login_rate):
    login_rate("3/min")
    for _ in range(3):
        response, _browser = admin_login("boss", WRONG)
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    response, browser = admin_login("boss", PASSWORD)

    assert response.status_code == 200
    assert "Too many attempts. Please wait" in response.content.decode()
    assert not logged_in(browser)


def test_the_three_logins_share_one_throttle(login_rate):
    login_rate("3/min")
    UserFactory(username="member")
    assert api_login("member", WRONG).status_code == 401
    assert site_login("member", WRONG)[0].status_code == 200
    assert admin_login("member", WRONG)[0].status_code == 200

    api = api_login("member", PASSWORD)
    site, browser = site_login("member", PASSWORD)
    admin, _ = admin_login("member", PASSWORD)

    assert api.status_code == 429
    assert "Retry-After" in api
    assert site.status_code == 429
    assert "Too many attempts. Please wait" in site.content.decode()
    assert not logged_in(browser)
    assert "Too many attempts. Please wait" in admin.content.decode()


def test_another_client_keeps_its_own_budget(login_rate):
    login_rate("2/min")
    UserFactory(username="member")
    for _ in range(2):
        api_login("member", WRONG, ip="198.51.100.1")
    assert api_login("member", WRONG, ip="198.51.100.1").status_code == 429

    assert api_login("member", PASSWORD, ip="203.0.113.5").status_code == 200


# --- the lockout -----------------------------------------------------------------------------


def test_failures_on_the_three_logins_lock_the_account_from_any_address(lockout, staff):
    UserFactory(username="member")
    wrong_api = api_login("member", WRONG, ip="198.51.100.1")
    site_login("member", WRONG, ip="198.51.100.2")
    admin_login("member", WRONG, ip="198.51.100.3")

    api = api_login("member", PASSWORD, ip="203.0.113.9")
    site, browser = site_login("member", PASSWORD, ip="203.0.113.9")

    assert api.status_code == 401
    assert api.json() == wrong_api.json()
    assert site.status_code == 200
    assert SITE_WRONG_MESSAGE in site.content.decode()
    assert not logged_in(browser)
    # another account is not affected
    assert api_login("boss", PASSWORD, ip="198.51.100.1").status_code == 200


def test_a_locked_admin_gets_the_wrong_password_answer_on_the_admin(lockout, staff):
    for _ in range(3):
        admin_login("boss", WRONG)

    response, browser = admin_login("boss", PASSWORD)

    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
    assert not logged_in(browser)


def test_a_locked_account_and_a_wrong_password_look_the_same_on_the_site(lockout):
    UserFactory(username="member")
    UserFactory(username="other")
    for _ in range(3):
        site_login("member", WRONG)

    locked, _ = site_login("member", PASSWORD)
    wrong, _ = site_login("other", WRONG)

    assert locked.status_code == wrong.status_code == 200
    assert SITE_WRONG_MESSAGE in locked.content.decode()
    assert SITE_WRONG_MESSAGE in wrong.content.decode()


def test_the_lockout_ignores_the_case_of_the_username(lockout):
    UserFactory(username="member")
    for name in ("Member", "MEMBER", "member"):
        api_login(name, WRONG)

    assert api_login("member", PASSWORD).status_code == 401


def test_the_lock_lifts_after_the_cool_down(lockout, time_machine):
    time_machine.move_to("2026-03-01T12:00:00Z", tick=False)
    UserFactory(username="member")
    for _ in range(3):
        api_login("member", WRONG)
    assert api_login("member", PASSWORD).status_code == 401

    time_machine.shift(timedelta(minutes=14))
    assert api_login("member", PASSWORD).status_code == 401

    time_machine.shift(timedelta(minutes=1, seconds=1))
    assert api_login("member", PASSWORD).status_code == 200


def test_a_successful_login_clears_the_failures(lockout):
    UserFactory(username="member")
    for _ in range(2):
        api_login("member", WRONG)
    assert api_login("member", PASSWORD).status_code == 200

    for _ in range(2):
        api_login("member", WRONG)

    assert api_login("member", PASSWORD).status_code == 200


def test_a_locked_pending_registration_is_not_revealed_by_the_right_password(lockout):
    PendingProfileFactory(user__username="pending")
    for _ in range(3):
        site_login("pending", WRONG)

    response, _ = site_login("pending", PASSWORD)

    assert response.status_code == 200
    assert SITE_WRONG_MESSAGE in response.content.decode()


def test_an_api_login_records_last_login():
    member = UserFactory(username="member")
    assert member.last_login is None

    assert api_login("member", PASSWORD).status_code == 200

    member.refresh_from_db()
    assert member.last_login is not None


def test_the_shared_throttle_reads_the_address_through_the_trusted_proxies(settings, login_rate):
    login_rate("2/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    UserFactory(username="member")

    def admin_attempt(forwarded_for: str):
        browser = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)
        response = browser.post(ADMIN_LOGIN, {"username": "member", "password": WRONG})
        return "Too many attempts" in response.content.decode()

    # The client forges the start of the header; our one proxy appends the real address.
    limited = [admin_attempt(f"1.2.3.{n}, 203.0.113.7") for n in range(3)]
    someone_else = admin_attempt("203.0.113.8")

    assert limited == [False, False, True]
    assert someone_else is False


def test_the_lockout_records_the_address_the_throttles_see(lockout, settings):
    from axes.models import AccessAttempt

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    UserFactory(username="member")

    APIClient().post(
        API_LOGIN,
        {"username": "member", "password": WRONG},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7",
    )

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]
