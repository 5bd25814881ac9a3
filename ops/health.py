"""Readiness checks for ``/readyz``: database, cache, storage and broker.

Each check runs in its own daemon thread and is given ``READYZ_TIMEOUT_SECONDS``; a
check that raises or does not answer in time fails, and the answer names it.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable

from django.conf import settings


def check_database() -> None:
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        finally:
            connection.close()  # this thread's connection; nothing else will reuse it


def check_cache() -> None:
    from django.core.cache import caches

    for alias in settings.CACHES:
        cache = caches[alias]
        key = f"ops:readyz:{uuid.uuid4().hex}"
        cache.set(key, "1", timeout=10)
        if cache.get(key) != "1":
            raise RuntimeError("a value written to the cache could not be read back")
        cache.delete(key)


def check_storage() -> None:
    from django.core.files.storage import default_storage

    # A HEAD request on S3, a stat on disk: reaches the storage without writing to it.
    default_storage.exists("ops-readyz-probe")


def check_broker() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return "no broker: tasks run in-process"
    from kombu import Connection

    timeout = settings.READYZ_TIMEOUT_SECONDS
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout) as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)
    return None


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "broker": check_broker,
}


def _run(check: Callable[[], str | None], timeout: float) -> dict:
    outcome: dict = {}

    def target() -> None:
        try:
            note = check()
        except Exception as exc:
            outcome["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        else:
            outcome["ok"] = True
            if note:
                outcome["note"] = note

    started = time.perf_counter()
    thread = threading.Thread(target=target, name="readyz-check", daemon=True)
    thread.start()
    thread.join(timeout)
    result: dict = {"ok": bool(outcome.get("ok"))}
    if thread.is_alive():
        result["error"] = f"no answer within {timeout:g}s"
    elif "error" in outcome:
        result["error"] = outcome["error"]
    if "note" in outcome:
        result["note"] = outcome["note"]
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def readiness() -> dict[str, dict]:
    """Every check's result, in a fixed order: ``{"database": {"ok": True, "ms": 1.2}, ...}``."""
    timeout = settings.READYZ_TIMEOUT_SECONDS
    results: dict[str, dict] = {}
    threads = []
    # Run the checks side by side so the slowest, not their sum, bounds the answer.
    for name, check in CHECKS.items():

        def run(name: str = name, check: Callable = check) -> None:
            results[name] = _run(check, timeout)

        thread = threading.Thread(target=run, name=f"readyz-{name}", daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(timeout + 1)
    return {name: results.get(name, {"ok": False, "error": "no answer"}) for name in CHECKS}
