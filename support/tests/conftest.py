"""Fixtures of the support desk's tests: the five kinds of caller, pages and API alike.

The root conftest gives ``user`` (alice, the requester here), ``other_user`` (bob),
``admin_user`` (root, staff) and their API clients; this adds ``agent`` (a member
of the "Support agents" group who is not staff) and logged-in page clients.
"""

from __future__ import annotations

import socket

import pytest
from django.test import Client
from rest_framework.test import APIClient

from .factories import AgentFactory

ROLES = ["anonymous", "requester", "other", "agent", "admin"]


@pytest.fixture
def agent(db):
    return AgentFactory(username="agatha")


@pytest.fixture
def agent_client_api(agent) -> APIClient:
    client = APIClient()
    client.force_authenticate(agent)
    return client


@pytest.fixture
def users_by_role(user, other_user, agent, admin_user) -> dict:
    """The people behind each role; ``user`` files the tickets."""
    return {
        "anonymous": None,
        "requester": user,
        "other": other_user,
        "agent": agent,
        "admin": admin_user,
    }


@pytest.fixture
def api_for(users_by_role):
    """An API client for a role: ``api_for("agent")``."""

    def make(role: str) -> APIClient:
        client = APIClient()
        if users_by_role[role] is not None:
            client.force_authenticate(users_by_role[role])
        return client

    return make


@pytest.fixture
def page_for(users_by_role):
    """A browser-like client logged in (with a session) as a role: ``page_for("requester")``."""

    def make(role: str, *, enforce_csrf_checks: bool = False) -> Client:
        client = Client(enforce_csrf_checks=enforce_csrf_checks)
        if users_by_role[role] is not None:
            client.force_login(users_by_role[role])
        return client

    return make


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
