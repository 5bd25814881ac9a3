"""WSGI entry for bench/load.py: the project's own, with the floor view mounted."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from movie_api.wsgi import application  # noqa: F401 - after the settings module is chosen
