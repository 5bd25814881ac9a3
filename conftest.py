"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Each test gets its own media folder, a fast password hasher, an empty cache
    (and no stored catalogue reads) and the in-memory SMS and email outboxes."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Stored catalogue reads are off: a test's writes never commit (pytest-django rolls
    # them back), so the catalogue version, bumped on commit, would not move and a read
    # after a write would get the old entry. The cache's own tests turn it on with real
    # commits (django_db(transaction=True)): movies/tests/test_http_cache.py.
    settings.HTTP_CACHE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "locmem"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    from users import sms

    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()


@pytest.fixture
def sms_outbox() -> list:
    """Text messages sent so far by the locmem SMS backend (``users.sms.outbox``)."""
    from users import sms

    return sms.outbox


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        username="alice", email="alice@example.com", password="correct horse battery"
    )


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(
        username="bob", email="bob@example.com", password="correct horse battery"
    )


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_user(
        username="root", email="root@example.com", password="correct horse battery", is_staff=True
    )


@pytest.fixture
def user_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def other_client(other_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(other_user)
    return client


@pytest.fixture
def admin_client_api(admin_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


@pytest.fixture
def graphql(client):
    """POST a GraphQL document to /graphql/, anonymously or as ``user`` (Bearer JWT).

    Returns the response; ``response.json()`` holds ``data`` and ``errors``.
    """
    from rest_framework_simplejwt.tokens import AccessToken

    def post(query: str, variables: dict | None = None, *, user=None, **extra):
        if user is not None:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {AccessToken.for_user(user)}"
        return client.post(
            "/graphql/",
            {"query": query, "variables": variables or {}},
            content_type="application/json",
            **extra,
        )

    return post
