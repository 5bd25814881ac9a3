"""Plain helpers the journeys import (fixtures live in conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Callable

from playwright.sync_api import Page

# Every account the journeys create logs in with this password.
PASSWORD = "a long and unusual passphrase 42"


def wait_until(page: Page, condition: Callable[[], bool], *, timeout_ms: int = 10_000) -> None:
    """Wait for something the browser reports through events (requests, errors).

    Playwright delivers events only while it waits, so this waits in short steps
    on the page rather than sleeping.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_ms} ms")
        page.wait_for_timeout(50)
