"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movie_api.settings")

application = get_asgi_application()

# Web processes only (migrate and other commands never import this module):
# PostgreSQL's statement_timeout on every connection.
from core.db import enable_statement_timeout  # noqa: E402 - needs the settings above

enable_statement_timeout()
