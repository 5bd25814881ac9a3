"""THE status map, every move, for every role: allowed moves happen and are recorded,
refused ones give ``400 {"status": [...]}`` and change nothing. The expectations are
written out here from API.md, independently of the code's own table.

The full matrix (3 roles by 25 moves) runs once, at the service layer, where the rule
lives. The API and the pages only pass the service's verdict on, so they are sampled:
for each role one allowed and one refused move, chosen to cover every starting status.
"""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from support import services
from support.models import Ticket, TicketEvent
from support.selectors import next_statuses

from .factories import TicketFactory

pytestmark = pytest.mark.django_db

STATUSES = ["new", "open", "waiting_on_customer", "resolved", "closed"]

# API.md: new → open | resolved; open → waiting_on_customer | resolved;
# waiting_on_customer → open | resolved; resolved → closed | open; closed → open (agents).
MAP = {
    ("new", "open"),
    ("new", "resolved"),
    ("open", "waiting_on_customer"),
    ("open", "resolved"),
    ("waiting_on_customer", "open"),
    ("waiting_on_customer", "resolved"),
    ("resolved", "closed"),
    ("resolved", "open"),
    ("closed", "open"),
}
# "A requester may close or reopen their resolved ticket; everything else is an agent's move."
REQUESTER_MAY = {("resolved", "closed"), ("resolved", "open")}
ALLOWED = {"requester": REQUESTER_MAY, "agent": MAP, "admin": MAP}

MATRIX = [
    pytest.param(role, old, new, id=f"{role}:{old}->{new}")
    for role, (old, new) in itertools.product(
        ["requester", "agent", "admin"], itertools.product(STATUSES, STATUSES)
    )
]


@pytest.mark.parametrize(("role", "old", "new"), MATRIX)
def test_service_matrix(users_by_role, user, role, old, new):
    ticket = TicketFactory(requester=user, status=old)
    actor = users_by_role[role]
    if (old, new) in ALLOWED[role]:
        services.ticket_transition(ticket=ticket, user=actor, status=new)
        ticket.refresh_from_db()
        assert ticket.status == new
        event = TicketEvent.objects.get(ticket=ticket)
        assert (event.actor, event.field, event.old_value, event.new_value) == (
            actor,
            "status",
            old,
            new,
        )
    else:
        with pytest.raises(ValidationError) as caught:
            services.ticket_transition(ticket=ticket, user=actor, status=new)
        assert list(caught.value.message_dict) == ["status"]
        ticket.refresh_from_db()
        assert ticket.status == old
        assert not TicketEvent.objects.filter(ticket=ticket).exists()


def _sample(moves: list[tuple[str, str, str]]) -> list:
    """Sampled moves as test parameters; the sample must hold, for every role, at least
    one move the map allows and one it refuses (the verdicts come from ALLOWED)."""
    params = []
    for role, old, new in moves:
        allowed = (old, new) in ALLOWED[role]
        params.append(
            pytest.param(role, old, new, id=f"{role}:{old}->{new}:{'yes' if allowed else 'no'}")
        )
    verdicts = {(role, (old, new) in ALLOWED[role]) for role, old, new in moves}
    assert verdicts == {(role, v) for role in ALLOWED for v in (True, False)}, verdicts
    return params


# One allowed and one refused move per role, over the REST endpoint...
API_SAMPLE = _sample(
    [
        ("requester", "resolved", "closed"),
        ("requester", "waiting_on_customer", "resolved"),
        ("agent", "new", "open"),
        ("agent", "closed", "resolved"),
        ("admin", "open", "waiting_on_customer"),
        ("admin", "new", "closed"),
    ]
)
# ...and another handful over the page's form, so together they start from every status.
PAGE_SAMPLE = _sample(
    [
        ("requester", "resolved", "open"),
        ("requester", "closed", "open"),
        ("agent", "waiting_on_customer", "resolved"),
        ("agent", "open", "open"),
        ("admin", "closed", "open"),
        ("admin", "resolved", "waiting_on_customer"),
    ]
)


@pytest.mark.parametrize(("role", "old", "new"), API_SAMPLE)
def test_the_api_passes_the_services_verdict_on(api_for, user, role, old, new):
    ticket = TicketFactory(requester=user, status=old)
    response = api_for(role).post(
        f"/api/support/tickets/{ticket.pk}/transition/", {"status": new}, format="json"
    )
    ticket.refresh_from_db()
    if (old, new) in ALLOWED[role]:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == new
        assert ticket.status == new
    else:
        assert response.status_code == 400
        assert list(response.json()) == ["status"]
        assert ticket.status == old


@pytest.mark.parametrize(("role", "old", "new"), PAGE_SAMPLE)
def test_the_page_passes_the_services_verdict_on(page_for, user, role, old, new):
    ticket = TicketFactory(requester=user, status=old)
    response = page_for(role).post(
        f"/support/{ticket.pk}/transition/", {"status": new}, follow=True
    )
    assert response.status_code == 200
    ticket.refresh_from_db()
    page = response.content.decode()
    if (old, new) in ALLOWED[role]:
        assert ticket.status == new
        assert "The ticket is now" in page
    else:
        assert ticket.status == old
        assert 'class="alert alert-danger' in page


@pytest.mark.parametrize(("old", "new"), itertools.product(STATUSES, STATUSES))
def test_another_user_can_make_no_move(user, other_user, old, new):
    ticket = TicketFactory(requester=user, status=old)
    with pytest.raises(PermissionDenied):
        services.ticket_transition(ticket=ticket, user=other_user, status=new)
    ticket.refresh_from_db()
    assert ticket.status == old


# A move the requester could make, and one only an agent could: both hidden from another user.
@pytest.mark.parametrize(("old", "new"), [("resolved", "closed"), ("new", "open")])
def test_another_user_cannot_see_the_ticket_to_move_it_over_the_api(user, api_for, old, new):
    ticket = TicketFactory(requester=user, status=old)
    response = api_for("other").post(
        f"/api/support/tickets/{ticket.pk}/transition/", {"status": new}, format="json"
    )
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == old


@pytest.mark.parametrize("old", STATUSES)
def test_anonymous_can_make_no_move(api_for, user, old):
    ticket = TicketFactory(requester=user, status=old)
    response = api_for("anonymous").post(
        f"/api/support/tickets/{ticket.pk}/transition/", {"status": "open"}, format="json"
    )
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["requester", "agent", "admin"])
@pytest.mark.parametrize("old", STATUSES)
def test_the_buttons_offered_are_exactly_the_allowed_moves(users_by_role, user, role, old):
    ticket = TicketFactory(requester=user, status=old)
    offered = next_statuses(user=users_by_role[role], ticket=ticket)
    assert set(offered) == {new for (start, new) in ALLOWED[role] if start == old}


def test_refusals_say_why(user, agent):
    def refusal(status, new, actor):
        ticket = TicketFactory(requester=user, status=status)
        with pytest.raises(ValidationError) as caught:
            services.ticket_transition(ticket=ticket, user=actor, status=new)
        return caught.value.message_dict["status"][0]

    assert refusal("closed", "resolved", agent) == "A ticket cannot move from closed to resolved."
    assert refusal("open", "open", agent) == "The ticket is already open."
    assert refusal("open", "resolved", user) == "Only a support agent can make this change."
    assert refusal("closed", "open", user) == "Only a support agent can make this change."
    assert refusal("waiting_on_customer", "open", user).startswith("Reply to the ticket")


def test_an_unknown_status_over_the_api_is_a_400_naming_the_field(api_for, user):
    ticket = TicketFactory(requester=user)
    response = api_for("agent").post(
        f"/api/support/tickets/{ticket.pk}/transition/", {"status": "archived"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    assert Ticket.objects.get(pk=ticket.pk).status == "new"
