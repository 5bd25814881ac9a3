from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What an operator needs: request ids, request logs, health checks, metrics, email delivery."""

    name = "ops"
    verbose_name = "Operations"
