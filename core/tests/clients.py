"""Test clients shared by the apps' fixtures (conftest.py, users/tests/conftest.py)."""

from __future__ import annotations

from rest_framework.test import APIClient


def rest_client(user=None) -> APIClient:
    """A REST client, authenticated as ``user`` (anonymous for ``None``)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
