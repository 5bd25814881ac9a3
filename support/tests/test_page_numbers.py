"""The support lists show page numbers, not only "Next".

``support.views`` once paginated with its own helper that never passed ``page_range``
to ``includes/pagination.html``: the agents' queue with 80 tickets showed "Next" and
no page numbers. Both lists now use ``core.pages.paginate``.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .factories import TicketFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_numbers(html: str) -> list[str]:
    """The numbers of the page links and of the current page, in order."""
    return re.findall(r'<span class="visually-hidden">Page </span>(\d+)<', html)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx-fragment"])
def test_the_queue_with_80_tickets_links_every_page_by_number(page_for, user, htmx):
    TicketFactory.create_batch(80, requester=user)  # 25 a page: 4 pages
    client = page_for("agent")

    response = client.get(reverse("support:queue"), {"page": 2}, **(HTMX if htmx else {}))

    html = response.content.decode()
    assert page_numbers(html) == ["1", "2", "3", "4"]
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>2<', html)
    assert 'href="?page=4"' in html


def test_my_tickets_links_its_pages_by_number(page_for, user):
    TicketFactory.create_batch(60, requester=user)

    html = page_for("requester").get(reverse("support:ticket_list")).content.decode()

    assert page_numbers(html) == ["1", "2", "3"]
    assert 'href="?page=3"' in html
