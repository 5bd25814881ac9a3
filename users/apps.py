from django.apps import AppConfig


class UsersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "users"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from .sms import checks  # noqa: F401  (registers the system checks)
