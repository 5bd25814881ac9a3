"""Issue 17, item 3: no request body gives a 500.

Deep nesting, invalid UTF-8, huge numbers, too many fields or files and over-large
bodies are a JSON 400 (413 for a body over the size cap) under /api/ and /graphql/,
and Django's HTML 400 on the pages.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000
DEEP_LOGIN = '{"username": ' + DEEP + ', "password": "x"}'
# Deep enough to pass Python's recursion limit but not the parser's: still refused.
MODERATE = "[" * 200 + "]" * 200

JSON_ENDPOINTS = [
    "/api/users/login/",
    "/api/users/register/",
    "/api/support/tickets/",
    "/api/movies/",
]


@pytest.fixture
def client_500() -> Client:
    """A client that returns the 500 response instead of raising the exception."""
    return Client(raise_request_exception=False)


def _json_400(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
def test_deeply_nested_json_is_a_json_400(client_500, admin_user, path):
    client_500.force_login(admin_user)

    response = client_500.post(path, DEEP_LOGIN, content_type="application/json")

    assert "nested" in _json_400(response)["detail"]


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
def test_json_nested_past_the_depth_cap_is_a_json_400(client_500, admin_user, path):
    client_500.force_login(admin_user)
    body = '{"username": ' + MODERATE + ', "password": "x"}'

    response = client_500.post(path, body, content_type="application/json")

    assert "nested" in _json_400(response)["detail"]


def test_anonymous_login_with_deep_nesting_is_a_json_400(client_500):
    response = client_500.post("/api/users/login/", DEEP_LOGIN, content_type="application/json")

    _json_400(response)


def test_invalid_utf8_is_a_json_400(client_500):
    response = client_500.post(
        "/api/users/login/",
        b'{"username": "\xff\xfe", "password": "x"}',
        content_type="application/json",
    )

    assert "JSON parse error" in _json_400(response)["detail"]


def test_a_number_with_thousands_of_digits_is_a_json_400(client_500):
    body = '{"username": ' + "9" * 10_000 + ', "password": "x"}'

    response = client_500.post("/api/users/login/", body, content_type="application/json")

    _json_400(response)


def test_a_huge_rating_is_a_400_naming_the_field(client_500, admin_user):
    client_500.force_login(admin_user)

    response = client_500.post(
        "/api/movies/", '{"title": "T", "rating": 1e400}', content_type="application/json"
    )

    assert "rating" in _json_400(response)


def test_a_50_mb_body_is_refused_before_it_is_parsed(client_500):
    body = b'{"username": "' + b"a" * (50 * 1024 * 1024) + b'", "password": "x"}'

    response = client_500.post("/api/users/login/", body, content_type="application/json")

    assert "too large" in _json_400(response, 413)["detail"]


def test_the_declared_length_is_checked_before_reading(client_500, settings):
    settings.API_MAX_BODY_BYTES = 100
    body = '{"username": "' + "a" * 200 + '", "password": "x"}'

    response = client_500.post("/api/users/login/", body, content_type="application/json")

    assert _json_400(response, 413) == {
        "detail": "Request body too large: at most 100 bytes are accepted here."
    }


def test_the_streamed_size_is_checked_when_the_length_lies(settings):
    """A body longer than its Content-Length cannot slip more than the cap through."""
    from io import BytesIO

    from rest_framework.exceptions import APIException
    from rest_framework.test import APIRequestFactory

    from core.request_limits import JSONParser

    settings.API_MAX_BODY_BYTES = 10
    request = APIRequestFactory().post("/api/users/login/", {}, format="json")
    request.META["CONTENT_LENGTH"] = "5"
    with pytest.raises(APIException) as excinfo:
        JSONParser().parse(BytesIO(b'{"a": "0123456789"}'), parser_context={"request": request})
    assert excinfo.value.status_code == 413


def test_a_body_under_the_cap_still_works(client, user):
    response = client.post(
        "/api/users/login/",
        {"username": "alice", "password": "correct horse battery"},
        content_type="application/json",
    )

    assert response.status_code == 200


def test_a_form_body_over_the_cap_is_413(client_500, settings):
    settings.API_MAX_BODY_BYTES = 100
    response = client_500.post(
        "/api/users/login/",
        "username=" + "a" * 200 + "&password=x",
        content_type="application/x-www-form-urlencoded",
    )

    _json_400(response, 413)


def test_an_upload_may_be_as_large_as_a_poster_plus_a_margin(settings):
    from django.conf import settings as live

    assert live.API_MAX_UPLOAD_BYTES > live.POSTER_MAX_BYTES
    assert live.API_MAX_UPLOAD_BYTES > live.API_MAX_BODY_BYTES


def test_a_multipart_body_over_the_upload_cap_is_413(client_500, admin_user, settings):
    settings.API_MAX_UPLOAD_BYTES = 1000
    client_500.force_login(admin_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.png", b"x" * 5000, content_type="image/png")

    response = client_500.post("/api/movies/", {"title": "T", "image": upload})

    _json_400(response, 413)


def test_1500_multipart_fields_under_api_is_a_json_400(client_500, user):
    client_500.force_login(user)
    data = {f"f{i}": "x" for i in range(1500)}

    response = client_500.post("/api/support/tickets/", data)

    assert "fields" in _json_400(response)["detail"]


def test_1500_urlencoded_fields_under_api_is_a_json_400(client_500):
    body = "&".join(f"f{i}=x" for i in range(1500))

    response = client_500.post(
        "/api/users/login/", body, content_type="application/x-www-form-urlencoded"
    )

    assert "fields" in _json_400(response)["detail"]


def test_too_many_files_under_api_is_a_json_400(client_500, admin_user, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    client_500.force_login(admin_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = {f"image{i}": SimpleUploadedFile(f"{i}.png", b"x") for i in range(5)}

    response = client_500.post("/api/movies/", {"title": "T", **files})

    _json_400(response)


# --- /graphql/ ----------------------------------------------------------------------


def test_graphql_deeply_nested_json_is_a_json_400(client_500):
    body = '{"query": "{ allGenres { name } }", "variables": {"a": ' + DEEP + "}}"

    response = client_500.post("/graphql/", body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "nested" in response.json()["errors"][0]["message"]


def test_graphql_deeply_nested_query_document_is_a_json_400(client_500):
    query = "{ allGenres " + "{ name " * 3000 + "}" * 3001

    response = client_500.post("/graphql/", {"query": query}, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["message"] != "Internal server error."


def test_graphql_invalid_utf8_is_a_json_400(client_500):
    for content_type in ("application/json", "application/graphql"):
        response = client_500.post("/graphql/", b"{ \xff }", content_type=content_type)

        assert response.status_code == 400, content_type
        assert response["Content-Type"] == "application/json"


def test_graphql_body_over_the_cap_is_a_json_413(client_500, settings):
    settings.API_MAX_BODY_BYTES = 100
    body = json.dumps({"query": "{ allGenres { name } }", "variables": {"x": "a" * 200}})

    response = client_500.post("/graphql/", body, content_type="application/json")

    assert response.status_code == 413
    assert "too large" in response.json()["errors"][0]["message"]


def test_graphql_too_many_form_fields_is_a_json_400(client_500):
    body = "&".join(f"f{i}=x" for i in range(1500))

    response = client_500.post("/graphql/", body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_graphql_a_normal_query_still_runs(client):
    response = client.post(
        "/graphql/", {"query": "{ allGenres { name } }"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"allGenres": []}}


# --- pages --------------------------------------------------------------------------


def test_too_many_fields_on_a_page_is_the_html_400(client_500):
    body = "&".join(f"f{i}=x" for i in range(1500))

    response = client_500.post(
        "/accounts/login/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


BROKEN_MULTIPART = "multipart/form-data"  # no boundary: the body cannot be split


@pytest.mark.parametrize("path", ["/api/users/login/", "/graphql/"])
def test_a_multipart_body_without_a_boundary_is_a_json_400(client_500, path):
    response = client_500.post(path, b"--x\r\n", content_type=BROKEN_MULTIPART)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "Multipart form parse error" in response.content.decode()


def test_a_multipart_body_without_a_boundary_on_a_page_is_the_html_400(client_500):
    response = client_500.post("/accounts/login/", b"--x\r\n", content_type=BROKEN_MULTIPART)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_a_form_body_over_the_size_cap_on_the_login_page_is_the_html_400(client_500):
    """Django's own cap (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default) on a page: the
    HTML 400, never a 500."""
    from django.conf import settings as live

    body = "username=" + "a" * (live.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + "&password=x"

    response = client_500.post(
        "/accounts/login/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=BoUnDaRy"],
)
def test_a_body_over_the_size_cap_on_the_ticket_form_is_the_html_400(
    client_500, user, settings, content_type
):
    from support.models import Ticket

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client_500.force_login(user)
    if content_type.startswith("multipart"):
        body = (
            "--BoUnDaRy\r\n"
            'Content-Disposition: form-data; name="subject"\r\n\r\n'
            + "s" * 2000
            + "\r\n--BoUnDaRy--\r\n"
        )
    else:
        body = "subject=" + "s" * 2000 + "&message=hello"

    response = client_500.post("/support/new/", body, content_type=content_type)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not Ticket.objects.exists()
