"""Request ids, the per-request log line, the JSON format and the no-secrets rule."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from django.core import mail
from django.db import connection

from ops.logging import JsonFormatter, redact

PASSWORD = "Tangerine-Lighthouse-47!"
PHONE = "+14155550188"


@pytest.fixture
def console_log(settings):
    """Everything the configured console handler writes (filters included), at DEBUG."""
    root = logging.getLogger()
    [handler] = [h for h in root.handlers if h.get_name() == "console"]
    stream = io.StringIO()
    old_stream = handler.setStream(stream)
    old_formatter = handler.formatter
    handler.setFormatter(JsonFormatter())
    levels = {}
    for name in ("", "django", "django.request", "django.db.backends", "users", "ops", "celery"):
        logger = logging.getLogger(name)
        levels[name] = logger.level
        logger.setLevel(logging.DEBUG)
    settings.LOG_REQUESTS = True
    yield stream
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    handler.setFormatter(old_formatter)
    handler.setStream(old_stream)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]


def _request_lines(stream: io.StringIO) -> list[dict]:
    return [line for line in _lines(stream) if line["logger"] == "ops.request"]


# --------------------------------------------------------------------------- request ids


def test_a_sane_request_id_is_kept_and_returned(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42_x")
    assert response["X-Request-ID"] == "lb-7f3a.42_x"


@pytest.mark.parametrize(
    "given", ["", "has space", "x" * 65, "semi;colon", "new\nline", "ünïcode", "<script>"]
)
def test_an_insane_request_id_is_replaced(client, given):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client, api_client, admin_user):
    responses = [
        client.get("/"),  # a page
        client.get("/api/movies/"),  # the API
        client.get("/api/movies/abc/"),  # a 404
        client.get("/accounts/lists/"),  # a redirect to the login page
        api_client.post("/api/movies/", {"title": "x"}),  # a 401
        client.post("/graphql/", {"query": "{ allGenres { totalCount } }"}, "application/json"),
    ]
    ids = [response["X-Request-ID"] for response in responses]
    assert all(re.fullmatch(r"[0-9a-f]{32}", value) for value in ids)
    assert len(set(ids)) == len(ids)


@pytest.mark.django_db
def test_one_json_line_per_request_with_who_and_how_long(api_client, console_log, admin_user):
    api_client.force_authenticate(admin_user)
    api_client.get("/api/movies/?page=1", HTTP_X_REQUEST_ID="req-123")
    api_client.force_authenticate(None)
    api_client.get("/api/movies/999/", HTTP_X_REQUEST_ID="req-456")

    first, second = _request_lines(console_log)
    assert first["method"] == "GET"
    assert first["path"] == "/api/movies/"  # no query string
    assert first["status"] == 200
    assert first["user_id"] == admin_user.pk
    assert first["request_id"] == "req-123"
    assert isinstance(first["duration_ms"], float)
    assert (second["status"], second["user_id"], second["request_id"]) == (404, None, "req-456")


def test_no_request_lines_unless_asked(client, settings, caplog):
    settings.LOG_REQUESTS = False
    with caplog.at_level(logging.INFO, logger="ops.request"):
        client.get("/healthz")
        client.get("/no-such-page/")
    assert [r for r in caplog.records if r.name == "ops.request"] == []


@pytest.mark.django_db
def test_a_reset_links_token_never_reaches_the_request_log(client, console_log):
    client.get("/accounts/password/reset/MTIz/c3k2ab-0123456789abcdef0123/")

    [line] = _request_lines(console_log)
    assert "MTIz" not in line["path"]
    assert "c3k2ab" not in line["path"]
    assert line["path"].startswith("/accounts/password/reset/")


def test_other_log_lines_carry_the_request_id(client, console_log):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-me")
    not_found = [line for line in _lines(console_log) if line["logger"] == "django.request"]
    assert not_found
    assert not_found[0]["request_id"] == "trace-me"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("password=hunter2&x=1", "hunter2"),
        ('{"refresh": "abc.def.ghi"}', "abc.def.ghi"),
        ("Authorization: Bearer abcdefghijklmnop", "abcdefghijklmnop"),
        (
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "SflKx",
        ),
        ("code: 482913", "482913"),
        ("'new_password1': 'S3cret!'", "S3cret!"),
    ],
)
def test_redact_hides_secret_values(text, secret):
    assert secret not in redact(text)
    assert "[redacted]" in redact(text)


def test_redact_leaves_ordinary_words_alone():
    text = "GET /api/movies/ 200 status_code=200 passcode_hint=none user=carol"
    assert redact(text) == text


# --------------------------------------------------------------------------- no secrets


@pytest.mark.django_db(transaction=True)
def test_no_secret_reaches_the_logs_of_a_whole_account_journey(client, console_log, sms_outbox):
    """Register (SMS code), a wrong code, verify, a wrong password, log in, refresh, use the
    token, reset the password by email, and log in on the pages; then grep every log line."""
    connection.force_debug_cursor = True  # SQL with its parameters too
    try:
        api = "/api/users/"
        post = lambda path, data, **extra: client.post(  # noqa: E731
            path, data, content_type="application/json", **extra
        )
        registered = post(
            f"{api}register/",
            {
                "username": "dora",
                "email": "dora@example.com",
                "password": PASSWORD,
                "phone_number": PHONE,
            },
        )
        assert registered.status_code == 201, registered.content
        code = re.search(r"\b(\d{6})\b", sms_outbox[-1].body).group(1)
        wrong_code = "000000" if code != "000000" else "111111"
        assert (
            post(f"{api}otp/verify/", {"phone_number": PHONE, "code": wrong_code}).status_code
            == 400
        )
        assert post(f"{api}otp/verify/", {"phone_number": PHONE, "code": code}).status_code == 200
        assert (
            post(f"{api}login/", {"username": "dora", "password": PASSWORD + "x"}).status_code
            == 401
        )
        login = post(f"{api}login/", {"username": "dora", "password": PASSWORD}).json()
        refreshed = post(f"{api}token/refresh/", {"refresh": login["refresh"]}).json()
        assert post(f"{api}token/refresh/", {"refresh": login["refresh"]}).status_code == 401
        me = client.get(f"{api}profiles/me/", HTTP_AUTHORIZATION=f"Bearer {refreshed['access']}")
        assert me.status_code == 200
        assert post(f"{api}password/reset/", {"email": "dora@example.com"}).status_code == 202
        body = mail.outbox[-1].body
        uid = re.search(r"uid: (\S+)", body).group(1)
        reset_token = re.search(r"token: (\S+)", body).group(1)
        new_password = "Quartz-Meadow-91?"
        confirmed = post(
            f"{api}password/reset/confirm/",
            {"uid": uid, "token": reset_token, "new_password": new_password},
        )
        assert confirmed.status_code == 200, confirmed.content
        page = client.post(
            "/accounts/login/", {"username": "dora", "password": new_password}, follow=True
        )
        assert page.status_code == 200
    finally:
        connection.force_debug_cursor = False

    logged = console_log.getvalue()
    assert len(_request_lines(console_log)) >= 12  # the capture saw the journey
    assert "INSERT" in logged  # and the SQL
    secrets = {
        "password": PASSWORD,
        "new password": new_password,
        "sms code": code,
        "access": login["access"],
        "refresh": login["refresh"],
        "rotated access": refreshed["access"],
        "rotated refresh": refreshed["refresh"],
        "reset token": reset_token,
    }
    # A JWT's signature is the part that must never leak, even if its header does.
    for what in ("access", "refresh", "rotated access", "rotated refresh"):
        secrets[f"{what} signature"] = secrets[what].rsplit(".", 1)[1]
    leaked = {
        what: next(line for line in logged.splitlines() if value in line)[:300]
        for what, value in secrets.items()
        if value in logged
    }
    assert leaked == {}, "secrets found in the logs"
