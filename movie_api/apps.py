"""The project package as an app, only so its system checks are registered."""

from __future__ import annotations

from django.apps import AppConfig


class MovieApiConfig(AppConfig):
    name = "movie_api"
    verbose_name = "movie_api (project)"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
