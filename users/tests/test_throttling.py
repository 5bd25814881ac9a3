"""Scoped rate limits on the public account endpoints: 429 with Retry-After, and the
client address read through the configured number of trusted proxies only."""

from __future__ import annotations

import pytest

from .factories import PASSWORD

ENDPOINTS = [
    ("login", "/api/users/login/", {"username": "nobody", "password": "wrong"}),
    (
        "register",
        "/api/users/register/",
        {"username": "x y", "email": "bad", "password": PASSWORD, "phone_number": "1"},
    ),
    ("otp_verify", "/api/users/otp/verify/", {"phone_number": "+14155550123", "code": "000000"}),
    ("otp_resend", "/api/users/otp/resend/", {"phone_number": "+14155550123"}),
    ("password_reset", "/api/users/password/reset/", {"email": "nobody@example.com"}),
]


@pytest.fixture
def rates(settings):
    """Two requests a minute on every scope, and the proxy count to set per test."""

    def _rates(num_proxies: int = 0):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "NUM_PROXIES": num_proxies,
            "DEFAULT_THROTTLE_RATES": dict.fromkeys(
                ("login", "register", "otp_verify", "otp_resend", "password_reset"), "2/min"
            ),
        }

    return _rates


@pytest.mark.django_db
@pytest.mark.parametrize(("scope", "url", "body"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_each_public_endpoint_answers_429_with_retry_after(
    api_client, rates, clock, scope, url, body
):
    rates()
    first = api_client.post(url, body)
    assert first.status_code != 429
    api_client.post(url, body)
    clock.shift(15)

    limited = api_client.post(url, body)

    assert limited.status_code == 429
    assert set(limited.data) == {"detail"}
    assert limited["Retry-After"] == "45"


@pytest.mark.django_db
def test_the_limit_lifts_once_the_window_has_passed(api_client, rates, clock):
    rates()
    url, body = ENDPOINTS[0][1:]
    for _ in range(2):
        api_client.post(url, body)
    assert api_client.post(url, body).status_code == 429

    clock.shift(60)

    assert api_client.post(url, body).status_code == 401


@pytest.mark.django_db
def test_scopes_are_counted_separately(api_client, rates):
    rates()
    for _ in range(2):
        api_client.post(*ENDPOINTS[0][1:])

    assert api_client.post(*ENDPOINTS[3][1:]).status_code == 202


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_get_round_the_limit_without_proxies(api_client, rates):
    rates(num_proxies=0)
    url, body = ENDPOINTS[0][1:]

    answers = [
        api_client.post(url, body, REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        for n in range(3)
    ]

    assert [answer.status_code for answer in answers] == [401, 401, 429]


@pytest.mark.django_db
def test_behind_one_proxy_only_the_address_it_saw_counts(api_client, rates):
    rates(num_proxies=1)
    url, body = ENDPOINTS[0][1:]

    def attempt(forwarded_for: str):
        return api_client.post(
            url, body, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    # The client forges the start of the header; our proxy appends the real address.
    forged = [attempt(f"1.2.3.{n}, 203.0.113.7") for n in range(3)]
    someone_else = attempt("203.0.113.8")

    assert forged == [401, 401, 429]
    assert someone_else == 401
