"""Layout: text that people type (titles, names, subjects, messages) can be one long
word; on a phone and on a desktop it wraps, and no page grows wider than the window."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect

from movies.tests.factories import ActorFactory, GenreFactory, MovieFactory
from support.tests.factories import CommentFactory, TicketFactory

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


@pytest.mark.parametrize("width", [390, 1280])
def test_long_unbroken_words_wrap_instead_of_widening_the_page(
    open_context, make_user, log_in_as, width
):
    genre = GenreFactory(name="G" * 100)
    actor = ActorFactory(name="A" * 200)
    movie = MovieFactory(title="T" * 200, plot_summary="P" * 2000, genres=[genre], actors=[actor])
    agent = make_user("sam", agent=True)
    ticket = TicketFactory(
        requester=agent,
        subject="S" * 150,
        description="D" * 3000,
        movie_id=movie.pk,
        movie_title=movie.title,
    )
    CommentFactory(ticket=ticket, author=agent, body="C" * 2000)

    context: BrowserContext = open_context()
    log_in_as(context, agent)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    for url in (
        "/",
        f"/movies/{movie.pk}/",
        f"/genres/{genre.pk}/",
        f"/actors/{actor.pk}/",
        "/accounts/lists/",
        "/support/",
        "/support/queue/",
        f"/support/{ticket.pk}/",
        f"/support/new/?movie={movie.pk}",
    ):
        page.goto(url)
        assert page.evaluate(PAGE_WIDTH) <= width, f"{url} is wider than {width}px"


@pytest.mark.parametrize("logged_in", [False, True])
@pytest.mark.parametrize("width", [390, 1280])
def test_card_buttons_stay_on_one_line(open_context, make_user, log_in_as, width, logged_in):
    genre = GenreFactory(name="Drama")
    MovieFactory.create_batch(3, genres=[genre])
    MovieFactory(title="A title long enough to wrap over several lines of a card", genres=[genre])

    context: BrowserContext = open_context()
    if logged_in:
        log_in_as(context, make_user("sam"))
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    for url in ("/", "/movies/"):
        page.goto(url)
        rows = page.locator(".movie-card .list-toggles")
        assert rows.count() >= 4, url
        for i in range(rows.count()):
            buttons = rows.nth(i).locator(".list-toggle__button")
            assert buttons.count() == 3
            tops = {round(buttons.nth(b).bounding_box()["y"]) for b in range(3)}
            assert len(tops) == 1, f"{url} at {width}px: card {i}'s buttons wrap: {tops}"


def test_a_toggle_in_a_home_row_keeps_its_rows_ids(open_context, make_user, log_in_as):
    movie = MovieFactory(title="Heat", genres=[GenreFactory(name="Drama")])
    context: BrowserContext = open_context()
    log_in_as(context, make_user("sam"))
    page = context.new_page()
    page.goto("/")

    page.locator(f"#top-rated-favorites-toggle-{movie.pk}").click()

    toggled = page.locator(f"#top-rated-favorites-toggle-{movie.pk}")
    expect(toggled).to_have_attribute("aria-pressed", "true")
    # The other rows' copies are separate elements, untouched (ids stay unique).
    expect(page.locator(f"#recent-favorites-toggle-{movie.pk}")).to_have_attribute(
        "aria-pressed", "false"
    )
    assert page.evaluate(
        "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
        " return ids.length === new Set(ids).size; }"
    )


def test_the_similar_movies_strip_shows_posters_at_a_readable_size(page):
    """ "More like this" once borrowed the home rows' scroller class, whose grid squeezed
    each poster to a sliver and broke titles letter by letter."""
    genre = GenreFactory()
    movie = MovieFactory(genres=[genre])
    for n in range(6):
        MovieFactory(title=f"Companion {n}", genres=[genre])

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/movies/{movie.pk}/")
    strip = page.get_by_role("list", name="More like this")
    links = strip.get_by_role("link")
    assert links.count() == 6
    for index in range(links.count()):
        assert links.nth(index).bounding_box()["width"] >= 100


def test_rows_below_the_fold_load_when_scrolled_to_and_their_toggles_work(
    open_context, make_user, log_in_as
):
    drama = GenreFactory(name="Drama")
    movie = MovieFactory(title="Heat", genres=[drama])
    for n in range(4):  # enough genres for rows well below the fold of a phone
        MovieFactory(title=f"Filler {n}", genres=[GenreFactory(name=f"Genre {n}")])
    context: BrowserContext = open_context()
    log_in_as(context, make_user("sam"))
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto("/")

    # Genre rows' ids start with a digit: an attribute selector, not "#…".
    toggle = f'[id="{drama.pk}-genre-favorites-toggle-{movie.pk}"]'
    row = page.get_by_role("region", name="Drama")
    card = page.locator(f'[id="{drama.pk}-genre-movie-{movie.pk}"]')
    expect(row).to_be_attached()
    expect(card).to_have_count(0)  # not loaded with the page
    row.scroll_into_view_if_needed()
    expect(card).to_be_visible()  # loaded as it came into view

    page.locator(toggle).click()
    expect(page.locator(toggle)).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(
        "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
        " return ids.length === new Set(ids).size; }"
    )
    # Back on the home page, the mark is there (the toggle came back to the home page).
    page.reload()
    page.get_by_role("region", name="Drama").scroll_into_view_if_needed()
    expect(page.locator(toggle)).to_have_attribute("aria-pressed", "true")


def test_a_link_to_a_card_of_a_row_still_to_load_loads_it_and_scrolls_to_the_card(page):
    """Logging in from a card of a lazy row comes back to /#<row>-movie-<id>."""
    drama = GenreFactory(name="Drama")
    movie = MovieFactory(title="Heat", genres=[drama])
    for n in range(4):
        MovieFactory(title=f"Filler {n}", genres=[GenreFactory(name=f"Genre {n}")])
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto(f"/#{drama.pk}-genre-movie-{movie.pk}")

    card = page.locator(f'[id="{drama.pk}-genre-movie-{movie.pk}"]')
    expect(card).to_be_in_viewport()
