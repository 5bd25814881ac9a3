"""The Content-Security-Policy forbids inline scripts, and every page still works under
it: the API consoles (Swagger UI, ReDoc, GraphiQL) and the main pages load with no
violation in the console (the request guard fails the test on any), and ReDoc's logo
is drawn, not blocked."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from movies.tests.factories import MovieFactory

pytestmark = pytest.mark.e2e


def _settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")


def test_swagger_ui_runs_under_the_policy(page: Page, request_guard):
    page.goto("/swagger/")

    expect(page.get_by_role("button", name="GET /movies/ movies_list")).to_be_visible()
    _settle(page)
    assert request_guard.problems() == []


def test_redoc_runs_under_the_policy_and_draws_its_logo(page: Page, request_guard):
    page.goto("/redoc/")

    expect(page.get_by_role("heading", name=f"{settings.SITE_NAME} API", level=1)).to_be_visible()
    logo = page.get_by_role("img", name="redocly logo")
    expect(logo).to_be_visible()
    _settle(page)
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert request_guard.problems() == []


def test_graphiql_runs_under_the_policy(page: Page, request_guard):
    page.goto("/graphql/")

    expect(page).to_have_title(re.compile("GraphiQL"))
    expect(page.get_by_role("region", name="Query Editor")).to_be_visible()
    _settle(page)
    assert request_guard.problems() == []


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/register/", "/admin/login/"])
def test_the_main_pages_run_under_the_policy(page: Page, request_guard, path):
    MovieFactory(title="The Quiet Harbour")

    response = page.goto(path)

    assert "script-src 'self'" in response.headers["content-security-policy"]
    _settle(page)
    assert request_guard.problems() == []


def test_an_injected_inline_script_is_refused(page: Page, request_guard):
    """The policy is enforced, not only sent: an inline script does not run, and the
    guard sees the violation (which is what fails every other test)."""
    page.goto("/")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__injected = true'; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("() => window.__injected === undefined")
    assert request_guard.csp_violations
    request_guard.csp_violations.clear()
