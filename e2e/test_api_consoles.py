"""Journey 5: an admin uses the API consoles, Swagger UI and GraphiQL, in the browser.

Both pages load only from the live server: the request guard of every test fails
it on any request to another host, on an uncaught script error and on an asset
that does not load, so "renders fully, everything local" is checked for each page.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import PASSWORD
from movies.models import Genre
from movies.tests.factories import MovieFactory

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ALL_MOVIES_QUERY = '{ allMovies(genre: "space western") { title genres { name } } }'


def swagger_try_it_out(page: Page, operation: str, body: dict) -> tuple[str, str]:
    """Expands ``operation``, sends ``body`` with "Try it out" and "Execute", and
    returns the status code and the response body shown under "Server response".
    The operation is collapsed again so the next one is the only one open."""
    summary = page.get_by_role("button", name=operation)
    summary.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("tabpanel", name="Edit Value").get_by_role("textbox").fill(json.dumps(body))
    page.get_by_role("button", name="Execute").click()
    response = page.get_by_role("row").filter(has=page.get_by_role("heading", name="Response body"))
    expect(response).to_be_visible()
    status = response.get_by_role("cell").first.inner_text().strip()
    text = response.get_by_role("code").first.inner_text()
    summary.click()
    return status, text


def test_admin_creates_a_genre_in_swagger_with_a_jwt_then_queries_graphiql(
    page: Page, make_user, request_guard
):
    make_user("root", is_staff=True)

    # Swagger: log in through the API's own login endpoint, from the page itself.
    page.goto("/swagger/")
    expect(page).to_have_title(re.compile("Reelhouse"))
    status, body = swagger_try_it_out(
        page, "POST /users/login/ users_login_create", {"username": "root", "password": PASSWORD}
    )
    assert status == "200", body
    login = json.loads(body)
    assert login["user"]["username"] == "root"

    # Authorize with the access token, as Bearer.
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.get_by_label("Value:").fill(f"Bearer {login['access']}")
    page.get_by_role("button", name="Apply credentials").click()
    expect(page.get_by_role("heading", name="Authorized")).to_be_visible()
    page.get_by_role("button", name="Close").click()

    # Create a genre with "Try it out": the request carries the token, the API says 201.
    status, body = swagger_try_it_out(
        page, "POST /movies/genres/ movies_genres_create", {"name": "Space Western"}
    )
    assert status == "201", body
    genre = Genre.objects.get(name="Space Western")
    assert json.loads(body) == {"id": genre.pk, "name": "Space Western"}

    # GraphiQL: the new genre is there for allMovies to filter on.
    MovieFactory(title="Dust of Orion", genres=[genre])
    MovieFactory(title="The Quiet Harbour")
    page.goto("/graphql/")
    expect(page).to_have_title(re.compile("GraphiQL"))
    page.get_by_role("region", name="Query Editor").get_by_role("textbox").focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(ALL_MOVIES_QUERY)  # typed keys would get auto-closed brackets
    page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()

    result = page.get_by_role("region", name="Result Window")
    expect(result).to_contain_text('"title": "Dust of Orion"')
    expect(result).to_contain_text('"name": "Space Western"')
    expect(result).not_to_contain_text("The Quiet Harbour")

    assert request_guard.problems() == []
