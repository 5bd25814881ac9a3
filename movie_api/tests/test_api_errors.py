"""API.md: errors are ``{"detail": ...}`` for 401/403/404/405, whichever layer answers."""

from __future__ import annotations

import pytest
from django.test import Client

from movies import selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/movies/abc/",  # the router takes digits only
        "/api/movies/-1/",
        "/api/movies/genres/1.5/",
        "/api/users/profiles/me/favorites/x/",
        "/api/support/tickets/%00/comments/",
        "/api/nothing-here/",
    ],
)
def test_an_api_url_that_matches_no_route_is_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_that_does_not_exist_is_still_the_html_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_unexpected_error_under_api_is_a_json_500(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "movie_base_queryset", broken)  # the list's source
    client = Client(raise_request_exception=False)

    response = client.get("/api/movies/")

    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred."}
