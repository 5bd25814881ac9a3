"""Fixtures of the support desk's tests: the five kinds of caller, pages and API alike.

The root conftest gives the five kinds of caller (``user``, alice, the requester here;
``other_user``; ``agent``; ``admin_user``) and ``api_for`` / ``page_for`` clients by role.
"""

from __future__ import annotations

import socket

import pytest

ROLES = ["anonymous", "requester", "other", "agent", "admin"]


@pytest.fixture
def refused_url() -> str:
    """A URL on this machine where nothing listens: connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/graphql/"


@pytest.fixture
def catalogue_down(settings, refused_url):
    """The catalogue is configured over HTTP and does not answer."""
    settings.SUPPORT_GRAPHQL_URL = refused_url
    settings.SUPPORT_GRAPHQL_TIMEOUT = 0.5
    return refused_url


@pytest.fixture
def silent_url():
    """A URL whose server accepts connections but never answers: requests time out."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        port = sock.getsockname()[1]
        yield f"http://127.0.0.1:{port}/graphql/"
