"""Journeys 2 and 3: registering with the SMS code, then keeping lists across logins."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from movies.tests.factories import MovieFactory
from users.models import UserProfile

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONE = "+14155550123"
NEW_PASSWORD = "violet lanterns at low tide 7"


def register(page: Page, username: str, phone: str = "+1 415 555 0123") -> None:
    """Fill and send the registration form, from the navigation's Register link."""
    page.goto("/movies/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email address").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm password").fill(NEW_PASSWORD)
    page.get_by_label("Mobile phone number").fill(phone)
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")


def signed_in_as(page: Page, username: str):
    return page.get_by_role("navigation", name="Main").get_by_text(f"Signed in as {username}")


def expect_list(page: Page, name: str, titles: list[str]) -> None:
    """One of the lists of "My lists" holds exactly these movies (in any order)."""
    links = page.get_by_role("region", name=name).get_by_role("heading").get_by_role("link")
    expect(links).to_have_count(len(titles))
    assert sorted(links.all_inner_texts()) == sorted(titles)


def test_new_user_registers_with_the_sms_code_and_keeps_lists_across_logins(page: Page, sms_code):
    heat, _, collateral = (
        MovieFactory(title=title, rating=Decimal("4.0"))
        for title in ("Heat", "Ronin", "Collateral")
    )
    nav = page.get_by_role("navigation", name="Main")

    register(page, "carol")
    expect(page.get_by_role("main")).to_contain_text(
        "We sent a 6-digit code by text message to +1 415-555-0123"
    )
    page.get_by_label("6-digit code").fill(sms_code(PHONE))
    page.get_by_role("button", name="Verify and log in").click()
    expect(signed_in_as(page, "carol")).to_be_visible()

    # Two favorites and one watched, from the movie cards.
    page.goto("/movies/")
    page.get_by_role("button", name="Add to favorites: Heat").click()
    page.get_by_role("button", name="Add to favorites: Ronin").click()
    page.get_by_role("button", name="Mark as watched: Collateral").click()
    for name in (
        "Remove from favorites: Heat",
        "Remove from favorites: Ronin",
        "Remove from watched: Collateral",
    ):
        expect(page.get_by_role("button", name=name)).to_have_attribute("aria-pressed", "true")

    nav.get_by_role("link", name="My lists").click()
    expect_list(page, "Favorites", ["Ronin", "Heat"])
    expect_list(page, "Watched", ["Collateral"])

    page.get_by_role("button", name="Remove from favorites: Ronin").click()
    expect_list(page, "Favorites", ["Heat"])

    # Log out, log in again: the lists are as she left them.
    nav.get_by_role("button", name="Log out").click()
    expect(signed_in_as(page, "carol")).to_have_count(0)
    nav.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(signed_in_as(page, "carol")).to_be_visible()
    nav.get_by_role("link", name="My lists").click()
    expect_list(page, "Favorites", ["Heat"])
    expect_list(page, "Watched", ["Collateral"])

    profile = UserProfile.objects.get(user__username="carol")
    assert (profile.user.is_active, str(profile.phone_number)) == (True, PHONE)
    assert list(profile.favorite_movies.all()) == [heat]
    assert list(profile.watched_movies.all()) == [collateral]


def test_a_wrong_code_is_refused_a_new_code_comes_after_the_cooldown_and_logs_in(
    page: Page, settings, sms_code, sms_outbox
):
    # The real minute, shortened; still long enough to be seen on a busy machine.
    settings.OTP_RESEND_COOLDOWN_SECONDS = 5

    register(page, "dave")
    first_code = sms_code(PHONE)
    resend = page.get_by_role("region", name="No code?")
    send_again = resend.get_by_role("button", name="Send a new code")
    expect(resend).to_contain_text(re.compile(r"You can ask for a new code in [1-5] seconds?\."))
    expect(send_again).to_be_disabled()

    # A wrong code: refused on the form, the account stays inactive.
    wrong = f"{(int(first_code) + 1) % 10**6:06d}"
    page.get_by_label("6-digit code").fill(wrong)
    page.get_by_role("button", name="Verify and log in").click()
    expect(page.get_by_text("The code is invalid or has expired.")).to_be_visible()
    expect(signed_in_as(page, "dave")).to_have_count(0)

    # The cooldown runs out on the page; a new code is sent and the cooldown starts over.
    expect(resend).to_contain_text("You can ask for a new code now.")
    expect(send_again).to_be_enabled()
    send_again.click()
    expect(page.get_by_role("status").filter(has_text="We sent a new code")).to_be_visible()
    expect(resend).to_contain_text(re.compile(r"You can ask for a new code in [1-5] seconds?\."))
    expect(send_again).to_be_disabled()
    assert [message.to for message in sms_outbox] == [PHONE, PHONE]
    second_code = sms_code(PHONE)

    # The first code was replaced by the new one; the new one logs in.
    page.get_by_label("6-digit code").fill(first_code)
    page.get_by_role("button", name="Verify and log in").click()
    expect(page.get_by_text("The code is invalid or has expired.")).to_be_visible()
    page.get_by_label("6-digit code").fill(second_code)
    page.get_by_role("button", name="Verify and log in").click()
    expect(signed_in_as(page, "dave")).to_be_visible()
