"""The support pages: who may open and post what, "Report a problem" with its movie
picker, "My tickets", the ticket page, the agents' queue; full pages and their HTMX
fragments, CSRF on every POST, the catalogue being down, and query counts."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from movies.tests.factories import GenreFactory, MovieFactory
from support.models import Ticket, TicketComment, TicketEvent

from .conftest import ROLES
from .factories import AgentFactory, CommentFactory, EventFactory, TicketFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
LOGIN = reverse("users:login")


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def ticket(user, agent):
    """Alice's open ticket about a movie, with a public reply, an internal note and history."""
    movie = MovieFactory(title="The Quiet Harbour", genres=[GenreFactory(name="Drama")])
    ticket = TicketFactory(
        requester=user,
        subject="Wrong year",
        status="open",
        movie_id=movie.pk,
        movie_title="The Quiet Harbour",
    )
    CommentFactory(ticket=ticket, author=agent, body="Public answer from support")
    CommentFactory(ticket=ticket, author=agent, body="Secret agent note", internal=True)
    EventFactory(ticket=ticket, actor=agent)
    return ticket


def urls(ticket) -> dict[str, str]:
    return {
        "ticket_list": reverse("support:ticket_list"),
        "ticket_create": reverse("support:ticket_create"),
        "movie_options": reverse("support:movie_options"),
        "queue": reverse("support:queue"),
        "ticket_detail": reverse("support:ticket_detail", args=[ticket.pk]),
    }


# --- Who may open which page ------------------------------------------------------------------

PAGE_EXPECTATIONS = {
    #               list  create options queue detail
    "requester": (200, 200, 200, 403, 200),
    "other": (200, 200, 200, 403, 404),
    "agent": (200, 200, 200, 200, 200),
    "admin": (200, 200, 200, 200, 200),
}
PAGES = ["ticket_list", "ticket_create", "movie_options", "queue", "ticket_detail"]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_log_in_and_back(client, ticket, page):
    url = urls(ticket)[page]
    response = client.get(url)
    assertRedirects(response, f"{LOGIN}?next={url}", fetch_redirect_response=False)


@pytest.mark.parametrize("role", list(PAGE_EXPECTATIONS))
@pytest.mark.parametrize("page", PAGES)
def test_who_may_open_which_page(page_for, ticket, role, page):
    expected = PAGE_EXPECTATIONS[role][PAGES.index(page)]
    assert page_for(role).get(urls(ticket)[page]).status_code == expected


# POSTs: (view, data) → expected outcome per role: "ok" (done, redirect), 403, 404.
POST_EXPECTATIONS = {
    "ticket_reply": (
        {"body": "A reply"},
        {"requester": "ok", "other": 404, "agent": "ok", "admin": "ok"},
    ),
    "ticket_transition": (
        {"status": "resolved"},
        {"requester": "refused", "other": 404, "agent": "ok", "admin": "ok"},
    ),
    "ticket_assign": (
        {"assignee": "AGENT"},
        {"requester": 403, "other": 404, "agent": "ok", "admin": "ok"},
    ),
    "ticket_update": (
        {"priority": "urgent", "category": "technical"},
        {"requester": 403, "other": 404, "agent": "ok", "admin": "ok"},
    ),
}


def changed(ticket, view) -> bool:
    ticket.refresh_from_db()
    return {
        "ticket_reply": TicketComment.objects.filter(ticket=ticket, body="A reply").exists(),
        "ticket_transition": ticket.status == "resolved",
        "ticket_assign": ticket.assignee is not None,
        "ticket_update": ticket.priority == "urgent",
    }[view]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(POST_EXPECTATIONS))
def test_who_may_post_what(page_for, user, agent, role, view):
    ticket = TicketFactory(requester=user, status="open")
    data, expectations = POST_EXPECTATIONS[view]
    data = {key: agent.pk if value == "AGENT" else value for key, value in data.items()}
    url = reverse(f"support:{view}", args=[ticket.pk])
    response = page_for(role).post(url, data)
    expected = expectations.get(role, "login")
    if expected == "login":
        assertRedirects(response, f"{LOGIN}?next={url}", fetch_redirect_response=False)
        assert not changed(ticket, view)
    elif expected in ("ok", "refused"):
        assertRedirects(response, reverse("support:ticket_detail", args=[ticket.pk]))
        assert changed(ticket, view) is (expected == "ok")
    else:
        assert response.status_code == expected
        assert not changed(ticket, view)


@pytest.mark.parametrize("view", [*POST_EXPECTATIONS, "ticket_create"])
def test_page_posts_need_a_csrf_token(page_for, user, agent, view):
    ticket = TicketFactory(requester=user, status="open")
    client = page_for("agent", enforce_csrf_checks=True)
    url = (
        reverse("support:ticket_create")
        if view == "ticket_create"
        else reverse(f"support:{view}", args=[ticket.pk])
    )
    data = {"subject": "s", "description": "d", "category": "other", "priority": "normal"}
    if view != "ticket_create":
        data = {
            key: agent.pk if v == "AGENT" else v for key, v in POST_EXPECTATIONS[view][0].items()
        }
    assert client.post(url, data).status_code == 403

    page = client.get(reverse("support:ticket_detail", args=[ticket.pk]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(page)).group(1)
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    # HTMX sends the token in a header, as base.html's hx-headers does.
    htmx = client.post(url, data, HTTP_X_CSRFTOKEN=token, **HTMX)
    assert htmx.status_code == (302 if view == "ticket_create" else 200)


# --- The ticket page --------------------------------------------------------------------------


def test_a_requester_sees_public_replies_and_no_agent_tools(page_for, ticket):
    response = page_for("requester").get(ticket.get_absolute_url())
    assertContains(response, "Wrong year")
    assertContains(response, ticket.reference)
    assertContains(response, "Public answer from support")
    assertNotContains(response, "Secret agent note")
    assertNotContains(response, 'id="history-heading"')
    assertNotContains(response, "Assign to me")
    assertNotContains(response, "Internal note")
    assert re.search(r'<label\s+for="id_body"[^>]*>\s*Your message', html(response))
    assertContains(response, "Send reply")


@pytest.mark.parametrize("role", ["agent", "admin"])
def test_an_agent_sees_notes_history_and_controls(page_for, ticket, role):
    response = page_for(role).get(ticket.get_absolute_url())
    page = html(response)
    assert "Secret agent note" in page
    assert "Internal note" in page
    assert '<h2 id="history-heading" class="h5">History</h2>' in page
    assert "changed priority from <em>Normal</em> to <em>High</em>" in page
    assert "Assign to me" in page
    assert ">Reassign</button>" in page
    assert ">Mark resolved</button>" in page
    assert ">Wait for the customer</button>" in page
    assert re.search(r'<label\s+for="id_internal"', page)


def test_a_requester_closes_or_reopens_a_resolved_ticket_from_its_page(page_for, user):
    ticket = TicketFactory(requester=user, status="resolved")
    client = page_for("requester")
    page = html(client.get(ticket.get_absolute_url()))
    assert '<button type="submit" name="status" value="closed"' in page
    assert '<button type="submit" name="status" value="open"' in page

    response = client.post(
        reverse("support:ticket_transition", args=[ticket.pk]), {"status": "closed"}, follow=True
    )
    assertContains(response, "The ticket is now closed.")
    assertContains(response, "This ticket is closed.")
    assertNotContains(response, 'name="status"')
    assertNotContains(response, "Send reply")


@pytest.mark.parametrize("status", ["new", "open", "waiting_on_customer", "closed"])
def test_a_requester_gets_no_status_buttons_otherwise(page_for, user, status):
    ticket = TicketFactory(requester=user, status=status)
    assertNotContains(page_for("requester").get(ticket.get_absolute_url()), 'name="status"')


def test_a_requesters_reply_on_a_waiting_ticket_reopens_it(page_for, user):
    ticket = TicketFactory(requester=user, status="waiting_on_customer")
    response = page_for("requester").post(
        reverse("support:ticket_reply", args=[ticket.pk]), {"body": "Here you go"}, follow=True
    )
    assertContains(response, "Reply sent.")
    assertContains(response, "Here you go")
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_an_agent_writes_an_internal_note_from_the_page_without_email(
    page_for, ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = page_for("agent").post(
            reverse("support:ticket_reply", args=[ticket.pk]),
            {"body": "Check the import", "internal": "on"},
            follow=True,
        )
    assertContains(response, "Internal note added.")
    assert TicketComment.objects.get(body="Check the import").internal is True
    assert mail.outbox == []


def test_a_requester_cannot_sneak_an_internal_note_through_the_form(page_for, ticket):
    page_for("requester").post(
        reverse("support:ticket_reply", args=[ticket.pk]), {"body": "psst", "internal": "on"}
    )
    assert TicketComment.objects.get(body="psst").internal is False


def test_a_blank_reply_shows_a_form_error(page_for, ticket):
    response = page_for("requester").post(
        reverse("support:ticket_reply", args=[ticket.pk]), {"body": "   "}
    )
    assert response.status_code == 200
    assertContains(response, "This field is required.")


def test_assign_to_me_then_reassign(page_for, ticket, agent, admin_user):
    client = page_for("agent")
    url = reverse("support:ticket_assign", args=[ticket.pk])
    response = client.post(url, {"assignee": agent.pk}, follow=True)
    assertContains(response, "The ticket is assigned to you.")
    assertNotContains(response, "Assign to me")
    response = client.post(url, {"assignee": admin_user.pk}, follow=True)
    assertContains(response, "The ticket is assigned to root.")
    response = client.post(url, {"assignee": ""}, follow=True)
    assertContains(response, "The ticket is assigned to nobody.")
    assert TicketEvent.objects.filter(ticket=ticket, field="assignee").count() == 3


def test_reassigning_to_someone_who_is_not_an_agent_is_a_form_error(page_for, ticket, other_user):
    response = page_for("agent").post(
        reverse("support:ticket_assign", args=[ticket.pk]), {"assignee": other_user.pk}
    )
    assert response.status_code == 200
    assertContains(response, "Select a valid choice.")
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_an_agent_sets_priority_and_category(page_for, ticket):
    response = page_for("agent").post(
        reverse("support:ticket_update", args=[ticket.pk]),
        {"priority": "urgent", "category": "technical"},
        follow=True,
    )
    assertContains(response, "Priority and category saved.")
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.category) == ("urgent", "technical")


def test_the_ticket_page_shows_the_movie_from_the_catalogue(page_for, ticket):
    response = page_for("agent").get(ticket.get_absolute_url())
    assertContains(response, "The movie in the catalogue")
    assertContains(response, "Genres: Drama")
    assertContains(response, f'href="{reverse("movies:detail", args=[ticket.movie_id])}"')


def test_the_ticket_page_says_when_the_catalogue_is_down(page_for, ticket, catalogue_down):
    response = page_for("requester").get(ticket.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, "The movie catalogue is not answering right now.")
    assertContains(response, "Wrong year")


def test_the_ticket_page_says_when_the_movie_is_gone(page_for, user):
    ticket = TicketFactory(requester=user, movie_id=987654, movie_title="Lost Film")
    assertContains(
        page_for("requester").get(ticket.get_absolute_url()),
        "The catalogue no longer has movie #987654",
    )


# --- HTMX: fragments for htmx, full pages otherwise -----------------------------------------------


def test_htmx_reply_returns_the_ticket_fragment(page_for, ticket):
    response = page_for("agent").post(
        reverse("support:ticket_reply", args=[ticket.pk]), {"body": "Swapped in"}, **HTMX
    )
    assert response.status_code == 200
    page = html(response)
    assert "<html" not in page
    assert "Swapped in" in page
    assert "Reply sent." in page
    assert "The movie in the catalogue" not in page  # full page only


def test_htmx_refused_move_returns_the_fragment_with_the_reason(page_for, user):
    ticket = TicketFactory(requester=user, status="open")
    response = page_for("requester").post(
        reverse("support:ticket_transition", args=[ticket.pk]), {"status": "resolved"}, **HTMX
    )
    assert response.status_code == 200
    assert "<html" not in html(response)
    assertContains(response, "Only a support agent can make this change.")


@pytest.mark.parametrize(
    ("page", "marker"),
    [("ticket_list", 'id="ticket-results-heading"'), ("queue", 'id="queue-results-heading"')],
)
def test_lists_return_their_results_fragment_to_htmx(page_for, ticket, page, marker):
    client = page_for("agent" if page == "queue" else "requester")
    full = client.get(urls(ticket)[page])
    fragment = client.get(urls(ticket)[page], **HTMX)
    assert "<html" in html(full)
    assert marker in html(full)
    assert "<html" not in html(fragment)
    assert marker in html(fragment)
    assert "Wrong year" in html(fragment)
    assert fragment.headers["Vary"].count("HX-Request") == 1


def test_the_detail_page_returns_its_fragment_to_htmx(page_for, ticket):
    fragment = page_for("requester").get(ticket.get_absolute_url(), **HTMX)
    assert "<html" not in html(fragment)
    assertContains(fragment, "Public answer from support")


# --- Report a problem and the movie picker ----------------------------------------------------------


def test_report_a_problem_preselects_the_movie_from_the_link(page_for):
    movie = MovieFactory(title="The Quiet Harbour")
    response = page_for("requester").get(f"{reverse('support:ticket_create')}?movie={movie.pk}")
    assert response.status_code == 200
    assert re.search(
        rf'<option value="{movie.pk}" selected>The Quiet Harbour</option>', html(response)
    )
    for label in [
        "Subject",
        "Category",
        "Search the catalogue",
        "Movie",
        "Description",
        "Priority",
    ]:
        assert re.search(rf'<label\s+for="id_\w+"[^>]*>\s*{label}', html(response)), label


def test_report_a_problem_on_a_movie_page_opens_the_form_with_that_movie(page_for):
    movie = MovieFactory(title="The Quiet Harbour")
    client = page_for("requester")
    movie_page = html(client.get(reverse("movies:detail", args=[movie.pk])))
    link = re.search(
        r'<a [^>]*href="([^"]+)"[^>]*>Report a problem with this movie</a>', movie_page
    )
    assert link is not None
    form = html(client.get(link.group(1).replace("&amp;", "&")))
    assert re.search(rf'<option value="{movie.pk}" selected>The Quiet Harbour</option>', form)


def test_an_unknown_movie_in_the_link_is_said_not_silently_dropped(page_for):
    response = page_for("requester").get(f"{reverse('support:ticket_create')}?movie=987654")
    assertContains(response, "That movie is not in the catalogue")


def test_filing_from_the_page(page_for, user, django_capture_on_commit_callbacks):
    movie = MovieFactory(title="The Quiet Harbour")
    with django_capture_on_commit_callbacks(execute=True):
        response = page_for("requester").post(
            reverse("support:ticket_create"),
            {
                "subject": "Wrong year",
                "category": "movie_info",
                "movie": movie.pk,
                "description": "It says 1999.",
                "priority": "high",
            },
            follow=True,
        )
    ticket = Ticket.objects.get()
    assertRedirects(response, ticket.get_absolute_url())
    assertContains(response, f"Your ticket {ticket.reference} is filed.")
    assert (ticket.requester, ticket.movie_id, ticket.movie_title) == (
        user,
        movie.pk,
        "The Quiet Harbour",
    )
    assert ticket.priority == "high"
    assert mail.outbox[0].to == ["alice@example.com"]


def test_a_bad_ticket_form_shows_errors_and_keeps_the_chosen_movie(page_for):
    movie = MovieFactory(title="The Quiet Harbour")
    response = page_for("requester").post(
        reverse("support:ticket_create"),
        {"subject": "", "category": "movie_info", "movie": movie.pk, "description": "x"},
    )
    assert response.status_code == 200
    assertContains(response, "This field is required.")
    assert re.search(rf'<option value="{movie.pk}" selected>', html(response))
    assert not Ticket.objects.exists()


def test_a_movie_that_vanished_is_a_form_error_on_the_movie(page_for):
    response = page_for("requester").post(
        reverse("support:ticket_create"),
        {
            "subject": "s",
            "category": "other",
            "movie": 987654,
            "description": "d",
            "priority": "normal",
        },
    )
    assert response.status_code == 200
    assertContains(response, "There is no movie with id 987654.")
    assert not Ticket.objects.exists()


def test_searching_movies_without_javascript(page_for):
    MovieFactory(title="The Quiet Harbour")
    MovieFactory(title="Harbour Lights")
    MovieFactory(title="Zebra")
    response = page_for("requester").post(
        reverse("support:ticket_create"),
        {"subject": "Kept", "movie_search": "harbour", "search_movies": "1", "category": ""},
    )
    assert response.status_code == 200
    page = html(response)
    assert "Harbour Lights</option>" in page
    assert "The Quiet Harbour</option>" in page
    assert "Zebra" not in page
    assert "2 movies match “harbour”" in page
    assert 'value="Kept"' in page
    assert "This field is required." not in page  # searching is not submitting
    assert not Ticket.objects.exists()


def test_the_picker_searches_as_you_type_through_htmx(page_for):
    chosen = MovieFactory(title="Already Chosen")
    MovieFactory(title="Harbour Lights")
    response = page_for("requester").get(
        reverse("support:movie_options"),
        {"movie_search": "harb", "movie": chosen.pk},
        **HTMX,
    )
    assert response.status_code == 200
    page = html(response)
    assert "<html" not in page
    assert '<select name="movie"' in page
    assert re.search(rf'<option value="{chosen.pk}" selected>Already Chosen</option>', page)
    assert "Harbour Lights</option>" in page
    assert "1 movie matches “harb”" in page


def test_the_form_and_picker_carry_htmx_attributes_and_work_without(page_for):
    page = html(page_for("requester").get(reverse("support:ticket_create")))
    assert f'hx-get="{reverse("support:movie_options")}"' in page
    assert 'method="post" action="/support/new/"' in page
    assert 'name="search_movies"' in page


def test_the_picker_says_when_the_catalogue_is_down(page_for, catalogue_down):
    response = page_for("requester").get(
        reverse("support:movie_options"), {"movie_search": "harb"}, **HTMX
    )
    assert response.status_code == 200
    assertContains(response, "The movie catalogue is not answering right now.")
    assertContains(response, "You can still send the ticket without choosing a movie.")


def test_filing_about_a_movie_while_the_catalogue_is_down_is_a_clear_message(
    page_for, catalogue_down
):
    client = page_for("requester")
    response = client.get(f"{reverse('support:ticket_create')}?movie=3")
    assert response.status_code == 200
    assertContains(response, "The movie catalogue is not answering right now.")
    response = client.post(
        reverse("support:ticket_create"),
        {"subject": "s", "category": "other", "movie": 3, "description": "d", "priority": "normal"},
    )
    assert response.status_code == 200
    assertContains(response, "The movie catalogue is not answering right now.")
    assert not Ticket.objects.exists()
    # Without a movie the ticket goes through.
    response = client.post(
        reverse("support:ticket_create"),
        {
            "subject": "s",
            "category": "other",
            "movie": "",
            "description": "d",
            "priority": "normal",
        },
    )
    assert response.status_code == 302
    assert Ticket.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_pages_use_the_catalogue_over_http_when_configured(page_for, live_server, settings):
    settings.SUPPORT_GRAPHQL_URL = f"{live_server.url}/graphql/"
    movie = MovieFactory(title="Over The Wire")
    response = page_for("requester").get(
        reverse("support:movie_options"), {"movie_search": "wire"}, **HTMX
    )
    assertContains(response, f'<option value="{movie.pk}">Over The Wire</option>')


# --- Lists: My tickets and the queue --------------------------------------------------------------


def test_my_tickets_lists_only_mine_even_for_an_agent(page_for, user, agent, other_user):
    TicketFactory(requester=user, subject="Alice problem")
    TicketFactory(requester=other_user, subject="Bob problem")
    TicketFactory(requester=agent, subject="Agatha own problem")
    page = html(page_for("requester").get(reverse("support:ticket_list")))
    assert "Alice problem" in page
    assert "Bob problem" not in page
    agent_page = html(page_for("agent").get(reverse("support:ticket_list")))
    assert "Agatha own problem" in agent_page
    assert "Alice problem" not in agent_page
    assert "Support queue" in agent_page
    assert "Support queue" not in page


def test_my_tickets_filters_by_status(page_for, user):
    TicketFactory(requester=user, subject="Still open", status="open")
    TicketFactory(requester=user, subject="All done", status="closed")
    page = html(page_for("requester").get(reverse("support:ticket_list"), {"status": "closed"}))
    assert "All done" in page
    assert "Still open" not in page


def test_the_queue_searches_filters_and_sorts(page_for, user, other_user, agent):
    TicketFactory(requester=user, subject="Poster missing", priority="urgent", assignee=agent)
    TicketFactory(requester=other_user, subject="Cannot log in", priority="low")
    TicketFactory(
        requester=user, subject="Wrong cast", priority="high", movie_id=4, movie_title="Harbour"
    )
    client = page_for("agent")
    queue = reverse("support:queue")

    def subjects(**params) -> list[str]:
        response = client.get(queue, params)
        assert response.status_code == 200
        return [ticket.subject for ticket in response.context["page_obj"]]

    assert subjects() == ["Wrong cast", "Cannot log in", "Poster missing"]
    assert subjects(search="harbour") == ["Wrong cast"]
    assert subjects(priority="low") == ["Cannot log in"]
    assert subjects(assignee="none") == ["Wrong cast", "Cannot log in"]
    assert subjects(assignee=agent.pk) == ["Poster missing"]
    assert subjects(movie=4) == ["Wrong cast"]
    assert subjects(ordering="-priority") == ["Poster missing", "Wrong cast", "Cannot log in"]

    page = html(client.get(queue, {"ordering": "priority"}))
    assert re.search(r'aria-sort="ascending"[^>]*>\s*<a href="\?ordering=-priority"', page)
    assert '<input type="hidden" name="ordering" value="priority" form="queue-filters">' in page
    assert '<option value="4">Harbour</option>' in page  # the movie filter lists ticket movies
    assert '<option value="none">Unassigned</option>' in page


def test_the_queue_shows_bad_filters_instead_of_failing(page_for, user):
    TicketFactory(requester=user, subject="Kept")
    response = page_for("agent").get(reverse("support:queue"), {"status": "lost", "ordering": "x"})
    assert response.status_code == 200
    assertContains(response, "Some filters could not be used")
    assertContains(response, "Kept")


def test_the_queue_is_paginated(page_for, user):
    TicketFactory.create_batch(27, requester=user)
    client = page_for("agent")
    first = client.get(reverse("support:queue"))
    assert len(first.context["page_obj"]) == 25
    assertContains(first, 'href="?page=2"')
    second = client.get(reverse("support:queue"), {"page": 2})
    assert len(second.context["page_obj"]) == 2


@pytest.mark.parametrize(("page", "role"), [("queue", "agent"), ("ticket_list", "requester")])
def test_lists_take_the_same_queries_for_one_ticket_or_many(
    page_for, user, agent, page, role, django_assert_num_queries, django_assert_max_num_queries
):
    client = page_for(role)
    url = reverse(f"support:{page}")
    TicketFactory(requester=user, assignee=agent, movie_id=1, movie_title="One")
    with django_assert_max_num_queries(10) as one:
        assert client.get(url).status_code == 200
    for n in range(20):
        TicketFactory(
            requester=user, assignee=AgentFactory(), movie_id=n + 2, movie_title=f"Film {n}"
        )
    TicketFactory.create_batch(5, requester=UserFactory())
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["page_obj"]) > 20


def test_the_ticket_page_takes_the_same_queries_for_a_short_or_long_ticket(
    page_for, user, agent, settings, django_assert_num_queries, django_assert_max_num_queries
):
    settings.SUPPORT_GRAPHQL_URL = ""
    ticket = TicketFactory(requester=user)
    CommentFactory(ticket=ticket, author=agent)
    EventFactory(ticket=ticket, actor=agent)
    client = page_for("agent")
    with django_assert_max_num_queries(15) as one:
        client.get(ticket.get_absolute_url())
    for _ in range(10):
        CommentFactory(ticket=ticket, author=AgentFactory(), internal=True)
        EventFactory(ticket=ticket, actor=AgentFactory())
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(ticket.get_absolute_url())


# --- The navbar's Support link (issue 16) -------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [
        ("requester", "support:ticket_list"),
        ("other", "support:ticket_list"),
        ("agent", "support:queue"),
        ("admin", "support:queue"),
    ],
)
def test_support_link_lands_agents_on_the_queue_and_others_on_their_tickets(
    page_for, role, lands_on
):
    client = page_for(role)
    page = html(client.get(reverse("movies:list")))
    assert re.search(r'href="/support/"[^>]*>Support</a>', page)
    assertRedirects(client.get(reverse("support:home")), reverse(lands_on))


def test_support_link_sends_anonymous_visitors_to_log_in(client):
    home = reverse("support:home")
    assertRedirects(client.get(home), f"{LOGIN}?next={home}", fetch_redirect_response=False)


def test_queue_filters_help_texts_speak_to_people(page_for):
    page = html(page_for("agent").get(reverse("support:queue")))
    assert "A user id" not in page
    assert "catalogue id" not in page
    assert "prefix with -" not in page


def test_queue_fits_1280_and_becomes_cards_on_phones(page_for, ticket):
    page = html(page_for("agent").get(reverse("support:queue")))
    # Phones: a list of cards, one per ticket; the table only from md up.
    assert '<ul class="list-unstyled d-md-none queue-cards mb-3">' in page
    assert '<div class="table-responsive d-none d-md-block">' in page
    # At 1280 px the less needed columns step aside (shown from 1400 px).
    assert '<th scope="col" class="d-none d-xxl-table-cell">Movie</th>' in page
    assert '<th scope="col" class="d-none d-xxl-table-cell">Category</th>' in page
    # Compact dates, the full one in the title.
    created = ticket.created_at
    assert f">{created.day} {created.strftime('%b')}</time>" in page
