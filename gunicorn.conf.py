"""Production server settings: ``gunicorn -c gunicorn.conf.py movie_api.wsgi``.

Sync workers, one request each, so ``timeout`` really cuts off a stuck request: a
sync worker beats the arbiter's heartbeat only between requests, and a worker
silent for ``timeout`` seconds is killed (SIGABRT, then SIGKILL) and replaced. A
gthread worker keeps beating from its main thread while a request thread is stuck,
so its timeout never fires; that is why ``threads`` is not set here (any value
above 1 turns sync into gthread). Scale with ``GUNICORN_WORKERS`` instead, and keep
``DATABASE_STATEMENT_TIMEOUT_MS`` under ``GUNICORN_TIMEOUT`` so the database gives up
first. Run it behind a buffering proxy (nginx): sync workers must not wait on slow
clients. ``movie_api/tests/test_gunicorn_timeout.py`` proves the cut-off.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "sync"
workers = int(
    os.environ.get("GUNICORN_WORKERS")
    or os.environ.get("WEB_CONCURRENCY")
    or multiprocessing.cpu_count() * 2 + 1
)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle a worker after this many requests (a guard against slow leaks); 0 never does.
# At several hundred cached reads a second, 1000 restarted a worker every few seconds
# (a re-import, and an in-process cache lost): docs/performance.md.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# With LOG_FORMAT=json the app logs each request as JSON (ops.request): no second access log.
accesslog = None if os.environ.get("LOG_FORMAT") == "json" else "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR (several workers), forget a dead worker's live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
