"""System checks on the deployment as a whole (registered by ``core.apps``)."""

from __future__ import annotations

import multiprocessing
import os

from django.conf import settings
from django.core.checks import Warning, register


def configured_workers() -> int:
    """How many worker processes gunicorn will start, as ``gunicorn.conf.py`` decides:
    ``GUNICORN_WORKERS``, else ``WEB_CONCURRENCY``, else twice the cores plus one."""
    for name in ("GUNICORN_WORKERS", "WEB_CONCURRENCY"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                return int(value)
            except ValueError:
                return 1
    return multiprocessing.cpu_count() * 2 + 1


@register(deploy=False)
def check_shared_cache(app_configs=None, **kwargs) -> list[Warning]:
    """With DEBUG off and several workers, an in-process cache means every worker keeps
    its own throttle counts and OTP cooldowns: a 10/min login limit lets far more through."""
    if settings.DEBUG or settings.REDIS_URL:
        return []
    workers = configured_workers()
    if workers <= 1:
        return []
    return [
        Warning(
            f"{workers} workers share no cache: each one counts rate limits (login, OTP, "
            "tickets) and cooldowns on its own, so the limits do not hold.",
            hint="Set REDIS_URL, or run one worker (GUNICORN_WORKERS=1).",
            id="core.W001",
        )
    ]
