"""The id of the request (or task) being served, for logs, emails and queued work."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from a client or a proxy; anything else is replaced by our own id.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

request_id_var: ContextVar[str] = ContextVar("request_id", default="")


def request_id_clean(value: str | None) -> str:
    """``value`` if it is a sane request id, else a new one."""
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def get_request_id() -> str:
    """The current request's id, or ``""`` outside a request or task."""
    return request_id_var.get()
