"""Ten parallel refreshes of one refresh token: exactly one wins (``services.refresh_rotate``
locks the token's outstanding row and blacklists it in the same transaction)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from users import services

from .factories import PASSWORD, UserFactory

LOGIN = "/api/users/login/"
REFRESH = "/api/users/token/refresh/"


def _refresh_like_a_client(token: str):
    return APIClient().post(REFRESH, {"refresh": token})


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers: SQLite's shared in-memory test database raises "
    "'table is locked' instead of waiting (the replayed interleaving below runs everywhere)",
)
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_refreshes_of_one_token_give_one_new_chain():
    UserFactory(username="member")
    token = APIClient().post(LOGIN, {"username": "member", "password": PASSWORD}).data["refresh"]
    contenders = 10
    barrier = threading.Barrier(contenders)
    responses = []
    lock = threading.Lock()

    def contender():
        try:
            barrier.wait(timeout=10)
            response = _refresh_like_a_client(token)
        finally:
            connections.close_all()
        with lock:
            responses.append(response)

    threads = [threading.Thread(target=contender) for _ in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [401] * (contenders - 1)
    losers = [response for response in responses if response.status_code == 401]
    assert all(response.json()["code"] == "token_not_valid" for response in losers)
    assert OutstandingToken.objects.count() == 2  # the login's, and the winner's
    [winner] = [response for response in responses if response.status_code == 200]
    assert APIClient().post(REFRESH, {"refresh": winner.data["refresh"]}).status_code == 200


@pytest.mark.django_db
def test_a_rotation_that_finds_its_token_already_spent_is_refused():
    """The losing interleaving, replayed: the token was verified before a rival spent it."""
    user = UserFactory()
    token = RefreshToken.for_user(user)
    rival = RefreshToken(str(token))
    services.refresh_rotate(token=rival)

    from rest_framework_simplejwt.exceptions import TokenError

    with pytest.raises(TokenError, match="blacklisted"):
        services.refresh_rotate(token=token)
    assert OutstandingToken.objects.count() == 2
