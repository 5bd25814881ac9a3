"""Who may reply to a ticket: one rule (``selectors.reply_refusal``) that the service
enforces and the ticket page asks before it shows the reply form."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from support import selectors, services
from support.models import Ticket

from .factories import TicketFactory

pytestmark = pytest.mark.django_db

CLOSED_MESSAGE = "This ticket is closed. Please file a new ticket instead."

#                     any open status   closed
EXPECTED = {
    "anonymous": (False, False),
    "requester": (True, False),
    "other": (False, False),
    "agent": (True, True),
    "admin": (True, True),
}


def person(users_by_role, role):
    return users_by_role[role] or AnonymousUser()


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("status", [*(s for s in Ticket.Status.values if s != "closed"), "closed"])
def test_who_may_reply(users_by_role, user, role, status):
    ticket = TicketFactory(requester=user, status=status)
    expected = EXPECTED[role][status == "closed"]

    assert selectors.can_reply(user=person(users_by_role, role), ticket=ticket) is expected


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_service_refuses_exactly_what_the_rule_refuses(users_by_role, user, role):
    ticket = TicketFactory(requester=user, status="closed")
    author = person(users_by_role, role)

    if EXPECTED[role][1]:
        assert services.comment_add(ticket=ticket, author=author, body="Hello").body == "Hello"
    elif role == "requester":
        with pytest.raises(ValidationError) as error:
            services.comment_add(ticket=ticket, author=author, body="Hello")
        assert error.value.message_dict == {"body": [CLOSED_MESSAGE]}
    else:
        with pytest.raises(PermissionDenied):
            services.comment_add(ticket=ticket, author=author, body="Hello")


@pytest.mark.parametrize(("role", "form_shown"), [("requester", False), ("agent", True)])
def test_the_ticket_page_shows_the_reply_form_when_the_rule_allows(
    page_for, user, role, form_shown
):
    ticket = TicketFactory(requester=user, status="closed")

    page = page_for(role).get(ticket.get_absolute_url()).content.decode()

    assert ('aria-label="Reply"' in page) is form_shown
    assert ("This ticket is closed. If the problem is back" in page) is not form_shown
