"""``populate_movies.py --source tmdb`` offline: a local HTTP server the tests start plays
TMDB API v3, serving JSON in TMDB's documented shapes that the tests write themselves
(configuration, genre list, popular pages, movies with ``append_to_response=credits``,
poster images), including a 429 with Retry-After, a missing poster and a person who
both acts and directs. The importer writes through the live test site's REST API."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

import populate_movies
from movies.models import CastMember, Genre, Movie, Person
from populate.tmdb import MISSING_KEY, rating_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PASSWORD = "correct horse battery"
ADMIN = "root"
ATTRIBUTION = "This product uses the TMDB API but is not endorsed or certified by TMDB."


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 300), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _credit(person_id: int, name: str, character: str, order: int) -> dict:
    return {
        "adult": False, "gender": 1, "id": person_id, "known_for_department": "Acting",
        "name": name, "original_name": name, "popularity": 9.1, "profile_path": None,
        "cast_id": order + 10, "character": character, "credit_id": f"c{person_id}{order}",
        "order": order,
    }  # fmt: skip


def _crew(person_id: int, name: str, job: str) -> dict:
    department = "Directing" if job == "Director" else "Writing"
    return {
        "adult": False, "gender": 2, "id": person_id, "known_for_department": department,
        "name": name, "original_name": name, "popularity": 3.2, "profile_path": None,
        "credit_id": f"k{person_id}{job}", "department": department, "job": job,
    }  # fmt: skip


def _movie(tmdb_id: int, **fields) -> dict:
    movie = {
        "adult": False, "backdrop_path": None, "budget": 0, "homepage": "", "id": tmdb_id,
        "imdb_id": None, "original_language": "en", "original_title": fields["title"],
        "popularity": 50.0, "status": "Released", "tagline": "", "video": False,
        "vote_count": 1200,
    }  # fmt: skip
    movie.update(fields)
    return movie


# Ida Lund (500) acts in 101 and directs 101 and 102: one person, both kinds of credit.
MOVIES = {
    101: _movie(
        101,
        title="Harbour Lights",
        overview="A harbour pilot guides one last ship home.",
        vote_average=7.85,
        release_date="1994-09-23",
        runtime=142,
        genres=[{"id": 18, "name": "Drama"}, {"id": 10752, "name": "War"}],
        poster_path="/p101.png",
        credits={
            "cast": [
                _credit(501, "Oskar Brandt", "Captain Lys", 1),
                _credit(500, "Ida Lund", "Harbour master", 0),
                _credit(502, "Noor Salim", "", 2),
            ],
            "crew": [
                _crew(500, "Ida Lund", "Director"),
                _crew(503, "Tove Aas", "Screenplay"),
            ],
        },
    ),
    102: _movie(
        102,
        title="Cold Iron",
        overview="Two smugglers, one border, no way back.",
        vote_average=6.2,
        release_date="2021-03-05",
        runtime=101,
        genres=[{"id": 28, "name": "Action"}],
        poster_path="/missing.jpg",  # the image server answers 404
        credits={
            "cast": [_credit(502, "Noor Salim", "Rook", 0)],
            "crew": [_crew(500, "Ida Lund", "Director"), _crew(504, "Per Holm", "Director")],
        },
    ),
    103: _movie(
        103,
        title="Untitled Sequel",
        overview="",
        vote_average=0,
        release_date="",
        runtime=0,
        genres=[],
        poster_path=None,
        credits={"cast": [], "crew": []},
    ),
}


@dataclass
class FakeTmdb:
    url: str = ""
    requests: list[tuple[str, dict, str]] = field(default_factory=list)
    throttled: set[str] = field(default_factory=set)  # paths that answer 429 once

    def answer(self, path: str, query: dict) -> tuple[int, dict[str, str], bytes]:
        if path in self.throttled:
            self.throttled.discard(path)
            return 429, {"Retry-After": "1"}, b'{"status_code": 25}'
        if path == "/3/configuration":
            body = {
                "images": {
                    "base_url": f"{self.url}/img/",
                    "secure_base_url": f"{self.url}/img/",
                    "poster_sizes": ["w92", "w185", "w500", "original"],
                },
                "change_keys": [],
            }
        elif path == "/3/genre/movie/list":
            body = {
                "genres": [
                    {"id": 28, "name": "Action"},
                    {"id": 18, "name": "Drama"},
                    {"id": 10752, "name": "War"},
                ]
            }
        elif path == "/3/movie/popular":
            page = int(query.get("page", ["1"])[0])
            ids = [[101, 102], [103]][page - 1]
            body = {
                "page": page,
                "results": [{"id": i, "title": MOVIES[i]["title"]} for i in ids],
                "total_pages": 2,
                "total_results": 3,
            }
        elif path.startswith("/3/movie/") and int(path.rsplit("/", 1)[1]) in MOVIES:
            body = MOVIES[int(path.rsplit("/", 1)[1])]
        elif path == "/img/w500/p101.png":
            return 200, {"Content-Type": "image/png"}, _png()
        else:
            return 404, {}, b'{"status_code": 34, "status_message": "not found"}'
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


@pytest.fixture
def tmdb_server() -> Iterator[FakeTmdb]:
    fake = FakeTmdb()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            fake.requests.append((parts.path, query, self.headers.get("Authorization", "")))
            status, headers, body = fake.answer(parts.path, query)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture
def run_import(live_server, admin_user, tmdb_server, monkeypatch, capsys) -> Callable[..., Outcome]:
    monkeypatch.setenv("TMDB_API_URL", f"{tmdb_server.url}/3")
    monkeypatch.delenv("TMDB_IMAGE_URL", raising=False)
    monkeypatch.delenv("TMDB_READ_TOKEN", raising=False)
    monkeypatch.setenv("TMDB_API_KEY", "test-key")

    def run(*args: str) -> Outcome:
        code = populate_movies.main(
            ["--url", live_server.url, "--username", ADMIN, "--password", PASSWORD,
             "--source", "tmdb", "--no-progress", *args]
        )  # fmt: skip
        out, err = capsys.readouterr()
        return Outcome(code, out, err)

    return run


def test_import_maps_tmdb_movies_onto_the_catalogue(run_import, tmdb_server):
    tmdb_server.throttled.add("/3/movie/102")

    outcome = run_import("--movies", "3")

    assert outcome.code == 0, outcome.err
    assert Movie.objects.count() == 3
    harbour = Movie.objects.get(tmdb_id=101)
    assert harbour.title == "Harbour Lights"
    assert harbour.plot_summary == "A harbour pilot guides one last ship home."
    assert harbour.rating == Decimal("3.9")  # 7.85 / 2, one place
    assert harbour.release_date.isoformat() == "1994-09-23"
    assert harbour.runtime == 142
    assert sorted(genre.name for genre in harbour.genres.all()) == ["Drama", "War"]
    billed = [
        (line.person.tmdb_id, line.person.name, line.character, line.order)
        for line in CastMember.objects.filter(movie=harbour).select_related("person")
        .order_by("order")
    ]  # fmt: skip
    assert billed == [
        (500, "Ida Lund", "Harbour master", 0),
        (501, "Oskar Brandt", "Captain Lys", 1),
        (502, "Noor Salim", "", 2),
    ]
    ida = Person.objects.get(tmdb_id=500)
    assert list(harbour.directors.all()) == [ida]  # the screenwriter is not a director
    assert not Person.objects.filter(tmdb_id=503).exists()
    with harbour.image.open("rb") as stored, Image.open(stored) as poster:
        assert poster.size == (200, 300)

    cold = Movie.objects.get(tmdb_id=102)  # after a 429: waited, asked again
    assert sorted(p.tmdb_id for p in cold.directors.all()) == [500, 504]
    assert not cold.image  # TMDB's poster is missing: the movie comes without one
    assert Person.objects.filter(name="Ida Lund").count() == 1

    bare = Movie.objects.get(tmdb_id=103)
    assert (bare.release_date, bare.runtime, bare.rating) == (None, None, Decimal("0.0"))
    assert not bare.image
    assert not bare.genres.exists()

    asked = [path for path, _query, _auth in tmdb_server.requests]
    assert asked.count("/3/movie/102") == 2
    movie_queries = [q for path, q, _ in tmdb_server.requests if path.startswith("/3/movie/1")]
    assert all(q["append_to_response"] == ["credits"] for q in movie_queries)
    api_queries = [q for path, q, _auth in tmdb_server.requests if path.startswith("/3/")]
    assert all(q["api_key"] == ["test-key"] for q in api_queries)
    image_queries = [q for path, q, _auth in tmdb_server.requests if path.startswith("/img/")]
    assert image_queries == [{}, {}]  # the key goes to the API only
    assert "movies     3  (3 created, 0 already there)" in outcome.out
    assert "posters 1 uploaded, 2 without a poster on TMDB" in outcome.out
    assert Genre.objects.filter(name="War").exists()


def test_a_second_import_adds_nothing(run_import):
    assert run_import("--movies", "3").code == 0
    before = (
        set(Movie.objects.values_list("id", "image")),
        Person.objects.count(),
        Genre.objects.count(),
    )

    outcome = run_import("--movies", "3")

    assert outcome.code == 0, outcome.err
    after = (
        set(Movie.objects.values_list("id", "image")),
        Person.objects.count(),
        Genre.objects.count(),
    )
    assert after == before
    assert "movies     3  (0 created, 3 already there)" in outcome.out
    assert "people  0 created" in outcome.out


def test_a_read_token_is_sent_as_a_bearer(run_import, tmdb_server, monkeypatch):
    monkeypatch.delenv("TMDB_API_KEY")
    monkeypatch.setenv("TMDB_READ_TOKEN", "read-token")

    assert run_import("--movies", "1", "--no-posters").code == 0

    assert {auth for _path, _query, auth in tmdb_server.requests} == {"Bearer read-token"}
    assert not [q for _p, q, _a in tmdb_server.requests if "api_key" in q]


def test_an_image_the_site_refuses_is_left_out_and_the_movie_kept(run_import, tmdb_server):
    original = tmdb_server.answer

    def not_an_image(path, query):
        if path == "/img/w500/p101.png":
            return 200, {"Content-Type": "image/png"}, b"<html>not a poster</html>"
        return original(path, query)

    tmdb_server.answer = not_an_image  # type: ignore[method-assign]

    outcome = run_import("--movies", "1")

    assert outcome.code == 0, outcome.err
    assert not Movie.objects.get(tmdb_id=101).image
    assert "1 refused by the site's poster checks" in outcome.out


def test_the_footer_shows_tmdb_attribution_once_tmdb_data_is_there(run_import, client):
    assert ATTRIBUTION not in client.get("/movies/").content.decode()

    assert run_import("--movies", "1", "--no-posters").code == 0

    assert ATTRIBUTION in client.get("/movies/").content.decode()


def test_a_missing_key_is_said_first(monkeypatch, capsys):
    monkeypatch.delenv("TMDB_API_KEY", raising=False)
    monkeypatch.delenv("TMDB_READ_TOKEN", raising=False)

    with pytest.raises(SystemExit) as exit_info:
        populate_movies.main(["--source", "tmdb"])  # no site credentials either

    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert MISSING_KEY in err
    assert "TMDB_API_KEY" in err.splitlines()[0]


@pytest.mark.parametrize(
    ("vote", "rating"), [(7.85, "3.9"), (10, "5.0"), (0, "0.0"), (None, "0.0"), (6.24, "3.1")]
)
def test_vote_average_becomes_a_rating_out_of_five(vote, rating):
    assert rating_of(vote) == rating
