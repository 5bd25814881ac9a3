"""Journey 6: register and log in with the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PASSWORD = "quiet keys and a steady hand 9"


def tab_to(page: Page, target: Locator, *, limit: int = 40) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    target.wait_for(state="attached")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} never got the focus in {limit} presses of Tab")


def has_visible_focus(target: Locator) -> bool:
    """The focused element is drawn differently: an outline or a focus ring (shadow)."""
    return target.evaluate(
        """element => {
            const style = getComputedStyle(element);
            return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
                || style.boxShadow !== "none";
        }"""
    )


def type_then_tab(page: Page, text: str, next_field: Locator) -> None:
    """Type into the focused field, then Tab: the next field of the form gets the focus."""
    page.keyboard.type(text)
    page.keyboard.press("Tab")
    expect(next_field).to_be_focused()


def test_register_and_log_in_without_the_mouse(page: Page, sms_code):
    page.goto("/movies/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    nav = page.get_by_role("navigation", name="Main")

    # Register: each field follows the previous one in the tab order.
    register = nav.get_by_role("link", name="Register")
    tab_to(page, register)
    assert has_visible_focus(register)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    username = page.get_by_label("Username")
    tab_to(page, username)
    assert has_visible_focus(username)
    type_then_tab(page, "erin", page.get_by_label("Email address"))
    type_then_tab(page, "erin@example.com", page.get_by_label("Password", exact=True))
    type_then_tab(page, PASSWORD, page.get_by_label("Confirm password"))
    type_then_tab(page, PASSWORD, page.get_by_label("Mobile phone number"))
    page.keyboard.type("+1 415 555 0199")
    page.keyboard.press("Enter")

    # The code page puts the focus in the code box.
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    expect(page.get_by_label("6-digit code")).to_be_focused()
    page.keyboard.type(sms_code("+14155550199"))
    page.keyboard.press("Enter")
    signed_in = nav.get_by_text("Signed in as erin")
    expect(signed_in).to_be_visible()

    # Log out and back in.
    log_out = nav.get_by_role("button", name="Log out")
    tab_to(page, log_out)
    assert has_visible_focus(log_out)
    page.keyboard.press("Enter")
    expect(signed_in).to_have_count(0)
    tab_to(page, nav.get_by_role("link", name="Log in"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_label("Username")).to_be_focused()
    type_then_tab(page, "erin", page.get_by_label("Password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(signed_in).to_be_visible()
