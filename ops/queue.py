"""Queue a Celery task once the current transaction commits, under the request's id."""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction

from .context import get_request_id, request_id_var


def apply_on_commit(
    task_name: str, *, kwargs: dict[str, Any], kwargsrepr: str | None = None
) -> None:
    """Run the task named ``task_name`` with ``kwargs`` after the commit (at once outside a
    transaction): on a worker, or in-process without a broker.

    The task is named, not imported, so a service never imports the tasks that call
    services. The id of the request queuing it goes along (header ``request_id``), so
    the worker's logs and the email it sends carry it. ``robust``: a broker that is down
    after the commit is logged, never an error for the request.
    """
    request_id = get_request_id()

    def apply() -> None:
        reset = request_id_var.set(request_id)
        try:
            task = current_app.tasks[task_name]
            task.apply_async(kwargs=kwargs, kwargsrepr=kwargsrepr)
        finally:
            request_id_var.reset(reset)

    transaction.on_commit(apply, robust=True)
