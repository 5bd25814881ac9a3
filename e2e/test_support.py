"""Journey 4: a user reports a problem from a movie page; an agent handles it in the queue."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from movies.tests.factories import MovieFactory
from support.models import Ticket
from support.tests.factories import TicketFactory

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def details(page: Page):
    """The ticket page's side panel: status, assignee and the rest, as text."""
    return page.get_by_role("complementary", name="Ticket details")


def test_user_reports_a_problem_and_an_agent_resolves_it(open_context, make_user, log_in_as):
    harbour = MovieFactory(title="The Quiet Harbour", rating=Decimal("4.5"))
    lights = MovieFactory(title="Harbour Lights")
    alice = make_user("alice")
    sam = make_user("sam", agent=True)
    TicketFactory(  # someone else's ticket, about another movie: the search must leave it out
        subject="Poster is upside down", movie_id=lights.pk, movie_title=lights.title
    )

    user_context, agent_context = open_context(), open_context()
    log_in_as(user_context, alice)
    log_in_as(agent_context, sam)
    user, agent = user_context.new_page(), agent_context.new_page()

    # The user reports a problem from the movie page: the movie is already chosen.
    user.goto(f"/movies/{harbour.pk}/")
    user.get_by_role("link", name="Report a problem with this movie").click()
    expect(user.get_by_role("heading", level=1)).to_have_text("Report a problem")
    movie = user.get_by_label("Movie", exact=True)
    expect(movie).to_have_value(str(harbour.pk))
    expect(movie.locator("option:checked")).to_have_text("The Quiet Harbour")
    user.get_by_label("Subject").fill("Wrong year on the poster")
    user.get_by_label("Category").select_option(label="Wrong or missing movie details")
    user.get_by_label("Description").fill("The poster says 1998; the film came out in 2001.")
    user.get_by_role("button", name="Send ticket").click()

    ticket = Ticket.objects.get(subject="Wrong year on the poster")
    expect(user.get_by_role("status").filter(has_text="is filed")).to_contain_text(ticket.reference)
    assert (ticket.requester, ticket.movie_id, ticket.movie_title) == (
        alice,
        harbour.pk,
        "The Quiet Harbour",
    )

    # ...and finds it under My tickets.
    user.get_by_role("navigation", name="Main").get_by_role("link", name="Support").click()
    expect(user.get_by_role("heading", level=1)).to_have_text("My tickets")
    row = user.get_by_role("row").filter(has_text="Wrong year on the poster")
    expect(row).to_contain_text("The Quiet Harbour")
    expect(row).to_contain_text("New")
    expect(user.get_by_role("row")).to_have_count(2)  # the heading row and hers, only

    # The agent finds it in the queue by the movie's title.
    agent.goto("/support/queue/")
    expect(agent.get_by_role("status").filter(has_text="ticket")).to_have_text("2 tickets")
    agent.get_by_label("Search").press_sequentially("quiet harbour", delay=20)  # as they type
    expect(agent.get_by_role("status").filter(has_text="ticket")).to_have_text("1 ticket")
    expect(agent).to_have_url(re.compile(r"search=quiet(\+|%20)harbour"))
    agent.get_by_role("link", name=ticket.reference).click()
    expect(agent.get_by_role("heading", level=1)).to_have_text("Wrong year on the poster")

    # Assigns it, replies, leaves an internal note, resolves it.
    agent.get_by_role("button", name="Assign to me").click()
    expect(details(agent)).to_contain_text("Assignee sam", use_inner_text=True)
    agent.get_by_role("textbox", name="Your message").fill(
        "Thanks, fixed: the poster now says 2001."
    )
    agent.get_by_role("button", name="Send", exact=True).click()
    expect(agent.get_by_role("status").filter(has_text="Reply sent.")).to_be_visible()
    agent.get_by_role("textbox", name="Your message").fill(
        "Checked against the studio's press kit."
    )
    agent.get_by_label("Internal note").check()
    agent.get_by_role("button", name="Send", exact=True).click()
    expect(agent.get_by_role("status").filter(has_text="Internal note added.")).to_be_visible()
    agent.get_by_role("button", name="Mark resolved").click()
    expect(details(agent)).to_contain_text("Status Resolved", use_inner_text=True)

    # The user sees the reply (not the internal note) and closes the ticket.
    user.get_by_role("link", name=ticket.reference).click()
    conversation = user.get_by_role("region", name="Conversation")
    expect(conversation).to_contain_text("Thanks, fixed: the poster now says 2001.")
    expect(conversation).not_to_contain_text("press kit")
    expect(details(user)).to_contain_text("Status Resolved", use_inner_text=True)
    user.get_by_role("button", name="Close ticket").click()
    expect(details(user)).to_contain_text("Status Closed", use_inner_text=True)
    expect(user.get_by_text("This ticket is closed.")).to_be_visible()

    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (Ticket.Status.CLOSED, sam)
