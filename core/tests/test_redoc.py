"""/redoc/ loads a ReDoc bundle with no remote image: the CSP would refuse it (issue 16)."""

from __future__ import annotations

import re

from django.urls import reverse

from core.redoc import REMOTE_LOGO


def test_redoc_page_loads_the_local_bundle(client):
    page = client.get(reverse("schema-redoc")).content.decode()
    assert f'<script src="{reverse("redoc-bundle")}"></script>' in page
    assert "drf-yasg/redoc/redoc.min.js" not in page
    assert "img-src 'self' data: blob:" in page


def test_bundle_draws_no_image_from_another_host(client):
    response = client.get(reverse("redoc-bundle"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert REMOTE_LOGO not in body
    assert re.findall(r"https://cdn\.redoc\.ly[^\"']*", body) == []
    assert "data:image/svg+xml" in body
