"""populate_movies.py against a live test server: what arrives, idempotency, and each failure.

The script runs in-process (``main(argv)``) but talks plain HTTP to pytest-django's
``live_server``, so every request goes through the real login, REST and GraphQL views.
The live server is one per test process (pytest-django starts it once a session); every
test here needs it and so is marked ``slow`` (conftest.py). Only one run makes the
default 100 movies with their posters; every other run makes the few movies it needs.
What needs no server (the generator, the posters' text, the command line, answers a
live server rarely gives) is in test_populate_offline.py.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import requests
from django.core.signals import request_started
from django.db.models.signals import post_save
from PIL import Image

import populate_movies
from movies.models import Actor, CastMember, Genre, Movie
from populate.cli import DEFAULT_SEED
from populate.data import GENRES, PEOPLE, generate_movies
from populate.posters import POSTER_SIZE

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"  # the conftest users' password
ADMIN = "root"  # conftest's admin_user


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


@pytest.fixture
def populate(live_server, admin_user, capsys) -> Callable[..., Outcome]:
    """Run the script's ``main`` against the live server (by default as the admin)."""

    def run(
        *args: str, url: str | None = None, username: str = ADMIN, password: str = PASSWORD
    ) -> Outcome:
        argv = ["--url", url or live_server.url, "--username", username, "--password", password]
        if "--progress" not in args:
            argv.append("--no-progress")
        code = populate_movies.main([*argv, *args])
        out, err = capsys.readouterr()
        return Outcome(code, out, err)

    return run


@pytest.fixture
def served_requests() -> Iterator[list[tuple[str, str]]]:
    """``(method, path)`` of every request the live server handles during the test."""
    seen: list[tuple[str, str]] = []

    def record(sender, environ, **kwargs):
        seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))

    request_started.connect(record, weak=False)
    yield seen
    request_started.disconnect(record)


@pytest.fixture
def served_content_types() -> Iterator[list[tuple[str, str, str]]]:
    """``(method, path, content type)`` of every request the live server handles."""
    seen: list[tuple[str, str, str]] = []

    def record(sender, environ, **kwargs):
        kind = environ.get("CONTENT_TYPE", "").split(";")[0]
        seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"], kind))

    request_started.connect(record, weak=False)
    yield seen
    request_started.disconnect(record)


def assert_one_line_error(outcome: Outcome, *fragments: str) -> None:
    assert outcome.code == 1
    assert "Traceback" not in outcome.err
    assert len(outcome.err_lines) == 1, outcome.err
    line = outcome.err_lines[0]
    assert line.startswith("populate_movies: error: ")
    for fragment in fragments:
        assert fragment in line


def assert_catalogue_matches(count: int, seed: int = DEFAULT_SEED, *, posters: bool = True) -> None:
    """The site holds exactly the genres, people and ``count`` generated movies, each
    with the details, credits, rating and (unless ``posters`` is false: then none) a
    valid poster the generator gave it."""
    assert sorted(Genre.objects.values_list("name", flat=True)) == sorted(GENRES)
    assert sorted(Actor.objects.values_list("name", flat=True)) == sorted(PEOPLE)
    specs = {spec.title: spec for spec in generate_movies(count, seed)}
    movies = Movie.objects.prefetch_related("genres", "directors")
    assert sorted(movie.title for movie in movies) == sorted(specs)
    for movie in movies:
        spec = specs[movie.title]
        genres = {genre.name for genre in movie.genres.all()}
        billed = [
            (line.person.name, line.character, line.order)
            for line in CastMember.objects.filter(movie=movie)
            .select_related("person")
            .order_by("order")
        ]
        assert 1 <= len(genres) <= 3
        assert genres == set(spec.genres)
        assert 4 <= len(billed) <= 8
        assert billed == [(line.person, line.character, i) for i, line in enumerate(spec.cast)]
        assert sorted(person.name for person in movie.directors.all()) == sorted(spec.directors)
        assert movie.release_date.isoformat() == spec.release_date
        assert movie.runtime == spec.runtime
        assert Decimal("0.5") <= movie.rating <= Decimal("5.0")
        assert movie.rating == Decimal(spec.rating)
        assert movie.plot_summary == spec.plot_summary
        if not posters:
            assert not movie.image, f"{movie.title} has a poster"
            continue
        assert movie.image, f"{movie.title} has no poster"
        with movie.image.open("rb") as stored, Image.open(stored) as poster:
            assert poster.format == "PNG"
            assert poster.size == POSTER_SIZE
            poster.verify()


# ---------------------------------------------------------------- a full run


# The default run, 100 movies, is the one place where the count matters, so it is made
# in full; drawing and re-encoding 100 posters (most of a full run's time) would prove
# nothing that the five of the next test do not, so this run skips them.


def test_rest_run_fills_the_site_with_the_default_100_movies(populate, served_requests):
    outcome = populate("--no-posters")

    assert outcome.code == 0, outcome.err
    # one POST per movie; nothing goes through GraphQL
    assert served_requests.count(("POST", "/api/movies/")) == 100
    assert not [request for request in served_requests if request[0] == "PATCH"]
    assert ("POST", "/graphql/") not in served_requests
    assert Genre.objects.count() == 13
    assert Actor.objects.count() == len(PEOPLE)
    assert Movie.objects.count() == 100
    assert_catalogue_matches(100, posters=False)
    assert "filled via REST" in outcome.out
    assert "genres    13  (13 created, 0 already there)" in outcome.out
    assert "people    33  (33 created, 0 already there)" in outcome.out
    assert "movies   100  (100 created, 0 already there)" in outcome.out
    assert "posters skipped (--no-posters)" in outcome.out


def test_rest_run_sends_each_movie_as_json_then_its_poster_as_a_multipart_patch(
    populate, served_content_types
):
    """``cast`` with characters is JSON only (API.md), so the poster follows the POST."""
    outcome = populate("--movies", "5")

    assert outcome.code == 0, outcome.err
    writes = [request for request in served_content_types if request[0] != "GET"]
    movie_posts = [request for request in writes if request[:2] == ("POST", "/api/movies/")]
    assert movie_posts == [("POST", "/api/movies/", "application/json")] * 5
    patches = [request for request in writes if request[0] == "PATCH"]
    assert sorted(patches) == sorted(
        ("PATCH", f"/api/movies/{movie_id}/", "multipart/form-data")
        for movie_id in Movie.objects.values_list("id", flat=True)
    )
    assert not [request for request in writes if request[1] == "/graphql/"]
    assert_catalogue_matches(5)  # each a valid 360x540 PNG
    assert "movies     5  (5 created, 0 already there)" in outcome.out
    assert "posters 5 uploaded" in outcome.out


def test_rest_movies_are_readable_through_the_api_with_absolute_poster_urls(populate, live_server):
    assert populate("--movies", "3").code == 0

    listing = requests.get(f"{live_server.url}/api/movies/", timeout=10).json()
    assert listing["count"] == 3
    for movie in listing["results"]:
        assert movie["image"].startswith(live_server.url + "/media/")
        poster = requests.get(movie["image"], timeout=10)
        assert poster.status_code == 200
        assert poster.content.startswith(b"\x89PNG")


def test_second_run_adds_nothing(populate):
    first = populate("--movies", "6", "--seed", "7")
    ids_before = set(Movie.objects.values_list("id", "image"))

    second = populate("--movies", "6", "--seed", "7")

    assert first.code == second.code == 0
    assert Genre.objects.count() == 13
    assert Actor.objects.count() == len(PEOPLE)
    assert set(Movie.objects.values_list("id", "image")) == ids_before
    assert_catalogue_matches(6, seed=7)
    assert "genres    13  (0 created, 13 already there)" in second.out
    assert "people    33  (0 created, 33 already there)" in second.out
    assert "movies     6  (0 created, 6 already there)" in second.out
    assert "posters 0 uploaded" in second.out


def test_run_matches_what_is_already_there_by_name_and_title(populate):
    Genre.objects.create(name="drama")
    Actor.objects.create(name="ada  brennan")
    title = generate_movies(1, 3)[0].title
    Movie.objects.create(title=title.upper(), rating=Decimal("1.0"))

    outcome = populate("--movies", "4", "--seed", "3")

    assert outcome.code == 0, outcome.err
    assert Genre.objects.count() == 13
    assert Actor.objects.count() == len(PEOPLE)
    assert Movie.objects.count() == 4
    assert Movie.objects.filter(title__iexact=title).count() == 1
    assert "genres    13  (12 created, 1 already there)" in outcome.out
    assert "movies     4  (3 created, 1 already there)" in outcome.out


def test_movies_left_without_a_poster_get_one_on_the_next_run(populate):
    assert populate("--movies", "3", "--no-posters").code == 0
    assert not Movie.objects.exclude(image="").exists()

    outcome = populate("--movies", "3")

    assert outcome.code == 0, outcome.err
    assert Movie.objects.count() == 3
    assert "posters 3 uploaded" in outcome.out
    assert_catalogue_matches(3)


def test_settings_come_from_the_environment(populate, live_server, monkeypatch, capsys):
    monkeypatch.setenv("POPULATE_URL", live_server.url)
    monkeypatch.setenv("POPULATE_USERNAME", ADMIN)
    monkeypatch.setenv("POPULATE_PASSWORD", PASSWORD)

    code = populate_movies.main(["--movies", "2", "--no-progress"])

    assert code == 0, capsys.readouterr().err
    assert Movie.objects.count() == 2


def test_progress_bar_goes_to_stderr_and_the_summary_to_stdout(populate):
    outcome = populate("--movies", "2", "--progress")

    assert outcome.code == 0
    assert "movies" in outcome.err
    assert "100%" in outcome.err
    assert "48/48" in outcome.err  # 13 genres, 33 people, 2 movies
    assert "filled via REST" not in outcome.err
    assert "filled via REST" in outcome.out


# ---------------------------------------------------------------- GraphQL mode


def test_graphql_run_creates_through_mutations_with_posters_over_rest(populate, served_requests):
    outcome = populate("--via", "graphql", "--movies", "5", "--seed", "11")

    assert outcome.code == 0, outcome.err
    writes = {(method, path) for method, path in served_requests if method != "GET"}
    movie_ids = Movie.objects.values_list("id", flat=True)
    assert writes == {
        ("POST", "/api/users/login/"),
        ("POST", "/api/movies/genres/"),  # the admin check: an empty genre, refused
        ("POST", "/graphql/"),
        *(("PATCH", f"/api/movies/{movie_id}/") for movie_id in movie_ids),
    }
    assert served_requests.count(("POST", "/api/movies/genres/")) == 1
    assert "filled via GraphQL" in outcome.out
    assert Genre.objects.count() == 13
    assert Actor.objects.count() == len(PEOPLE)
    assert Movie.objects.count() == 5
    assert_catalogue_matches(5, seed=11)


def test_graphql_second_run_adds_nothing(populate):
    assert populate("--via", "graphql", "--movies", "4").code == 0
    before = set(Movie.objects.values_list("id", "image"))

    outcome = populate("--via", "graphql", "--movies", "4")

    assert outcome.code == 0, outcome.err
    assert set(Movie.objects.values_list("id", "image")) == before
    assert (Genre.objects.count(), Actor.objects.count()) == (13, len(PEOPLE))
    assert "movies     4  (0 created, 4 already there)" in outcome.out


def test_rest_and_graphql_runs_recognise_each_others_movies(populate):
    assert populate("--via", "rest", "--movies", "3").code == 0

    outcome = populate("--via", "graphql", "--movies", "5")

    assert outcome.code == 0, outcome.err
    assert "movies     5  (2 created, 3 already there)" in outcome.out
    assert_catalogue_matches(5)


# ---------------------------------------------------------------- failures


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_url_where_nothing_listens_is_one_line(populate):
    outcome = populate(url=f"http://127.0.0.1:{_free_port()}")

    assert_one_line_error(outcome, "cannot reach", "connection refused")


def test_a_site_that_is_not_movie_api_is_one_line(populate, live_server):
    outcome = populate(url=f"{live_server.url}/not-here")

    assert_one_line_error(outcome, "does not look like movie_api", "404")


def test_wrong_credentials_are_one_line(populate):
    outcome = populate(password="not the password")

    assert_one_line_error(outcome, "cannot sign in as 'root'", "wrong username or password")
    assert not Genre.objects.exists()


def test_a_non_admin_account_is_one_line_and_writes_nothing(populate, user):
    outcome = populate(username=user.username)

    assert_one_line_error(outcome, "'alice' is not an admin")
    assert not Genre.objects.exists()
    assert not Actor.objects.exists()
    assert not Movie.objects.exists()


def test_a_non_admin_account_is_refused_in_graphql_mode_too(populate, user):
    outcome = populate("--via", "graphql", username=user.username)

    assert_one_line_error(outcome, "'alice' is not an admin")
    assert not Genre.objects.exists()


class VanishingServer:
    """A TCP relay in front of the live server that can go away in the middle of a run:
    it stops listening and drops every client connection at once."""

    def __init__(self, target_url: str) -> None:
        target = urlsplit(target_url)
        self.target = (target.hostname, target.port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.lock = threading.Lock()
        self.clients: list[socket.socket] = []
        self.upstreams: list[socket.socket] = []
        self.threads: list[threading.Thread] = []
        self.gone = False
        self._start(self._accept)

    def _start(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self.threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for end in (client, upstream):  # relay each piece at once, as the server does
                end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                if self.gone:
                    client.close()
                    upstream.close()
                    return
                self.clients.append(client)
                self.upstreams.append(upstream)
            self._start(self._pipe, client, upstream)
            self._start(self._pipe, upstream, client)

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        # Drain the source to its end even when the sink is gone, so the live server
        # always finishes the request it is serving.
        sink_open = True
        with suppress(OSError):
            while data := source.recv(65536):
                if sink_open:
                    try:
                        sink.sendall(data)
                    except OSError:
                        sink_open = False
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def go_away(self) -> None:
        with self.lock:
            self.gone = True
            clients = list(self.clients)
        with suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for client in clients:
            with suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)
            client.close()

    def wait_until_drained(self) -> None:
        for thread in list(self.threads):
            thread.join(timeout=10)
        for upstream in self.upstreams:
            upstream.close()


@pytest.fixture
def vanishing_server(live_server):
    server = VanishingServer(live_server.url)
    yield server
    server.go_away()
    server.wait_until_drained()


@pytest.mark.parametrize("via", ["rest", "graphql"])
def test_the_server_going_away_mid_run_is_one_line_and_a_rerun_completes(
    populate, vanishing_server, via
):
    movies_created = 0

    def on_save(sender, instance, created, **kwargs):
        nonlocal movies_created
        movies_created += created
        if created and movies_created == 2:
            vanishing_server.go_away()

    post_save.connect(on_save, sender=Movie, weak=False)
    try:
        outcome = populate("--via", via, "--movies", "6", url=vanishing_server.url)
    finally:
        post_save.disconnect(on_save, sender=Movie)
    vanishing_server.wait_until_drained()

    assert_one_line_error(outcome, "lost the connection to", "did the server stop?")
    assert Movie.objects.count() == 2
    assert (Genre.objects.count(), Actor.objects.count()) == (13, len(PEOPLE))

    rerun = populate("--via", via, "--movies", "6")

    assert rerun.code == 0, rerun.err
    assert "movies     6  (4 created, 2 already there)" in rerun.out
    assert_catalogue_matches(6)
