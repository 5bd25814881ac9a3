"""Issue 17, item 9: the OpenAPI schema at /swagger.json says what the API does.
(Schemathesis, bin/fuzz, checks the same against a live server.)"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

PUBLIC = [
    ("get", "/movies/"),
    ("get", "/movies/{id}/"),
    ("get", "/movies/genres/"),
    ("get", "/movies/actors/{id}/"),
    ("post", "/users/register/"),
    ("post", "/users/login/"),
    ("post", "/users/token/refresh/"),
    ("post", "/users/otp/verify/"),
    ("post", "/users/otp/resend/"),
    ("post", "/users/password/reset/"),
    ("post", "/users/password/reset/confirm/"),
]
PRIVATE = [
    ("post", "/movies/"),
    ("delete", "/movies/{id}/"),
    ("get", "/users/profiles/"),
    ("get", "/users/profiles/me/"),
    ("post", "/users/logout/"),
    ("get", "/support/tickets/"),
    ("post", "/support/tickets/{id}/comments/"),
]


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/swagger.json").json()


def op(schema: dict, method: str, path: str) -> dict:
    return schema["paths"][path][method]


def resolve(schema: dict, node: dict) -> dict:
    if "$ref" in node:
        return schema["definitions"][node["$ref"].rsplit("/", 1)[1]]
    return node


@pytest.mark.parametrize(("method", "path"), PUBLIC)
def test_public_operations_declare_no_security(schema, method, path):
    assert op(schema, method, path)["security"] == []


@pytest.mark.parametrize(("method", "path"), PRIVATE)
def test_other_operations_inherit_bearer(schema, method, path):
    assert "security" not in op(schema, method, path)
    assert schema["security"] == [{"Bearer": []}]


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("post", "/movies/", {"400", "401", "403", "413"}),
        ("get", "/movies/", {"400", "404"}),
        ("get", "/movies/{id}/", {"404"}),
        ("delete", "/movies/genres/{id}/", {"401", "403", "404"}),
        ("post", "/users/login/", {"400", "401", "429"}),
        ("post", "/users/register/", {"400", "429"}),
        ("get", "/users/profiles/", {"401", "403"}),
        ("post", "/support/tickets/", {"400", "401", "413", "429"}),
        ("patch", "/support/tickets/{id}/", {"400", "401", "403", "404"}),
    ],
)
def test_error_statuses_are_documented_where_they_happen(schema, method, path, statuses):
    responses = op(schema, method, path)["responses"]

    assert statuses <= set(responses)
    for status in statuses:
        assert responses[status]["description"]
        assert "schema" in responses[status]


@pytest.mark.parametrize(
    "path", ["/users/profiles/me/ratings/", "/support/tickets/{id}/comments/", "/users/profiles/"]
)
def test_every_operation_taking_a_page_documents_the_404_past_the_end(schema, path):
    operation = op(schema, "get", path)
    assert "page" in {parameter["name"] for parameter in operation["parameters"]}
    assert "404" in operation["responses"]


def test_a_public_read_does_not_claim_403(schema):
    assert "403" not in op(schema, "get", "/movies/")["responses"]


def test_a_views_own_description_of_an_error_is_kept(schema):
    assert op(schema, "get", "/support/tickets/{id}/")["responses"]["404"]["description"] == (
        "No such ticket, or not yours."
    )


def test_errors_are_detail_objects(schema):
    body = op(schema, "get", "/movies/{id}/")["responses"]["404"]["schema"]
    assert body["properties"] == {"detail": {"type": "string"}}


@pytest.mark.parametrize(
    ("definition", "field"),
    [("Movie", "image"), ("MovieSummary", "image"), ("Assignee", None), ("TicketMovie", None)],
)
def test_nullable_values_are_declared_nullable(schema, definition, field):
    node = schema["definitions"][definition]
    if field is not None:
        node = node["properties"][field]
    assert node.get("x-nullable") is True


def test_the_requester_is_not_nullable_but_the_assignee_is(schema):
    ticket = schema["definitions"]["Ticket"]["properties"]
    assert not resolve(schema, ticket["requester"]).get("x-nullable")
    assert resolve(schema, ticket["assignee"])["x-nullable"] is True


def test_an_empty_plot_summary_is_allowed_in_answers(schema):
    assert "minLength" not in schema["definitions"]["Movie"]["properties"]["plot_summary"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/users/profiles/"),
        ("get", "/support/tickets/{id}/comments/"),
        ("get", "/movies/"),
        ("get", "/support/tickets/"),
    ],
)
def test_paginated_lists_are_declared_paginated(schema, method, path):
    body = op(schema, method, path)["responses"]["200"]["schema"]

    assert body["type"] == "object"
    assert set(body["properties"]) == {"count", "next", "previous", "results"}
    assert body["properties"]["results"]["type"] == "array"
    assert body["properties"]["next"]["x-nullable"] is True


E164 = r"^\+[1-9]\d{1,14}$"


@pytest.mark.parametrize(
    ("definition", "field"),
    [
        ("Register", "phone_number"),
        ("OtpVerify", "phone_number"),
        ("OtpResend", "phone_number"),
        ("Profile", "phone_number"),
        ("RegisteredUser", "phone_number"),
    ],
)
def test_phone_numbers_carry_the_e164_pattern(schema, definition, field):
    pattern = schema["definitions"][definition]["properties"][field]["pattern"]
    assert pattern == E164
    assert re.match(pattern, "+14155550123")
    assert not re.match(pattern, "4155550123")


@pytest.mark.parametrize(
    ("definition", "field"),
    [("Register", "email"), ("UserSummary", "email"), ("PasswordResetRequest", "email")],
)
def test_emails_carry_the_email_format(schema, definition, field):
    assert schema["definitions"][definition]["properties"][field]["format"] == "email"


def test_the_otp_code_carries_its_pattern(schema):
    pattern = schema["definitions"]["OtpVerify"]["properties"]["code"]["pattern"]
    assert re.match(pattern, "012345")
    assert not re.match(pattern, "12345")
