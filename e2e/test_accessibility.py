"""Accessibility measured (issue 16): axe-core (vendored by ``axe-playwright-python``,
a test-only dependency) on every page, both colour themes, logged out and logged in
(as a support agent, so the queue and the dashboard of the desk are included), at
1280 and 390 px. Zero serious or critical violations.

One test per theme, width and kind of caller (visitor or member) visits its pages in
one browser context, which keeps the run short and lets pytest-xdist spread the eight
tests over its workers. With ``SCREENSHOTS_DIR`` set (``make
screenshots``), each main page is also saved there as ``<page>-<width>-<theme>.png``.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from movies.tests.factories import GenreFactory, MovieFactory, PersonFactory
from movies.tests.images import image_upload
from support.tests.factories import CommentFactory, TicketFactory
from users.services import diary_log, profile_get_or_create, profile_update, rating_set

pytestmark = pytest.mark.e2e

AXE = Axe()
SERIOUS = {"serious", "critical"}
SCREENSHOTS = {"home", "movies", "movie", "login", "queue", "dashboard"}
AGENT_SCREENSHOTS = {"queue", "dashboard"}


def catalogue():
    drama, comedy = GenreFactory(name="Drama"), GenreFactory(name="Comedy")
    lead = PersonFactory(name="Ana Lima")
    movies = []
    for index, (title, rating) in enumerate(
        [("The Quiet Harbour", "4.6"), ("Loud City", "3.9"), ("Night Ferry", "4.2")]
    ):
        movie = MovieFactory(
            title=title,
            rating=Decimal(rating),
            plot_summary=f"{title}: a story told slowly, by the sea.",
            genres=[drama] if index % 2 == 0 else [comedy, drama],
            actors=[lead],
        )
        movie.image = image_upload()
        movie.save()
        movies.append(movie)
    return movies, drama, lead


def serious_violations(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("who", ["visitor", "member"])
@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_has_no_serious_accessibility_violations(
    open_context, make_user, log_in_as, width, theme, who
):
    movies, genre, person = catalogue()
    agent = make_user("sam", agent=True)
    ticket = TicketFactory(
        requester=agent, subject="Wrong year", movie_id=movies[0].pk, movie_title=movies[0].title
    )
    CommentFactory(ticket=ticket, author=agent, body="Looking into it.")
    movie_url = f"/movies/{movies[0].pk}/"
    # The agent is also a member with a public profile, a review (with a spoiler) and a
    # diary, so the movie page's reviews, the diary and /u/<name>/ have content to check.
    profile = profile_get_or_create(user=agent)
    profile_update(profile=profile, by=agent, is_public=True, favorite_movies=[movies[1].pk])
    rating_set(user=agent, movie_id=movies[0].pk, score="4.5", review="It ends well.", spoiler=True)
    diary_log(user=agent, movie_id=movies[0].pk, note="Second time round.")

    context = open_context(color_scheme=theme)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    shots = os.environ.get("SCREENSHOTS_DIR")
    problems: dict[str, list[str]] = {}

    def check(name: str, url: str, logged_in: bool) -> None:
        page.goto(url)
        assert page.locator("html").get_attribute("data-bs-theme") == theme, url
        if name == "home":  # the rows below the fold load as they scroll into view
            for _ in range(20):
                page.mouse.wheel(0, 600)
                page.wait_for_timeout(100)
            expect(page.locator(".movie-rail--pending")).to_have_count(0)
            assert page.locator(f'[id="{genre.pk}-genre-movie-{movies[0].pk}"]').count() == 1
        found = serious_violations(page)
        if found:
            problems[f"{url} ({'member' if logged_in else 'visitor'})"] = found
        if shots and name in SCREENSHOTS and logged_in == (name in AGENT_SCREENSHOTS):
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.evaluate("window.scrollTo(0, 0)")  # the home page was scrolled to its end
            page.screenshot(path=f"{shots}/{name}-{width}-{theme}.png", full_page=False)

    visitor_pages = [
        ("home", "/"),
        ("movies", "/movies/?search=the"),
        ("movie", movie_url),
        ("genre", f"/genres/{genre.pk}/"),
        ("home-row", f"/home/rows/{genre.pk}-genre/"),
        ("person", f"/actors/{person.pk}/"),
        ("login", "/accounts/login/"),
        ("register", "/accounts/register/"),
        ("developers", "/developers/"),
        ("password-reset", "/accounts/password/reset/"),
        ("profile", f"/u/{agent.username}/"),
        ("404", "/no-such-page/"),
    ]
    member_pages = [
        ("home", "/"),
        ("movies", "/movies/"),
        ("movie", movie_url),
        ("lists", "/accounts/lists/"),
        ("diary", "/accounts/diary/"),
        ("tickets", "/support/mine/"),
        ("new-ticket", f"/support/new/?movie={movies[0].pk}"),
        ("queue", "/support/queue/"),
        ("dashboard", "/support/dashboard/"),
        ("ticket", f"/support/{ticket.pk}/"),
        ("password", "/accounts/password/change/"),
    ]
    if who == "visitor":
        for name, url in visitor_pages:
            check(name, url, logged_in=False)
    else:
        log_in_as(context, agent)
        for name, url in member_pages:
            check(name, url, logged_in=True)

    report = "\n".join(f"{where}: {found}" for where, found in problems.items())
    assert problems == {}, report
