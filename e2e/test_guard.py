"""The guard every journey runs under: it is what makes "stays on the machine" true."""

from __future__ import annotations

import pytest

from e2e.helpers import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_a_request_to_another_host_is_blocked_and_recorded(open_context, request_guard):
    # The site's Content-Security-Policy would refuse these requests before they leave
    # (test_csp.py covers that); bypassing it here shows the guard's own net below it.
    page = open_context(bypass_csp=True).new_page()
    page.goto("/swagger/")
    outcome = page.evaluate(
        """() => fetch("https://cdn.example.com/lib.js").then(() => "loaded", () => "blocked")"""
    )
    page.evaluate(
        """() => { const img = new Image(); img.src = "http://127.0.0.2:9/pixel.png"; document.body.append(img); }"""
    )
    wait_until(page, lambda: len(request_guard.off_machine) == 2)

    assert outcome == "blocked"
    assert request_guard.off_machine == [
        "https://cdn.example.com/lib.js",
        "http://127.0.0.2:9/pixel.png",
    ]
    request_guard.off_machine.clear()  # seen; the test itself must not fail on it


def test_a_page_error_and_a_missing_asset_are_recorded(page, request_guard):
    page.goto("/swagger/")
    page.evaluate(
        """() => {
            const img = new Image(); img.src = "/static/no-such-poster.png"; document.body.append(img);
            setTimeout(() => { throw new Error("boom"); });
        }"""
    )
    wait_until(page, lambda: request_guard.page_errors and request_guard.broken_assets)

    assert request_guard.broken_assets[0].startswith("404 image ")
    assert "boom" in request_guard.page_errors[0]
    assert request_guard.off_machine == []
    request_guard.broken_assets.clear()
    request_guard.page_errors.clear()


def test_a_page_of_the_live_server_is_allowed(request_guard, live_server):
    assert request_guard.allows(f"{live_server.url}/static/vendor/bootstrap/bootstrap.min.css")
    assert request_guard.allows("data:image/png;base64,AAAA")
    assert not request_guard.allows(live_server.url.replace("http:", "https:") + "/")
    assert not request_guard.allows("http://localhost.evil.example/")
    assert not request_guard.allows("http://169.254.169.254/latest/meta-data/")
