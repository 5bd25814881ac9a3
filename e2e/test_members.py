"""Journey: a new member rates, reviews, keeps a watchlist and a diary, finds a similar
movie, shows their profile to the world, and reports a review that an agent hides."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from e2e.test_accounts import PHONE, register, signed_in_as
from movies.tests.factories import GenreFactory, MovieFactory, PersonFactory
from support.models import Ticket
from users import services
from users.models import DiaryEntry, Rating

pytestmark = pytest.mark.e2e

RUDE = "Whoever likes this has no taste at all."


def test_member_journey_from_registering_to_a_review_hidden_by_an_agent(
    page: Page, open_context, make_user, log_in_as, sms_code
):
    drama, lead = GenreFactory(name="Drama"), PersonFactory(name="Ada Brennan")
    harbour = MovieFactory(title="The Quiet Harbour", genres=[drama], actors=[lead])
    MovieFactory(title="Harbour Lights", genres=[drama], actors=[lead], rating=Decimal("4.0"))
    MovieFactory(title="Unrelated Noise")
    bob = make_user("bob")
    services.rating_set(user=bob, movie_id=harbour.pk, score="1", review=RUDE)
    sam = make_user("sam", agent=True)

    # Register with the SMS code.
    register(page, "carol")
    page.get_by_label("6-digit code").fill(sms_code(PHONE))
    page.get_by_role("button", name="Verify and log in").click()
    expect(signed_in_as(page, "carol")).to_be_visible()

    # Rate with the keyboard: from the first star, seven steps right is 4 stars.
    page.goto(f"/movies/{harbour.pk}/")
    rating = page.get_by_role("region", name="Your rating")
    rating.get_by_role("radio", name="0.5 stars").focus()
    page.keyboard.press("Space")
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    expect(rating.get_by_role("radio", name="4.0 stars")).to_be_checked()

    # A review with a spoiler.
    rating.get_by_label("Your review").fill("The ending: it was the lighthouse keeper.")
    rating.get_by_label(re.compile("spoiler", re.I)).check()
    rating.get_by_role("button", name="Save my rating").click()
    expect(page.get_by_role("region", name="Your rating")).to_contain_text("You gave it 4.0 / 5")

    # The watchlist.
    page.get_by_role("button", name="Add to watchlist: The Quiet Harbour").click()
    expect(
        page.get_by_role("button", name="Remove from watchlist: The Quiet Harbour")
    ).to_have_attribute("aria-pressed", "true")

    # Log a watch: it marks the movie watched and takes it off the watchlist.
    log = page.get_by_role("region", name="Log a watch")
    log.get_by_label("Note").fill("Saw it at the harbour cinema.")
    log.get_by_role("button", name="Log this watch").click()
    expect(page.get_by_role("status").filter(has_text="Logged a watch")).to_be_visible()
    page.reload()
    expect(
        page.get_by_role("button", name="Add to watchlist: The Quiet Harbour")
    ).to_have_attribute("aria-pressed", "false")
    expect(
        page.get_by_role("button", name="Remove from watched: The Quiet Harbour")
    ).to_have_attribute("aria-pressed", "true")

    # Open a similar movie.
    similar = page.get_by_role("region", name="More like this")
    expect(similar).not_to_contain_text("Unrelated Noise")
    similar.get_by_role("link", name="Harbour Lights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Lights")

    # Make the profile public and view it logged out.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My lists").click()
    page.get_by_label("Make my profile public").check()
    page.get_by_role("button", name="Save privacy").click()
    expect(page.get_by_label("Make my profile public")).to_be_checked()
    visitor = open_context().new_page()
    visitor.goto("/u/carol/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("carol")
    diary = visitor.get_by_role("region", name="Recent diary")
    expect(diary).to_contain_text("The Quiet Harbour")
    expect(diary).to_contain_text("Saw it at the harbour cinema.")
    review = visitor.get_by_role("article", name="Review of The Quiet Harbour")
    expect(review.get_by_text("lighthouse keeper")).not_to_be_visible()
    review.get_by_text("Contains spoilers: show the review").click()
    expect(review.get_by_text("lighthouse keeper")).to_be_visible()
    expect(visitor.locator("body")).not_to_contain_text("carol@example.com")

    # Report bob's review.
    page.goto(f"/movies/{harbour.pk}/")
    bobs = page.get_by_role("article", name="Review by bob")
    bobs.get_by_text("Report this review").click()
    bobs.get_by_label("What is wrong with this review?").fill("Insults the readers.")
    bobs.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("support will look at this review")).to_be_visible()
    ticket = Ticket.objects.get(category="review")

    # The agent hides it from the ticket; it is gone for readers.
    agent_context = open_context()
    log_in_as(agent_context, sam)
    agent = agent_context.new_page()
    agent.goto(f"/support/{ticket.pk}/")
    agent.get_by_role("button", name="Hide the review").click()
    expect(agent.get_by_role("button", name="Restore the review")).to_be_visible()
    visitor.goto(f"/movies/{harbour.pk}/")
    expect(visitor.get_by_role("main")).not_to_contain_text(RUDE)

    assert Rating.objects.get(user=bob).hidden is True
    assert DiaryEntry.objects.filter(user__username="carol", movie=harbour).count() == 1
