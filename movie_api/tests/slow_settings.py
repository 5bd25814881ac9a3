"""The project's settings with the slow test views mounted (for a gunicorn under test)."""

from movie_api.settings import *  # noqa: F403

ROOT_URLCONF = "movie_api.tests.slow_urls"
