"""Per-user rate limits on filing tickets and writing comments (each sends email)."""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings

# The scope each write action counts against (DEFAULT_THROTTLE_RATES).
WRITE_SCOPES = {"create": "ticket_create", "comments": "ticket_comment"}


class TicketWriteThrottle(throttling.SimpleRateThrottle):
    """Counts a user's POSTs that file a ticket (``ticket_create``) or add a comment
    (``ticket_comment``); reads are never counted. The rates are read when a request
    comes in, so they follow the settings; the count lives in the default cache."""

    def __init__(self) -> None:  # the scope, and so the rate, is known per request
        pass

    @property
    def THROTTLE_RATES(self):  # DRF's attribute name
        return api_settings.DEFAULT_THROTTLE_RATES

    def allow_request(self, request, view) -> bool:
        scope = WRITE_SCOPES.get(getattr(view, "action", None))
        if request.method != "POST" or scope is None:
            return True
        return self.allow_scope(request, view, scope)

    def allow_scope(self, request, view, scope: str) -> bool:
        self.scope = scope
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None  # anonymous callers are refused with 401 anyway
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


def page_write_wait(request, scope: str) -> int | None:
    """For the pages: ``None`` if the user may file or reply now (and counts it), else
    how many seconds to wait. Shares its count with the API."""
    throttle = TicketWriteThrottle()
    if throttle.allow_scope(request, None, scope):
        return None
    return int(throttle.wait() or 1)
