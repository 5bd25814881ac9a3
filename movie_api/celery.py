"""The Celery app: ``celery -A movie_api worker`` and ``celery -A movie_api beat``.

Configured from Django's settings (``CELERY_*``). Without ``CELERY_BROKER_URL`` tasks
run at once in the process that queues them (``CELERY_TASK_ALWAYS_EAGER``).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movie_api.settings")

app = Celery("movie_api")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

import ops.signals  # noqa: E402, F401  (request ids into task logs)
