"""Journey 1: a visitor searches as they type, filters, opens a movie, follows an actor."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from movies import services
from movies.tests.factories import ActorFactory, GenreFactory, MovieFactory
from movies.tests.images import image_upload

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def catalogue():
    drama, comedy = GenreFactory(name="Drama"), GenreFactory(name="Comedy")
    streep, hanks = ActorFactory(name="Meryl Streep"), ActorFactory(name="Tom Hanks")
    services.movie_create(
        title="The Quiet Harbour",
        plot_summary="A lighthouse keeper waits out the longest winter.",
        rating=Decimal("4.5"),
        genres=[drama.pk],
        actors=[streep.pk, hanks.pk],
        image=image_upload("harbour.png", size=(120, 180)),
    )
    MovieFactory(title="Harbour Lights", rating=Decimal("3.0"), genres=[comedy])
    MovieFactory(title="Harbour of Shadows", rating=Decimal("2.5"), genres=[drama])
    MovieFactory(title="Midnight Express Lane", rating=Decimal("4.8"), genres=[drama])
    MovieFactory(
        title="Letters from Lisbon", rating=Decimal("4.0"), genres=[comedy], actors=[streep]
    )


def movie_titles(page: Page):
    """The titles of the movie cards on the page (the links in the cards' headings)."""
    return (
        page.get_by_role("main").get_by_role("article").get_by_role("heading").get_by_role("link")
    )


def test_visitor_searches_filters_opens_a_movie_and_follows_an_actor(page: Page, catalogue):
    page.goto("/movies/")
    expect(page.get_by_role("heading", level=1, name="Movies")).to_be_visible()
    count = page.get_by_role("region", name="Results").get_by_role("status")
    expect(count).to_have_text("5 movies")

    # Results follow the keyboard: no submit, no page load (the marker survives).
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Search movies").press_sequentially("harbour", delay=40)
    expect(count).to_have_text("3 movies")
    # All three are title matches; their order inside the tier is each database's own
    # (PostgreSQL ranks, SQLite is newest first): movies/tests/test_search*.py hold it.
    expect(movie_titles(page)).to_have_count(3)
    assert sorted(movie_titles(page).all_inner_texts()) == [
        "Harbour Lights",
        "Harbour of Shadows",
        "The Quiet Harbour",
    ]
    expect(page).to_have_url(re.compile(r"\?search=harbour$"))

    page.get_by_label("Genre").select_option(label="Drama")
    expect(count).to_have_text("2 movies")
    page.get_by_label("Minimum rating").fill("4")
    expect(count).to_have_text("1 movie")
    expect(movie_titles(page)).to_have_text(["The Quiet Harbour"])
    assert page.evaluate("window.stillTheSamePage") is True

    # The address bar kept up: the filtered list can be shared and reloaded.
    expect(page).to_have_url(re.compile(r"search=harbour&genre=Drama&min_rating=4$"))
    page.reload()
    expect(page.get_by_label("Search movies")).to_have_value("harbour")
    expect(page.get_by_label("Genre")).to_have_value("Drama")
    expect(page.get_by_label("Minimum rating")).to_have_value("4")
    expect(movie_titles(page)).to_have_text(["The Quiet Harbour"])

    # The movie page: poster (served from MEDIA_ROOT), plot, rating, genres, cast.
    movie_titles(page).get_by_text("The Quiet Harbour").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Quiet Harbour")
    poster = page.get_by_role("img", name="Poster of The Quiet Harbour")
    expect(poster).to_be_visible()
    expect(poster).not_to_have_js_property("naturalWidth", 0)  # it loaded (srcset picks the size)
    expect(page.get_by_text("A lighthouse keeper waits out the longest winter.")).to_be_visible()
    expect(page.get_by_text("Rated 4.5 out of 5")).to_be_attached()
    genres = page.get_by_role("region", name="Genres")
    expect(genres.get_by_role("link")).to_have_text(["Drama"])
    cast = page.get_by_role("region", name="Cast")
    expect(cast.get_by_role("link")).to_have_text(["Meryl Streep", "Tom Hanks"])

    # Follow an actor: their page lists their movies and only theirs.
    cast.get_by_role("link", name="Meryl Streep").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meryl Streep")
    expect(page).to_have_title(re.compile("^Meryl Streep"))
    expect(page.get_by_role("region", name="Movies with Meryl Streep")).to_be_attached()
    expect(movie_titles(page)).to_have_text(
        ["Letters from Lisbon", "The Quiet Harbour"], use_inner_text=True
    )
