"""Two gunicorn nodes on one PostgreSQL database and one Redis behave as one site."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from .servers import free_port, needs_postgresql_and_redis, shared_environment, wait_for_port

pytestmark = [
    pytest.mark.slow,
    needs_postgresql_and_redis,  # what two processes can share; SQLite in-memory and locmem cannot
    pytest.mark.django_db(transaction=True),  # the nodes see only committed rows
]

PASSWORD = "Harbour-Lantern-2026"
LOGIN_RATE = 4  # THROTTLE_LOGIN for the nodes, per hour (a slow machine stays in the window)
TIMEOUT = 30  # seconds for one request (the machine may be busy)


class Node:
    def __init__(self, name: str, port: int, process: subprocess.Popen, log: Path) -> None:
        self.name, self.port, self.process, self.log = name, port, process, log
        self.url = f"http://127.0.0.1:{port}"

    def __repr__(self) -> str:
        return f"node {self.name}"


@pytest.fixture(scope="module")
def nodes(django_db_setup, django_db_blocker, tmp_path_factory):
    """Nodes A and B: ``gunicorn -c gunicorn.conf.py movie_api.wsgi`` on two free ports."""
    tmp = tmp_path_factory.mktemp("nodes")
    with django_db_blocker.unblock():
        env = shared_environment(tmp)
    env.update(THROTTLE_LOGIN=f"{LOGIN_RATE}/hour", GUNICORN_WORKERS="2")
    started = []
    for name in ("A", "B"):
        port = free_port()
        log = tmp / f"node-{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "movie_api.wsgi"],
                cwd=Path(django_settings.BASE_DIR),
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        started.append(Node(name, port, process, log))
    try:
        for node in started:
            wait_for_port(node.port, timeout=60, process=node.process)
            # The port opens before the workers have loaded the project: wait for an answer.
            healthz = requests.get(f"{node.url}/healthz", timeout=90)
            assert healthz.status_code == 200, node.log.read_text()[-2000:]
        yield started, tmp, env
    finally:
        for node in started:
            node.process.terminate()
        for node in started:
            try:
                node.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                node.process.kill()


@pytest.fixture(autouse=True)
def _fresh_counters(nodes):
    """Each test starts with the nodes' throttle counters at zero: their cache keys are
    deleted, whatever prefix the tests' own cache uses."""
    import redis

    _, _, env = nodes
    client = redis.Redis.from_url(env["REDIS_URL"])
    keys = list(client.scan_iter(match=f"{env['CACHE_KEY_PREFIX']}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def a_and_b(nodes):
    (a, b), _, _ = nodes
    return a, b


def _account(username: str, **fields):
    # Hashed as the nodes hash (the tests' own settings use a fast hasher the nodes lack).
    return get_user_model().objects.create(
        username=username,
        email=f"{username}@example.com",
        password=PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt()),
        **fields,
    )


@pytest.fixture
def member(db):
    return _account("nina")


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=TIMEOUT)
    assert page.status_code == 200
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_a_session_made_on_one_node_works_on_the_other(a_and_b, member):
    a, b = a_and_b
    browser = requests.Session()  # cookies ignore the port: both nodes get them, as behind one name

    token = _csrf(browser, f"{a.url}/accounts/login/")
    logged_in = browser.post(
        f"{a.url}/accounts/login/",
        data={"username": "nina", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{a.url}/accounts/login/"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert logged_in.status_code == 302, logged_in.text[:500]

    lists = browser.get(f"{b.url}/accounts/lists/", allow_redirects=False, timeout=TIMEOUT)
    assert lists.status_code == 200
    assert "nina" in lists.text
    stranger = requests.get(f"{b.url}/accounts/lists/", allow_redirects=False, timeout=TIMEOUT)
    assert stranger.status_code == 302  # to the login page: B knows the session, not the URL


def _login(node: Node, password: str = PASSWORD) -> requests.Response:
    return requests.post(
        f"{node.url}/api/users/login/",
        json={"username": "nina", "password": password},
        timeout=TIMEOUT,
    )


def test_a_refresh_token_rotated_on_one_node_is_refused_on_the_other(a_and_b, member):
    a, b = a_and_b
    tokens = _login(a).json()

    rotated = requests.post(
        f"{a.url}/api/users/token/refresh/", json={"refresh": tokens["refresh"]}, timeout=10
    )
    assert rotated.status_code == 200
    replayed = requests.post(
        f"{b.url}/api/users/token/refresh/", json={"refresh": tokens["refresh"]}, timeout=10
    )
    assert replayed.status_code == 401
    onward = requests.post(
        f"{b.url}/api/users/token/refresh/", json={"refresh": rotated.json()["refresh"]}, timeout=10
    )
    assert onward.status_code == 200
    me = requests.get(
        f"{a.url}/api/users/profiles/me/",
        headers={"Authorization": f"Bearer {onward.json()['access']}"},
        timeout=TIMEOUT,
    )
    assert me.status_code == 200


def test_the_login_throttle_counts_across_nodes(a_and_b, member):
    a, b = a_and_b
    statuses = [_login(node).status_code for node in (a, b) * LOGIN_RATE][: LOGIN_RATE + 2]

    # Each node alone would allow LOGIN_RATE: together they allow LOGIN_RATE in all.
    assert statuses == [200] * LOGIN_RATE + [429, 429]


def test_the_otp_cooldown_counts_across_nodes(nodes):
    (a, b), tmp, _ = nodes
    sms_folder = tmp / "sms"
    before = set(sms_folder.glob("*.txt")) if sms_folder.exists() else set()
    signup = {
        "username": "omar",
        "email": "omar@example.com",
        "password": PASSWORD,
        "phone_number": "+14155550166",
    }

    assert (
        requests.post(f"{a.url}/api/users/register/", json=signup, timeout=TIMEOUT).status_code
        == 201
    )
    again = requests.post(f"{b.url}/api/users/register/", json=signup, timeout=TIMEOUT)
    assert again.status_code == 429
    assert 0 < int(again.headers["Retry-After"]) <= 60
    resend = requests.post(
        f"{b.url}/api/users/otp/resend/", json={"phone_number": "+14155550166"}, timeout=10
    )
    assert resend.status_code == 202  # the same answer, but no second text message
    [sms] = set(sms_folder.glob("*.txt")) - before
    code = re.search(r"\b(\d{6})\b", sms.read_text().split("\n\n", 1)[1]).group(1)

    verified = requests.post(
        f"{b.url}/api/users/otp/verify/",
        json={"phone_number": "+14155550166", "code": code},
        timeout=TIMEOUT,
    )
    assert verified.status_code == 200


def test_a_catalogue_write_on_one_node_is_seen_on_the_other_at_once(a_and_b, db):
    a, b = a_and_b
    _account("root", is_staff=True)
    access = requests.post(
        f"{a.url}/api/users/login/", json={"username": "root", "password": PASSWORD}, timeout=10
    ).json()["access"]
    admin = {"Authorization": f"Bearer {access}"}

    created = requests.post(
        f"{a.url}/api/movies/",
        json={"title": "Lanterns Over Kestrel Bay", "rating": "4.5"},
        headers=admin,
        timeout=TIMEOUT,
    )
    assert created.status_code == 201
    movie_id = created.json()["id"]

    detail = requests.get(f"{b.url}/api/movies/{movie_id}/", timeout=TIMEOUT)
    assert detail.status_code == 200
    assert detail.json()["title"] == "Lanterns Over Kestrel Bay"
    listed = requests.get(f"{b.url}/api/movies/", params={"search": "Kestrel"}, timeout=TIMEOUT)
    assert [movie["id"] for movie in listed.json()["results"]] == [movie_id]
    assert "Lanterns Over Kestrel Bay" in requests.get(f"{b.url}/", timeout=TIMEOUT).text

    renamed = requests.patch(
        f"{b.url}/api/movies/{movie_id}/", json={"title": "Kestrel Bay"}, headers=admin, timeout=10
    )
    assert renamed.status_code == 200
    graphql = requests.post(
        f"{a.url}/graphql/",
        json={"query": f'{{ movie(id: "{movie_id}") {{ title }} }}'},
        timeout=TIMEOUT,
    )
    assert graphql.json()["data"]["movie"]["title"] == "Kestrel Bay"

    assert (
        requests.delete(
            f"{a.url}/api/movies/{movie_id}/", headers=admin, timeout=TIMEOUT
        ).status_code
        == 204
    )
    assert requests.get(f"{b.url}/api/movies/{movie_id}/", timeout=TIMEOUT).status_code == 404
