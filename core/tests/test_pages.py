"""``core.pages``: pagination with page numbers, and the htmx fragment/history rule."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from core.pages import FRAGMENT_VARY, paginate, render_page, wants_fragment


def get(path: str = "/", **headers):
    request = RequestFactory().get(path, **headers)
    request.htmx = HtmxDetails(request)
    return request


HX = {"HTTP_HX_REQUEST": "true"}


def test_paginate_gives_the_page_its_rows_and_numbered_links():
    page = paginate(get("/movies/?page=5"), list(range(200)), per_page=10, rows_name="numbers")

    assert page["page_obj"].number == 5
    assert list(page["object_list"]) == list(range(40, 50))
    assert page["numbers"] is page["object_list"]
    assert page["page_param"] == "page"
    ellipsis = page["page_obj"].paginator.ELLIPSIS
    assert page["page_range"] == [1, 2, 3, 4, 5, 6, 7, ellipsis, 20]


@pytest.mark.parametrize(("asked", "served"), [("0", 8), ("abc", 1), ("999", 8), ("", 1)])
def test_a_bad_page_number_gives_a_real_page_not_an_error(asked, served):
    page = paginate(get(f"/movies/?p={asked}"), list(range(80)), per_page=10, page_param="p")
    assert page["page_obj"].number == served
    assert page["page_param"] == "p"


def test_one_page_has_no_other_pages():
    page = paginate(get(), [1, 2], per_page=10)
    assert not page["page_obj"].has_other_pages()
    assert page["page_range"] == [1]


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({}, False),
        (HX, True),
        ({**HX, "HTTP_HX_BOOSTED": "true"}, False),
        ({**HX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}, False),
    ],
    ids=["plain", "htmx", "boosted", "history-restore"],
)
def test_only_an_htmx_request_for_part_of_a_page_gets_a_fragment(headers, fragment):
    assert wants_fragment(get(**headers)) is fragment


def test_a_request_without_the_htmx_middleware_is_a_whole_page():
    assert wants_fragment(RequestFactory().get("/")) is False


@pytest.fixture
def rendered(monkeypatch):
    """Which template ``render_page`` asks Django for (and with what status)."""
    import core.pages

    def fake_render(request, template_name, context, status=None):
        return HttpResponse(template_name, status=status)

    monkeypatch.setattr(core.pages, "render", fake_render)


def test_render_page_picks_the_fragment_and_varies_on_the_htmx_headers(rendered):
    whole = render_page(get(), "page.html", {})
    part = render_page(get(**HX), "page.html", {}, status=422)
    named = render_page(get(**HX), "page.html", {}, fragment="ticket")
    restore = render_page(get(**HX, HTTP_HX_HISTORY_RESTORE_REQUEST="true"), "page.html", {})

    assert whole.content == b"page.html"
    assert (part.content, part.status_code) == (b"page.html#results", 422)
    assert named.content == b"page.html#ticket"
    assert restore.content == b"page.html"
    for response in (whole, part, named, restore):
        assert [h.strip() for h in response["Vary"].split(",")] == list(FRAGMENT_VARY)
