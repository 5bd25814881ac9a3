"""ReDoc (/redoc/) renders the REST documentation from this machine alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_redoc_renders_without_asking_another_host(page: Page, request_guard):
    console_errors: list[str] = []
    page.on(
        "console", lambda message: message.type == "error" and console_errors.append(message.text)
    )
    page.goto("/redoc/")

    expect(page.get_by_role("heading", name="Reelhouse API", level=1)).to_be_visible()
    # The side menu's attribution is where the bundled ReDoc draws its logo from a CDN.
    expect(page.get_by_role("link", name="API docs by Redocly")).to_be_attached()
    page.wait_for_load_state("networkidle")
    assert request_guard.problems() == []
    # The logo is inline: the site's own Content-Security-Policy has nothing to refuse.
    assert console_errors == []
