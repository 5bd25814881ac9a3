"""Reading /graphql/ answers in tests."""

from __future__ import annotations


def ok(response) -> dict:
    """The ``data`` of a successful response."""
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def only_error(response) -> dict:
    """The single error of a response that executed (HTTP 200)."""
    assert response.status_code == 200, response.content
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    return errors[0]
