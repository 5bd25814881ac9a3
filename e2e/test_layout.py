"""Layout: text that people type (titles, names, subjects, messages) can be one long
word; on a phone and on a desktop it wraps, and no page grows wider than the window."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext

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
