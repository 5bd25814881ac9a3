"""Journey: the header's search box suggests titles as you type (a prefix, then a typo),
is driven by the keyboard, and opens the chosen movie."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from movies.tests.factories import MovieFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def catalogue():
    return {
        "godfather": MovieFactory(title="The Godfather", rating="4.9"),
        "godzilla": MovieFactory(title="Godzilla", rating="3.0"),
        "reykjavik": MovieFactory(title="Reykjavík Nights", rating="4.0"),
        "desert": MovieFactory(title="Desert Run", rating="2.0"),
    }


def test_header_search_suggests_and_opens_a_movie_with_the_keyboard(page: Page, catalogue):
    page.goto("/accounts/login/")  # the box is in the header of every page, not only the list
    box = page.get_by_role("combobox", name="Find a movie")
    listbox = page.get_by_role("listbox", name="Suggested movies")
    expect(box).to_have_attribute("aria-expanded", "false")

    # A prefix: titles that start with it first, then titles with a word that does.
    box.press_sequentially("god", delay=30)
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option")).to_have_text(["Godzilla", "The Godfather"])

    # Arrow keys move the active option (aria-activedescendant), wrapping around.
    box.press("ArrowDown")
    first = listbox.get_by_role("option", name="Godzilla")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    box.press("ArrowDown")
    expect(listbox.get_by_role("option", name="The Godfather")).to_have_attribute(
        "aria-selected", "true"
    )
    box.press("ArrowUp")
    expect(first).to_have_attribute("aria-selected", "true")

    # Escape closes the list and keeps the text; the focus stays in the box.
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    expect(box).to_have_value("god")
    expect(box).to_be_focused()

    # Accents do not matter; Enter on an option opens that movie.
    box.fill("")
    box.press_sequentially("reykjav", delay=30)
    expect(listbox.get_by_role("option")).to_have_text(["Reykjavík Nights"])
    box.press("ArrowDown")
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/movies/{catalogue['reykjavik'].pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reykjavík Nights")

    # A typo (PostgreSQL's trigram match; SQLite suggests by prefix and substring only).
    box = page.get_by_role("combobox", name="Find a movie")
    if connection.vendor == "postgresql":
        box.press_sequentially("godfathr", delay=30)
        expect(listbox.get_by_role("option")).to_have_text(["The Godfather"])
    else:
        box.press_sequentially("godfa", delay=30)
        expect(listbox.get_by_role("option")).to_have_text(["The Godfather"])
    box.press("ArrowDown")
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/movies/{catalogue['godfather'].pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The Godfather")


def test_enter_without_a_chosen_suggestion_searches_the_movie_list(page: Page, catalogue):
    page.goto(f"/movies/{catalogue['desert'].pk}/")
    box = page.get_by_role("combobox", name="Find a movie")
    box.press_sequentially("god", delay=30)
    expect(page.get_by_role("listbox", name="Suggested movies")).to_be_visible()
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?search=god$"))
    expect(page.get_by_role("heading", level=1, name="Movies")).to_be_visible()
    cards = page.get_by_role("main").get_by_role("article").get_by_role("heading")
    expect(cards).to_have_text(["Godzilla", "The Godfather"], use_inner_text=True)


def test_the_header_box_is_a_plain_form_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/movies/{catalogue['desert'].pk}/")
        page.get_by_label("Find a movie").fill("reykjav")
        page.get_by_role("search").get_by_role("button", name="Search").click()
        expect(page).to_have_url(re.compile(r"/\?search=reykjav$"))
        expect(page.get_by_role("main").get_by_role("article")).to_have_count(1)
    finally:
        context.close()
