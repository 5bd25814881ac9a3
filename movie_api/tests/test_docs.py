"""Swagger UI, ReDoc and the schema are served from installed packages, with Bearer auth."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_schema_documents_the_catalogue_and_a_bearer_security_definition(client):
    response = client.get("/swagger.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["securityDefinitions"]["Bearer"] == {
        "type": "apiKey",
        "name": "Authorization",
        "in": "header",
        "description": "A JWT from `POST /api/users/login/`, entered as `Bearer <access token>`.",
    }
    base = schema.get("basePath", "/").rstrip("/")
    documented = {base + path for path in schema["paths"]}
    for path in ("/api/movies/", "/api/movies/{id}/", "/api/movies/genres/", "/api/movies/actors/"):
        assert path in documented, path


@pytest.mark.parametrize("url", ["/swagger/", "/redoc/"])
def test_docs_pages_load_no_asset_from_another_host(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    assert "/static/drf-yasg/" in html
