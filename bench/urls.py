"""The project's URLs plus the floor view, for bench/load.py only."""

from django.urls import path

from bench.floor import floor
from movie_api.urls import handler404, handler500  # noqa: F401
from movie_api.urls import urlpatterns as project_urls

urlpatterns = [path("__floor__/", floor), *project_urls]
