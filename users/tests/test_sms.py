"""SMS backends: chosen like EMAIL_BACKEND; console, file, locmem and Twilio."""

from __future__ import annotations

import io
import json
import logging
from urllib.parse import parse_qs

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from twilio.http import HttpClient
from twilio.http.response import Response as TwilioResponse

from users import sms
from users.sms import checks
from users.sms import console as console_backend
from users.sms import file as file_backend
from users.sms import locmem as locmem_backend
from users.sms import twilio as twilio_backend

SID = "AC" + "0" * 32
TOKEN = "twilio-auth-token"


class FakeTwilioHttp(HttpClient):
    """Records the requests the Twilio client makes and answers with a canned response."""

    def __init__(self, status: int = 201, body: dict | None = None, error: Exception | None = None):
        super().__init__(logger=logging.getLogger("fake-twilio"), is_async=False)
        self.status = status
        self.body = body if body is not None else {"sid": "SM" + "1" * 32, "status": "queued"}
        self.error = error
        self.requests: list[dict] = []

    def request(
        self,
        method,
        uri,
        params=None,
        data=None,
        headers=None,
        auth=None,
        timeout=None,
        allow_redirects=False,
    ):
        self.requests.append(
            {"method": method, "uri": uri, "data": data, "headers": headers, "auth": auth}
        )
        if self.error:
            raise self.error
        return TwilioResponse(self.status, json.dumps(self.body))


@pytest.fixture
def twilio_settings(settings):
    settings.TWILIO_ACCOUNT_SID = SID
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    return settings


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("console", console_backend),
        ("file", file_backend),
        ("locmem", locmem_backend),
        ("twilio", twilio_backend),
        ("LocMem", locmem_backend),
        ("users.sms.locmem.SmsBackend", locmem_backend),
    ],
)
def test_backends_are_chosen_by_short_name_or_dotted_path(name, module):
    assert sms.backend_class(name) is module.SmsBackend


def test_the_setting_chooses_the_backend(settings):
    settings.SMS_BACKEND = "console"

    assert isinstance(sms.get_backend(), console_backend.SmsBackend)


@pytest.mark.parametrize(
    "name", ["carrier-pigeon", "users.sms.nothing.Here", "users.models.OtpCode"]
)
def test_an_unknown_backend_is_a_configuration_error(name):
    with pytest.raises(ImproperlyConfigured):
        sms.backend_class(name)


def test_send_sms_goes_to_the_locmem_outbox(sms_outbox):
    sent = sms.send_sms("+14155550123", "Hello")

    assert sent == 1
    assert [(message.to, message.body) for message in sms_outbox] == [("+14155550123", "Hello")]


def test_the_console_backend_prints_the_number_and_text():
    stream = io.StringIO()

    sms.send_sms("+14155550123", "Your code", backend=sms.get_backend("console", stream=stream))

    assert "To: +14155550123" in stream.getvalue()
    assert "Your code" in stream.getvalue()


def test_the_file_backend_writes_one_file_per_message(settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    settings.SMS_BACKEND = "file"

    sms.send_sms("+14155550123", "first")
    sms.send_sms("+14155550124", "second")

    files = sorted((tmp_path / "sms").iterdir())
    assert len(files) == 2
    contents = sorted(path.read_text() for path in files)
    assert contents[0].startswith("To: +14155550123\n")
    assert contents[0].endswith("\n\nfirst\n")
    assert contents[1].startswith("To: +14155550124\n")
    assert contents[1].endswith("\n\nsecond\n")


def test_the_file_backend_reports_a_folder_it_cannot_write(settings, tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")
    settings.SMS_FILE_PATH = str(blocker / "inside")

    with pytest.raises(sms.SmsSendError):
        sms.send_sms("+14155550123", "text", backend=sms.get_backend("file"))


def test_fail_silently_turns_a_failure_into_zero_sent(settings, tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("x")
    backend = sms.get_backend("file", file_path=blocker / "inside", fail_silently=True)

    assert sms.send_sms("+14155550123", "text", backend=backend) == 0


def test_twilio_posts_the_message_to_the_messages_api(twilio_settings):
    http = FakeTwilioHttp()
    backend = sms.get_backend("twilio", http_client=http)
    message = sms.SmsMessage(to="+14155550123", body="Your code is 123456")

    assert backend.send_messages([message]) == 1

    [request] = http.requests
    assert request["method"] == "POST"
    assert request["uri"] == f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["auth"] == (SID, TOKEN)
    assert request["data"] == {
        "To": "+14155550123",
        "From": "+15005550006",
        "Body": "Your code is 123456",
    }
    assert message.provider_id == "SM" + "1" * 32


def test_twilio_can_send_from_a_messaging_service(twilio_settings):
    twilio_settings.TWILIO_FROM_NUMBER = "MG" + "2" * 32
    http = FakeTwilioHttp()

    sms.send_sms("+14155550123", "hi", backend=sms.get_backend("twilio", http_client=http))

    assert http.requests[0]["data"]["MessagingServiceSid"] == "MG" + "2" * 32
    assert "From" not in http.requests[0]["data"]


def test_a_twilio_refusal_is_logged_without_the_text_and_raised(twilio_settings, caplog):
    http = FakeTwilioHttp(
        status=400,
        body={"code": 21211, "message": "The 'To' number is not valid.", "status": 400},
    )
    backend = sms.get_backend("twilio", http_client=http)

    with caplog.at_level(logging.ERROR, logger="users.sms"), pytest.raises(sms.SmsSendError):
        sms.send_sms("+14155550123", "Your code is 654321", backend=backend)

    assert "21211" in caplog.text
    assert "654321" not in caplog.text
    assert "+14155550123" not in caplog.text  # the number is masked in logs


def test_a_twilio_network_failure_is_logged_and_raised(twilio_settings, caplog):
    http = FakeTwilioHttp(error=requests.ConnectionError("connection refused"))
    backend = sms.get_backend("twilio", http_client=http)

    with caplog.at_level(logging.ERROR, logger="users.sms"), pytest.raises(sms.SmsSendError):
        sms.send_sms("+14155550123", "text", backend=backend)

    assert "Could not reach Twilio" in caplog.text


def test_twilio_without_its_settings_is_a_configuration_error(settings):
    settings.TWILIO_ACCOUNT_SID = ""
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_FROM_NUMBER = ""

    with pytest.raises(ImproperlyConfigured, match="TWILIO_ACCOUNT_SID, TWILIO_FROM_NUMBER"):
        sms.get_backend("twilio")


def test_the_system_check_reports_missing_twilio_settings(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = ""

    assert [error.id for error in checks.check_sms_backend()] == ["users.E002"]


def test_the_system_check_reports_an_unknown_backend(settings):
    settings.SMS_BACKEND = "nope"

    assert [error.id for error in checks.check_sms_backend()] == ["users.E001"]


def test_the_system_check_passes_a_working_configuration(settings, twilio_settings):
    settings.SMS_BACKEND = "twilio"

    assert checks.check_sms_backend() == []


def test_the_real_twilio_http_client_sends_the_same_request(twilio_settings, settings):
    """Through the ``requests`` transport the twilio package really uses."""
    import responses

    settings.SMS_BACKEND = "twilio"
    url = f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json"
    with responses.RequestsMock() as mocked:
        mocked.post(url, json={"sid": "SM" + "3" * 32, "status": "queued"}, status=201)
        sms.send_sms("+14155550123", "Your code is 111222")
        body = parse_qs(mocked.calls[0].request.body)

    assert body == {
        "To": ["+14155550123"],
        "From": ["+15005550006"],
        "Body": ["Your code is 111222"],
    }
