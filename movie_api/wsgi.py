"""WSGI entry point (gunicorn: ``gunicorn -c gunicorn.conf.py movie_api.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movie_api.settings")

application = get_wsgi_application()

# Web processes only (gunicorn, runserver; migrate and other commands never import
# this module): PostgreSQL's statement_timeout on every connection.
from core.db import enable_statement_timeout  # noqa: E402 - needs the settings above

enable_statement_timeout()
