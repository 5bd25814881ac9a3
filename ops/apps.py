from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class OpsConfig(AppConfig):
    """What an operator needs: request ids, request logs, health checks, metrics, email delivery."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        # Register every app's Celery tasks in this process too: services queue them by
        # name (ops.queue.apply_on_commit), in web processes as in workers.
        autodiscover_modules("tasks")
