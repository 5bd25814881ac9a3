"""The support desk's movie picker offers the catalogue's suggestions (searchSuggestions),
the same as the site's search box: titles that start with the text first."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from movies.tests.factories import MovieFactory
from support.catalogue import CatalogueClient, LocalTransport

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_client_reads_search_suggestions():
    inside = MovieFactory(title="The Godfather")
    start = MovieFactory(title="Godzilla")
    MovieFactory(title="Plot only", plot_summary="A godfather.")
    found = CatalogueClient(LocalTransport()).suggest("god", limit=50)
    assert [(movie.id, movie.title) for movie in found] == [
        (start.pk, "Godzilla"),
        (inside.pk, "The Godfather"),
    ]
    assert CatalogueClient(LocalTransport()).suggest("g") == []


def test_the_picker_lists_the_suggestions_in_their_order(page_for):
    MovieFactory(title="The Godfather")
    MovieFactory(title="Godzilla")
    MovieFactory(title="Plot only", plot_summary="A godfather.")
    response = page_for("requester").get(
        reverse("support:movie_options"), {"movie_search": "god"}, **HTMX
    )
    page = response.content.decode()
    options = re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", page)
    assert options == ["Godzilla", "The Godfather"]
    assert "2 movies match “god”" in page
