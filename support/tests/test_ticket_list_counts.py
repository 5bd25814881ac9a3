"""The support desk's lists are not catalogue reads: their REST count is asked every time,
never taken from the catalogue's kept counts (core.counts), which only a catalogue
write would renew."""

from __future__ import annotations

import pytest

from .factories import TicketFactory

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: see test_http_cache


@pytest.fixture(autouse=True)
def _counts_kept(settings):
    settings.CATALOGUE_COUNT_CACHE = True


def test_a_new_ticket_is_counted_at_once(agent_client_api, user):
    TicketFactory(requester=user)
    assert agent_client_api.get("/api/support/tickets/").json()["count"] == 1
    TicketFactory(requester=user)  # no catalogue write: the catalogue version stays
    assert agent_client_api.get("/api/support/tickets/").json()["count"] == 2
