"""Queue a Celery task once the current transaction commits, under the request's id."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .context import get_request_id, request_id_var


def apply_on_commit(task, *, kwargs: dict[str, Any], kwargsrepr: str | None = None) -> None:
    """``task.apply_async(kwargs=kwargs)`` after the commit (at once outside a transaction).

    The id of the request queuing it is kept and sent along with the task (header
    ``request_id``), so the worker's logs and the email it sends carry it. ``robust``: a
    broker that is down after the commit is logged, never an error for the request.
    """
    request_id = get_request_id()

    def apply() -> None:
        reset = request_id_var.set(request_id)
        try:
            task.apply_async(kwargs=kwargs, kwargsrepr=kwargsrepr)
        finally:
            request_id_var.reset(reset)

    transaction.on_commit(apply, robust=True)
