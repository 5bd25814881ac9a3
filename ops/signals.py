"""Carry the request id from the request that queued a task into the worker's logs."""

from __future__ import annotations

import logging

from celery import signals

from .context import get_request_id, request_id_var

logger = logging.getLogger("ops.tasks")
_HEADER = "request_id"


@signals.before_task_publish.connect(weak=False)
def request_id_publish(headers: dict | None = None, **kwargs) -> None:
    request_id = get_request_id()
    if request_id and headers is not None:
        headers.setdefault(_HEADER, request_id)


@signals.task_prerun.connect(weak=False)
def request_id_restore(task_id: str = "", task=None, **kwargs) -> None:
    if task is None or task.request.is_eager:
        return  # run in-process: the request's own id is already current
    request_id = getattr(task.request, _HEADER, None) or f"task-{task_id}"
    request_id_var.set(request_id)
    logger.info("Task %s[%s] started", task.name, task_id)


@signals.task_postrun.connect(weak=False)
def request_id_forget(task_id: str = "", task=None, state: str = "", **kwargs) -> None:
    if task is None or task.request.is_eager:
        return
    logger.info("Task %s[%s] ended: %s", task.name, task_id, state)
    request_id_var.set("")
