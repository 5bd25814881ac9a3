"""Browser fixtures for the end-to-end journeys.

One headless Chromium (Debian's package, never Playwright's download) per session,
a fresh browser context per test, every context guarded so that no request leaves
the live test server, and a screenshot of every open page in ``e2e/artifacts/`` when
a journey fails. pytest-playwright provides ``playwright``, ``browser`` and
``new_context`` (and its ``--headed``/``--slowmo``/``--tracing`` options); this file
only says how to launch the browser and what every context must obey.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from playwright.sync_api import BrowserContext, Page, Route, WebSocketRoute, expect

from e2e.helpers import PASSWORD

ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A resource of these kinds that answers 4xx/5xx means the page did not render fully.
ASSET_TYPES = {"stylesheet", "script", "image", "font", "media"}

# How long an action or expectation waits before failing (ms). Pages answer in
# milliseconds; the margin is for a busy 2-core CI machine, not for slow pages.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


def chromium_path() -> str:
    """``CHROMIUM_PATH`` if set, else Debian's ``chromium`` on the PATH."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        if not os.access(configured, os.X_OK):
            pytest.fail(f"CHROMIUM_PATH={configured} is not an executable file.")
        return configured
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail(
            "Chromium is not installed: run `make browser` (Debian's package) "
            "or point CHROMIUM_PATH at a Chromium binary."
        )
    return found


@pytest.fixture(scope="session", autouse=True)
def _allow_sync_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop running in the main thread, and
    Django refuses ORM calls while a loop runs. The journeys set up data with the ORM
    between browser steps (never concurrently with it), so the check is lifted here,
    for the browser tests only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig: pytest.Config) -> dict:
    """Launch options for pytest-playwright's session-wide ``browser``."""
    headed = pytestconfig.getoption("--headed")
    args = [arg for arg in CHROMIUM_ARGS if not (headed and arg == "--headless")]
    return {
        "executable_path": chromium_path(),
        "headless": not headed,
        "args": args,
        "slow_mo": pytestconfig.getoption("--slowmo") or None,
    }


@pytest.fixture(scope="session")
def browser_context_args(live_server) -> dict:
    """Every context talks to the live test server, in a fixed locale and size."""
    return {
        "base_url": live_server.url,
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-US",
        "timezone_id": "UTC",
        "service_workers": "block",
    }


@dataclass
class RequestGuard:
    """Keeps every request of the browser on the live server.

    Requests to any other origin are aborted and recorded; so are WebSocket
    connections elsewhere. Uncaught JavaScript errors, local assets (CSS, JS,
    images, fonts) that fail to load and Content-Security-Policy violations (the
    browser's "Refused to ..." console errors) are recorded too: each means a page
    that did not render fully. A guarded test fails when any list is non-empty.
    """

    origin: tuple[str, str, int]
    off_machine: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    broken_assets: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"}:
            return True
        port = parts.port or {"http": 80, "https": 443, "ws": 80, "wss": 443}.get(parts.scheme)
        scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
        return (scheme, parts.hostname, port) == self.origin

    def _route(self, route: Route) -> None:
        url = route.request.url
        if self.allows(url):
            route.continue_()
        else:
            self.off_machine.append(url)
            route.abort("blockedbyclient")

    def _route_web_socket(self, ws: WebSocketRoute) -> None:
        if self.allows(ws.url):
            ws.connect_to_server()
        else:
            self.off_machine.append(ws.url)
            ws.close()

    def _watch_page(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))

        def on_console(message) -> None:
            if message.type == "error" and "Content Security Policy" in message.text:
                self.csp_violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)

        def on_response(response) -> None:
            request = response.request
            if response.status >= 400 and request.resource_type in ASSET_TYPES:
                self.broken_assets.append(
                    f"{response.status} {request.resource_type} {response.url}"
                )

        page.on("response", on_response)

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self._route)
        context.route_web_socket(re.compile(".*"), self._route_web_socket)
        context.on("page", self._watch_page)

    def problems(self) -> list[str]:
        return (
            [f"request left the machine: {url}" for url in self.off_machine]
            + [f"uncaught JavaScript error: {error}" for error in self.page_errors]
            + [f"asset failed to load: {asset}" for asset in self.broken_assets]
            + [f"Content-Security-Policy violation: {text}" for text in self.csp_violations]
        )


@pytest.fixture
def request_guard(live_server) -> RequestGuard:
    parts = urlsplit(live_server.url)
    return RequestGuard(origin=(parts.scheme, parts.hostname, parts.port))


@pytest.fixture
def open_context(
    new_context,
    request_guard: RequestGuard,
    request: pytest.FixtureRequest,
) -> Iterator[Callable[..., BrowserContext]]:
    """Opens a guarded browser context (a separate person: own cookies, own pages).

    Most journeys use the ``page`` fixture; a journey with two people (a user and a
    support agent) opens a second context. On failure every open page of every
    context is saved as a PNG in ``e2e/artifacts/``.
    """
    contexts: list[BrowserContext] = []

    def _open(**kwargs) -> BrowserContext:
        context = new_context(**kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        request_guard.attach(context)
        contexts.append(context)
        return context

    yield _open

    problems = request_guard.problems()
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed or problems:
        _screenshot_pages(request.node.nodeid, contexts)
    if problems:
        pytest.fail("The browser went wrong:\n  " + "\n  ".join(problems), pytrace=False)


def _screenshot_pages(nodeid: str, contexts: list[BrowserContext]) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", nodeid).strip("-")[:180]
    pages = [page for context in contexts for page in context.pages]
    for index, page in enumerate(pages):
        path = ARTIFACTS_DIR / f"{name}{'' if index == 0 else f'-{index + 1}'}.png"
        try:
            page.screenshot(path=path, full_page=True, timeout=5_000)
        except Exception as error:  # a crashed page must not hide the real failure
            print(f"screenshot of {page.url} failed: {error}")
        else:
            print(f"screenshot: {path}")


@pytest.fixture
def context(open_context) -> BrowserContext:
    return open_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


# --- People and data -------------------------------------------------------------


@pytest.fixture
def make_user(django_user_model):
    """Creates an active account that can log in with ``PASSWORD``."""

    def _make(username: str, *, is_staff: bool = False, agent: bool = False, **fields):
        fields.setdefault("email", f"{username}@example.com")
        user = django_user_model.objects.create_user(
            username=username, password=PASSWORD, is_staff=is_staff, **fields
        )
        if agent:
            group, _ = Group.objects.get_or_create(name=settings.SUPPORT_AGENT_GROUP)
            user.groups.add(group)
        return user

    return _make


@pytest.fixture
def log_in_as(live_server):
    """Gives a browser context the session of ``user`` without going through the
    login page (journeys that are not about logging in start logged in)."""
    from django.test import Client

    def _log_in(context: BrowserContext, user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )

    return _log_in


@pytest.fixture
def sms_code(sms_outbox):
    """The code in the latest text message to ``phone`` (E.164), read from the locmem
    SMS backend's outbox: the live server is a thread of this process."""

    def _read(phone: str) -> str:
        for message in reversed(sms_outbox):
            if message.to == phone:
                found = re.search(rf"\b(\d{{{settings.OTP_LENGTH}}})\b", message.body)
                assert found, f"no code in the text message {message.body!r}"
                return found.group(1)
        raise AssertionError(f"no text message to {phone}; sent: {[m.to for m in sms_outbox]}")

    return _read
