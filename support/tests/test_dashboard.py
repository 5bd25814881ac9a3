"""The agents' dashboard: who may see it, what it counts, and that it costs a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from support import selectors
from support.models import Ticket, TicketComment

from .conftest import ROLES
from .factories import CommentFactory, TicketFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "support:dashboard"


def _ticket(requester, *, age: timedelta, resolved_after: timedelta | None = None, **fields):
    ticket = TicketFactory(requester=requester, **fields)
    created = timezone.now() - age
    resolved = created + resolved_after if resolved_after is not None else None
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created, resolved_at=resolved)
    ticket.refresh_from_db()
    return ticket


def _comment(ticket, author, *, after: timedelta, internal: bool = False):
    comment = CommentFactory(ticket=ticket, author=author, internal=internal)
    TicketComment.objects.filter(pk=comment.pk).update(created_at=ticket.created_at + after)


@pytest.fixture
def desk(user, agent):
    """Five tickets: two open, three resolved, one of them filed too long ago for the medians."""
    answered = _ticket(
        user, age=timedelta(hours=2), status=Ticket.Status.OPEN, priority=Ticket.Priority.HIGH
    )
    _comment(answered, user, after=timedelta(minutes=5))  # the requester: not a response
    _comment(answered, agent, after=timedelta(minutes=10), internal=True)  # a note: not one either
    _comment(answered, agent, after=timedelta(hours=1))  # first response: 1 h
    _ticket(user, age=timedelta(days=1), status=Ticket.Status.NEW, priority=Ticket.Priority.URGENT)
    resolved = _ticket(
        user, age=timedelta(days=3), resolved_after=timedelta(hours=4), status="resolved"
    )
    _comment(resolved, agent, after=timedelta(hours=3))  # first response: 3 h
    _comment(resolved, agent, after=timedelta(hours=3, minutes=30))
    _ticket(user, age=timedelta(days=5), resolved_after=timedelta(hours=2), status="closed")
    old = _ticket(
        user, age=timedelta(days=100), resolved_after=timedelta(hours=100), status="closed"
    )
    _comment(old, agent, after=timedelta(hours=50))
    return {"answered": answered}


# --- Who may open it ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_agents_and_admins_see_the_dashboard(page_for, role, desk):
    response = page_for(role).get(reverse(DASHBOARD))
    if role == "anonymous":
        assertRedirects(response, f"{reverse('users:login')}?next={reverse(DASHBOARD)}")
    elif role in ("requester", "other"):
        assert response.status_code == 403  # as the queue answers them
    else:
        assert response.status_code == 200
        assert b"Support dashboard" in response.content


def test_the_dashboard_takes_no_posts(page_for):
    assert page_for("agent").post(reverse(DASHBOARD)).status_code == 405


def test_the_queue_links_to_the_dashboard_for_agents(page_for):
    page = page_for("agent").get(reverse("support:queue")).content.decode()
    assert f'href="{reverse(DASHBOARD)}"' in page


# --- What it counts ---------------------------------------------------------------------------


def test_open_tickets_by_status_and_priority(desk):
    stats = selectors.dashboard_stats()
    assert stats["open_total"] == 2
    by_status = {value: n for value, _label, n in stats["by_status"]}
    assert by_status == {"new": 1, "open": 1, "waiting_on_customer": 0}
    by_priority = {value: n for value, _label, n in stats["by_priority"]}
    assert by_priority == {"low": 0, "normal": 0, "high": 1, "urgent": 1}


def test_opened_and_resolved_per_day_over_thirty_days(desk):
    stats = selectors.dashboard_stats()
    daily = stats["daily"]
    assert len(daily) == 30
    assert daily[-1]["day"] == timezone.localdate()
    assert daily[0]["day"] == timezone.localdate() - timedelta(days=29)
    # The 100-day-old ticket is in neither series; the four recent ones were opened,
    # two of them resolved within the window.
    assert stats["opened_total"] == sum(row["opened"] for row in daily) == 4
    assert stats["resolved_total"] == sum(row["resolved"] for row in daily) == 2
    answered_day = timezone.localdate(desk["answered"].created_at)
    assert next(row for row in daily if row["day"] == answered_day)["opened"] >= 1


def test_medians_count_public_agent_replies_and_the_last_ninety_days(desk):
    stats = selectors.dashboard_stats()
    # First responses 1 h and 3 h (the requester's comment and the internal note do not
    # count, nor the 100-day-old ticket's 50 h): median 2 h.
    assert stats["median_first_response_hours"] == 2.0
    assert stats["responded_count"] == 2
    # Resolutions 4 h and 2 h (not the old ticket's 100 h): median 3 h.
    assert stats["median_resolution_hours"] == 3.0
    assert stats["resolved_count"] == 2


def test_an_empty_desk_shows_dashes_not_errors(page_for):
    stats = selectors.dashboard_stats()
    assert stats["median_first_response_hours"] is None
    assert stats["median_resolution_hours"] is None
    response = page_for("agent").get(reverse(DASHBOARD))
    assert response.status_code == 200
    assert 'data-testid="median-resolution">—<' in response.content.decode()


def test_the_page_draws_the_chart_and_its_table(page_for, desk):
    page = page_for("agent").get(reverse(DASHBOARD)).content.decode()
    assert '<svg class="dash-chart"' in page
    assert 'aria-hidden="true" focusable="false"' in page
    assert page.count('<rect class="dash-opened"') == 30
    assert page.count('<text class="dash-label"') == 5  # weekly labels, the last one today
    assert 'data-testid="daily-table"' in page
    assert page.count('<th scope="row"') == 30
    assert 'data-testid="median-first-response">2.0 h<' in page
    assert 'data-testid="median-resolution">3.0 h<' in page
    assert 'data-status="open">1<' in page
    assert 'data-priority="urgent">1<' in page
    # The CSP forbids inline script and style: none here.
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    assert "style=" not in page


# --- What it costs --------------------------------------------------------------------------


def _grow(user, agent, n: int) -> None:
    for i in range(n):
        ticket = _ticket(
            user, age=timedelta(days=i % 40, hours=1), resolved_after=timedelta(hours=i % 5 + 1)
        )
        _comment(ticket, agent, after=timedelta(minutes=30))


def test_the_stats_take_four_queries_whatever_the_ticket_count(
    user, agent, django_assert_num_queries
):
    _grow(user, agent, 3)
    with django_assert_num_queries(4):
        selectors.dashboard_stats()
    _grow(user, agent, 30)
    with django_assert_num_queries(4):
        stats = selectors.dashboard_stats()
    assert stats["responded_count"] == 33


def test_the_page_keeps_its_query_count_as_tickets_grow(
    page_for, user, agent, django_assert_max_num_queries
):
    client = page_for("agent")
    _grow(user, agent, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(DASHBOARD))
    _grow(user, agent, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(DASHBOARD)).status_code == 200


# --- Short category labels in the queue ---------------------------------------------------------


def test_the_queue_shows_short_category_labels_with_the_full_one(page_for, user):
    TicketFactory(requester=user, category=Ticket.Category.MOVIE_INFO)
    TicketFactory(requester=user, category=Ticket.Category.TECHNICAL)
    page = page_for("agent").get(reverse("support:queue")).content.decode()
    assert (
        '<span title="Wrong or missing movie details"><span aria-hidden="true">Movie info</span>'
        '<span class="visually-hidden">Wrong or missing movie details</span></span>'
    ) in page
    assert '<span aria-hidden="true">Tech</span>' in page


def test_every_category_has_a_short_label():
    for value, label in Ticket.Category.choices:
        short = Ticket(category=value).category_short
        assert 0 < len(short) <= 10, (value, label, short)
        assert short != value
