"""/api/support/: the ticket shape, who may do what, filters, comments, the catalogue
being down (503, never 500), query counts, and Swagger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from movies.tests.factories import MovieFactory
from support.models import Ticket, TicketComment, TicketEvent

from .factories import AgentFactory, CommentFactory, TicketFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/support/tickets/"


def detail(ticket) -> str:
    return f"{LIST}{ticket.pk}/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def tickets(user, other_user):
    """Two of alice's tickets and one of bob's."""
    return {
        "alice_1": TicketFactory(requester=user, subject="Alice one"),
        "alice_2": TicketFactory(requester=user, subject="Alice two"),
        "bob": TicketFactory(requester=other_user, subject="Bob's"),
    }


# --- The shape ------------------------------------------------------------------------------------


def test_a_ticket_reads_exactly_as_api_md_says(api_for, user, agent):
    movie = MovieFactory(title="The Quiet Harbour")
    resolved = timezone.now() - timedelta(hours=1)
    ticket = TicketFactory(
        requester=user,
        assignee=agent,
        subject="Wrong year",
        description="It says 1999.",
        category="movie_info",
        priority="high",
        status="resolved",
        movie_id=movie.pk,
        movie_title="The Quiet Harbour",
        resolved_at=resolved,
    )
    body = api_for("requester").get(detail(ticket)).json()
    assert list(body) == [
        "id",
        "reference",
        "subject",
        "description",
        "category",
        "priority",
        "status",
        "movie",
        "requester",
        "assignee",
        "created_at",
        "updated_at",
        "resolved_at",
        "review",  # an addition: the reported review of a ``review`` ticket, else null
    ]
    assert body["review"] is None
    assert body["id"] == ticket.pk
    assert body["reference"] == f"SUP-{ticket.pk:06d}"
    assert (body["subject"], body["description"]) == ("Wrong year", "It says 1999.")
    assert (body["category"], body["priority"], body["status"]) == (
        "movie_info",
        "high",
        "resolved",
    )
    assert body["movie"] == {"id": movie.pk, "title": "The Quiet Harbour"}
    assert body["requester"] == {"id": user.pk, "username": "alice"}
    assert body["assignee"] == {"id": agent.pk, "username": "agatha"}
    assert body["created_at"].endswith("Z")
    assert body["resolved_at"] == resolved.isoformat().replace("+00:00", "Z")


def test_a_ticket_without_movie_or_assignee_has_nulls(api_for, user):
    body = api_for("requester").get(detail(TicketFactory(requester=user))).json()
    assert (body["movie"], body["assignee"], body["resolved_at"]) == (None, None, None)


# --- Who sees what ----------------------------------------------------------------------------------

LIST_EXPECTATIONS = {
    "requester": ["alice_2", "alice_1"],
    "other": ["bob"],
    "agent": ["bob", "alice_2", "alice_1"],
    "admin": ["bob", "alice_2", "alice_1"],
}


@pytest.mark.parametrize("role", list(LIST_EXPECTATIONS))
def test_the_list_holds_what_the_caller_may_see_newest_first(api_for, tickets, role):
    expected = [tickets[key].pk for key in LIST_EXPECTATIONS[role]]
    assert ids(api_for(role).get(LIST)) == expected


@pytest.mark.parametrize(
    ("role", "status"),
    [("requester", 200), ("other", 404), ("agent", 200), ("admin", 200)],
)
def test_a_ticket_is_seen_by_its_requester_and_agents_only(api_for, tickets, role, status):
    url = detail(tickets["alice_1"])
    assert api_for(role).get(url).status_code == status
    assert api_for(role).get(f"{url}comments/").status_code == status


@pytest.mark.parametrize(
    "request_",
    [
        ("get", LIST, None),
        ("post", LIST, {"subject": "s", "description": "d", "category": "other"}),
        ("get", "detail", None),
        ("patch", "detail", {"priority": "high"}),
        ("post", "transition/", {"status": "open"}),
        ("get", "comments/", None),
        ("post", "comments/", {"body": "hi"}),
    ],
)
def test_anonymous_gets_401_everywhere(api_for, tickets, request_):
    method, path, body = request_
    ticket_url = detail(tickets["alice_1"])
    url = LIST if path == LIST else (ticket_url if path == "detail" else f"{ticket_url}{path}")
    response = getattr(api_for("anonymous"), method)(url, body, format="json")
    assert response.status_code == 401
    assert "detail" in response.json()
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("role", "status"), [("requester", 403), ("other", 404)])
def test_only_agents_patch(api_for, tickets, role, status):
    ticket = tickets["alice_1"]
    response = api_for(role).patch(detail(ticket), {"priority": "urgent"}, format="json")
    assert response.status_code == status
    assert "detail" in response.json()
    ticket.refresh_from_db()
    assert ticket.priority == "normal"


@pytest.mark.parametrize("role", ["agent", "admin"])
def test_agents_patch_assignee_priority_and_category(api_for, tickets, users_by_role, role):
    ticket = tickets["alice_1"]
    me = users_by_role[role]
    response = api_for(role).patch(
        detail(ticket),
        {"assignee_id": me.pk, "priority": "urgent", "category": "technical"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["assignee"] == {"id": me.pk, "username": me.username}
    assert (body["priority"], body["category"]) == ("urgent", "technical")
    assert TicketEvent.objects.filter(ticket=ticket).count() == 3

    response = api_for(role).patch(detail(ticket), {"assignee_id": None}, format="json")
    assert response.json()["assignee"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"assignee_id": 987654}, "assignee_id"),
        ({"assignee_id": "bob"}, "assignee_id"),
        ({"priority": "asap"}, "priority"),
        ({"category": "rant"}, "category"),
        ({"status": "resolved"}, "status"),
    ],
)
def test_bad_patches_are_400_by_field(api_for, tickets, body, field):
    ticket = tickets["alice_1"]
    response = api_for("agent").patch(detail(ticket), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Ticket.objects.get(pk=ticket.pk).status == "new"


def test_only_an_agent_can_be_assigned(api_for, tickets, other_user):
    response = api_for("agent").patch(
        detail(tickets["alice_1"]), {"assignee_id": other_user.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"assignee_id": ["bob is not a support agent."]}


@pytest.mark.parametrize("method", ["put", "delete"])
def test_tickets_are_not_replaced_or_deleted(api_for, tickets, method):
    response = getattr(api_for("admin"), method)(detail(tickets["alice_1"]), {}, format="json")
    assert response.status_code == 405
    assert Ticket.objects.filter(pk=tickets["alice_1"].pk).exists()


# --- Filing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["requester", "other", "agent", "admin"])
def test_any_logged_in_user_files_a_ticket_for_themselves(
    api_for, users_by_role, django_capture_on_commit_callbacks, role
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(role).post(
            LIST,
            {
                "subject": "Login loop",
                "description": "I keep being logged out.",
                "category": "account",
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    me = users_by_role[role]
    assert body["requester"] == {"id": me.pk, "username": me.username}
    assert (body["status"], body["priority"], body["movie"]) == ("new", "normal", None)
    assert mail.outbox[0].to == [me.email]


def test_filing_about_a_movie_keeps_its_title(api_for):
    movie = MovieFactory(title="The Quiet Harbour")
    response = api_for("requester").post(
        LIST,
        {
            "subject": "Wrong cast",
            "description": "Tom is missing.",
            "category": "movie_info",
            "priority": "low",
            "movie_id": movie.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["movie"] == {"id": movie.pk, "title": "The Quiet Harbour"}
    assert response.json()["priority"] == "low"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": "d", "category": "other"}, "subject"),
        ({"subject": "s", "category": "other"}, "description"),
        ({"subject": "s", "description": "d"}, "category"),
        ({"subject": "s", "description": "d", "category": "nope"}, "category"),
        ({"subject": "s", "description": "d", "category": "other", "priority": "x"}, "priority"),
        ({"subject": "s" * 201, "description": "d", "category": "other"}, "subject"),
        ({"subject": "s", "description": "d", "category": "other", "movie_id": "abc"}, "movie_id"),
        ({"subject": "s", "description": "d", "category": "other", "movie_id": 0}, "movie_id"),
        ({"subject": "s", "description": "d", "category": "other", "movie_id": 987654}, "movie_id"),
    ],
)
def test_bad_tickets_are_400_by_field(api_for, body, field):
    response = api_for("requester").post(LIST, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Ticket.objects.exists()


def test_a_catalogue_that_is_down_gives_503_not_500(api_for, catalogue_down):
    movie = MovieFactory()
    response = api_for("requester").post(
        LIST,
        {"subject": "s", "description": "d", "category": "other", "movie_id": movie.pk},
        format="json",
    )
    assert response.status_code == 503
    assert response.json() == {
        "detail": "The movie catalogue is not answering right now. Please try again shortly."
    }
    assert not Ticket.objects.exists()


def test_a_catalogue_that_times_out_gives_503(api_for, settings, silent_url):
    settings.SUPPORT_GRAPHQL_URL = silent_url
    settings.SUPPORT_GRAPHQL_TIMEOUT = 0.3
    response = api_for("requester").post(
        LIST,
        {"subject": "s", "description": "d", "category": "other", "movie_id": 1},
        format="json",
    )
    assert response.status_code == 503


@pytest.mark.django_db(transaction=True)
def test_the_api_uses_the_catalogue_over_http_when_configured(api_for, live_server, settings):
    movie = MovieFactory(title="Over The Wire")
    settings.SUPPORT_GRAPHQL_URL = f"{live_server.url}/graphql/"
    response = api_for("requester").post(
        LIST,
        {"subject": "s", "description": "d", "category": "other", "movie_id": movie.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["movie"] == {"id": movie.pk, "title": "Over The Wire"}


# --- Comments -------------------------------------------------------------------------------------


@pytest.fixture
def conversation(user, agent):
    ticket = TicketFactory(requester=user, status="open")
    CommentFactory(ticket=ticket, author=user, body="First")
    CommentFactory(ticket=ticket, author=agent, body="Agents only", internal=True)
    CommentFactory(ticket=ticket, author=agent, body="Public answer")
    return ticket


@pytest.mark.parametrize(
    ("role", "bodies"),
    [
        ("requester", ["First", "Public answer"]),
        ("agent", ["First", "Agents only", "Public answer"]),
        ("admin", ["First", "Agents only", "Public answer"]),
    ],
)
def test_comments_oldest_first_internal_notes_for_agents_only(api_for, conversation, role, bodies):
    response = api_for(role).get(f"{detail(conversation)}comments/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(bodies)
    assert [row["body"] for row in body["results"]] == bodies
    assert list(body["results"][0]) == ["id", "author", "body", "internal", "created_at"]
    assert body["results"][0]["author"] == {"id": conversation.requester_id, "username": "alice"}


def test_a_requester_replies_but_cannot_write_notes(api_for, conversation):
    url = f"{detail(conversation)}comments/"
    response = api_for("requester").post(url, {"body": "Thanks"}, format="json")
    assert response.status_code == 201
    assert response.json()["internal"] is False
    response = api_for("requester").post(url, {"body": "psst", "internal": True}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["internal"]


def test_an_agent_writes_notes_without_email_and_replies_with_one(
    api_for, conversation, django_capture_on_commit_callbacks
):
    url = f"{detail(conversation)}comments/"
    with django_capture_on_commit_callbacks(execute=True):
        note = api_for("agent").post(url, {"body": "Check logs", "internal": True}, format="json")
    assert note.status_code == 201
    assert note.json()["internal"] is True
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        reply = api_for("agent").post(url, {"body": "Fixed it"}, format="json")
    assert reply.status_code == 201
    assert len(mail.outbox) == 1


def test_a_blank_comment_is_400(api_for, conversation):
    response = api_for("requester").post(
        f"{detail(conversation)}comments/", {"body": "  "}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["body"]


def test_others_cannot_comment(api_for, conversation):
    response = api_for("other").post(
        f"{detail(conversation)}comments/", {"body": "x"}, format="json"
    )
    assert response.status_code == 404
    assert TicketComment.objects.filter(ticket=conversation).count() == 3


def test_comments_are_paginated(api_for, user):
    ticket = TicketFactory(requester=user)
    CommentFactory.create_batch(3, ticket=ticket, author=user)
    body = api_for("requester").get(f"{detail(ticket)}comments/?page_size=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2&page_size=2")


# --- Filters, ordering, pages -----------------------------------------------------------------------


@pytest.fixture
def queue(user, other_user, agent):
    other_agent = AgentFactory(username="zed")
    return {
        "a": TicketFactory(
            requester=user,
            subject="Poster missing",
            status="open",
            priority="urgent",
            category="movie_info",
            assignee=agent,
            movie_id=7,
            movie_title="The Quiet Harbour",
        ),
        "b": TicketFactory(
            requester=other_user,
            subject="Cannot log in",
            description="the password reset mail never came",
            status="new",
            priority="low",
            category="account",
        ),
        "c": TicketFactory(
            requester=user,
            subject="Add a film",
            status="resolved",
            priority="high",
            category="missing_movie",
            assignee=other_agent,
            movie_id=8,
            movie_title="Harbour Lights",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", ["a"]),
        ("priority=low", ["b"]),
        ("category=missing_movie", ["c"]),
        ("movie=7", ["a"]),
        ("assignee=none", ["b"]),
        ("search=harbour", ["c", "a"]),
        ("search=PASSWORD", ["b"]),
        ("search=log+in", ["b"]),
        ("status=resolved&search=harbour", ["c"]),
        ("ordering=priority", ["b", "c", "a"]),
        ("ordering=-priority", ["a", "c", "b"]),
        ("ordering=status", ["b", "a", "c"]),
        ("ordering=subject", ["c", "b", "a"]),
        ("ordering=reference", ["a", "b", "c"]),
        ("ordering=-created_at", ["c", "b", "a"]),
    ],
)
def test_filters_and_ordering(api_for, queue, query, expected):
    assert ids(api_for("agent").get(f"{LIST}?{query}")) == [queue[key].pk for key in expected]


def test_filter_by_assignee_id_and_reference(api_for, queue, agent):
    client = api_for("agent")
    assert ids(client.get(f"{LIST}?assignee={agent.pk}")) == [queue["a"].pk]
    ticket = queue["b"]
    for text in [ticket.reference, ticket.reference.lower(), str(ticket.pk), f"SUP{ticket.pk}"]:
        assert queue["b"].pk in ids(client.get(LIST, {"search": text})), text


def test_filters_never_widen_what_a_requester_sees(api_for, queue):
    assert ids(api_for("requester").get(f"{LIST}?category=account")) == []
    assert ids(api_for("requester").get(f"{LIST}?search=password")) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("priority=9", "priority"),
        ("assignee=abc", "assignee"),
        ("assignee=987654", "assignee"),
        ("movie=abc", "movie"),
        ("ordering=colour", "ordering"),
    ],
)
def test_bad_filters_are_400_by_field(api_for, queue, query, field):
    response = api_for("agent").get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_the_list_is_paginated(api_for, user):
    TicketFactory.create_batch(3, requester=user)
    body = api_for("requester").get(f"{LIST}?page_size=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] is not None
    assert body["previous"] is None


@pytest.mark.parametrize("role", ["requester", "agent"])
def test_the_list_takes_the_same_queries_for_one_ticket_or_many(
    api_for, user, agent, role, django_assert_num_queries, django_assert_max_num_queries
):
    client = api_for(role)
    TicketFactory(requester=user, assignee=agent, movie_id=1, movie_title="A")
    ids(client.get(LIST))  # warm up: the agent check is cached on the (forced) user
    with django_assert_max_num_queries(2) as one:  # count, page
        ids(client.get(LIST))
    TicketFactory.create_batch(
        15, requester=user, assignee=AgentFactory(), movie_id=2, movie_title="B"
    )
    TicketFactory.create_batch(5, requester=UserFactory())
    with django_assert_num_queries(len(one.captured_queries)):
        ids(client.get(LIST))


# --- Swagger --------------------------------------------------------------------------------------


def test_the_endpoints_are_in_swagger(client):
    schema = client.get("/swagger.json").json()
    paths = schema["paths"]
    for path in [
        "/support/tickets/",
        "/support/tickets/{id}/",
        "/support/tickets/{id}/transition/",
        "/support/tickets/{id}/comments/",
    ]:
        assert path in paths, sorted(paths)
    assert set(paths["/support/tickets/{id}/"]) >= {"get", "patch"}
    assert "put" not in paths["/support/tickets/{id}/"]
    listing = {param["name"] for param in paths["/support/tickets/"]["get"]["parameters"]}
    assert listing >= {"status", "priority", "category", "assignee", "movie", "search", "page"}
    assert "TicketCreate" in schema["definitions"]


def test_a_session_cookie_needs_a_csrf_token_on_the_api(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    body = {"subject": "s", "description": "d", "category": "other"}
    refused = client.post(LIST, body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert client.get(LIST).status_code == 200  # reads need no token
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("role", ["requester", "agent"])
def test_the_comments_take_the_same_queries_for_one_or_many(
    api_for, user, agent, role, django_assert_num_queries, django_assert_max_num_queries
):
    client = api_for(role)
    ticket = TicketFactory(requester=user)
    CommentFactory(ticket=ticket, author=user)
    url = f"{detail(ticket)}comments/"
    client.get(url)  # warm up: the agent check is cached on the (forced) user
    with django_assert_max_num_queries(4) as one:  # ticket, count, page (+ authors joined)
        assert len(client.get(url).json()["results"]) == 1
    CommentFactory.create_batch(5, ticket=ticket, author=AgentFactory())
    CommentFactory.create_batch(5, ticket=ticket, author=user)
    CommentFactory.create_batch(3, ticket=ticket, author=agent, internal=True)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(url).json()["results"]) > 1
