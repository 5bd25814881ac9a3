"""The project's settings with the floor view mounted (bench/load.py only)."""

from movie_api.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
