#!/usr/bin/env python3
"""Fill a running movie_api site with demo data through its own API.

Signs in as an admin, then makes sure the site holds 13 genres, 15 actors and
(by default) 100 generated movies, each with 1-3 genres, 2-5 actors, a rating from
0.5 to 5.0 and a poster drawn with Pillow::

    POPULATE_PASSWORD=... python populate_movies.py --url http://127.0.0.1:8000 --username admin
    python populate_movies.py --via graphql --movies 20 --seed 7

It only talks HTTP (``requests``): it never imports Django, so it works against any
movie_api, local or remote. Running it again adds nothing that is already there:
genres and actors are matched by name, movies by title (ignoring case and spacing).
The same ``--seed`` always generates the same movies, so the default seed makes
``make run`` idempotent. ``--via graphql`` creates through the GraphQL mutations;
GraphQL has no file upload, so the posters then follow through REST (a multipart
PATCH of the movie just created).

Exit codes: 0 done, 1 the site could not be filled (one line on stderr says why),
2 bad command line, 130 interrupted.
"""

from __future__ import annotations

import argparse
import getpass
import io
import os
import random
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol
from urllib.parse import urlsplit

import requests
from PIL import Image, ImageDraw, ImageFont
from tqdm import tqdm

PROG = "populate_movies"

GENRES: tuple[str, ...] = (
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Horror",
    "Mystery",
    "Romance",
    "Science Fiction",
    "Thriller",
)

ACTORS: tuple[str, ...] = (
    "Leonardo DiCaprio",
    "Meryl Streep",
    "Denzel Washington",
    "Cate Blanchett",
    "Tom Hanks",
    "Viola Davis",
    "Morgan Freeman",
    "Natalie Portman",
    "Joaquin Phoenix",
    "Scarlett Johansson",
    "Daniel Day-Lewis",
    "Frances McDormand",
    "Brad Pitt",
    "Kate Winslet",
    "Samuel L. Jackson",
)

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_MOVIES = 100
DEFAULT_SEED = 1
DEFAULT_TIMEOUT = 30.0
PAGE_SIZE = 100  # the API's maximum page size
POSTER_SIZE = (360, 540)

LOGIN_PATH = "/api/users/login/"
GENRES_PATH = "/api/movies/genres/"
ACTORS_PATH = "/api/movies/actors/"
MOVIES_PATH = "/api/movies/"
GRAPHQL_PATH = "/graphql/"


class PopulateError(Exception):
    """A failure the user can act on: ``main`` prints it as one line and exits with 1."""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class MovieSpec:
    """One generated movie, described by names so it can be matched against any site."""

    title: str
    plot_summary: str
    rating: str  # one decimal, "0.5" to "5.0": exact in multipart and in JSON
    genres: tuple[str, ...]
    actors: tuple[str, ...]
    colours: tuple[tuple[int, int, int], tuple[int, int, int]]


_ADJECTIVES = (
    "Quiet", "Crimson", "Silent", "Broken", "Golden", "Hidden", "Last", "Burning",
    "Frozen", "Distant", "Hollow", "Electric", "Wandering", "Forgotten", "Midnight",
    "Iron", "Velvet", "Restless", "Shattered", "Endless", "Scarlet", "Lonely", "Wild",
    "Paper", "Glass", "Secret", "Sleeping", "Northern", "Bitter", "Radiant",
)  # fmt: skip
_NOUNS = (
    "Harbour", "Kingdom", "Witness", "Garden", "Signal", "Orchard", "Frontier", "Mirror",
    "Lighthouse", "Promise", "Station", "Empire", "River", "Machine", "Citadel", "Voyage",
    "Archive", "Horizon", "Carnival", "Island", "Cathedral", "Labyrinth", "Summer",
    "Orbit", "Shadow", "Crown", "Compass", "Tide", "Ember", "Winter",
)  # fmt: skip
_PLACES = (
    "Lisbon", "the Moon", "Marrakesh", "the North Sea", "Kyoto", "Patagonia", "Vienna",
    "the Sahara", "Havana", "Reykjavik", "Bombay", "the Yukon", "Naples", "Atlantis",
    "Mars", "Montreal", "the Outback", "Istanbul", "Saint Petersburg", "Valparaíso",
)  # fmt: skip
_FIRST_NAMES = (
    "Ada", "Tomas", "Ines", "Kofi", "Mira", "Elias", "June", "Rafael", "Noor", "Oskar",
    "Lena", "Hugo", "Priya", "Jonah", "Esme", "Mateo", "Sana", "Felix", "Ivy", "Arlo",
)  # fmt: skip


def _article(noun: str) -> str:
    return f"{'An' if noun[0] in 'AEIOU' else 'A'} {noun}"


_TITLE_PATTERNS: tuple[Callable[[random.Random], str], ...] = (
    lambda r: f"The {r.choice(_ADJECTIVES)} {r.choice(_NOUNS)}",
    lambda r: f"{r.choice(_NOUNS)} of the {r.choice(_ADJECTIVES)} {r.choice(_NOUNS)}",
    lambda r: f"{r.choice(_ADJECTIVES)} {r.choice(_NOUNS)}",
    lambda r: f"{_article(r.choice(_NOUNS))} in {r.choice(_PLACES)}",
    lambda r: f"Return to {r.choice(_PLACES)}",
    lambda r: f"{r.choice(_FIRST_NAMES)}'s {r.choice(_NOUNS)}",
    lambda r: f"Beyond the {r.choice(_ADJECTIVES)} {r.choice(_NOUNS)}",
    lambda r: f"Letters from {r.choice(_PLACES)}",
    lambda r: f"Last Train to {r.choice(_PLACES)}",
)
_ROLES = (
    "a retired detective", "a young cartographer", "a disgraced surgeon", "a night-shift nurse",
    "a washed-up jazz pianist", "an ambitious journalist", "a reluctant heir",
    "a lighthouse keeper", "a runaway bride", "a small-town mechanic", "an astronaut",
    "a forger with a conscience", "a grieving widower", "a teenage chess prodigy",
    "a smuggler", "a village schoolteacher",
)  # fmt: skip
_INCITING = (
    "finds a letter that was never meant to be delivered",
    "inherits a house that appears on no map",
    "witnesses a crime nobody else will admit happened",
    "receives a radio signal from thirty years ago",
    "is hired to find a painting that does not exist",
    "wakes up with a stranger's memories",
    "stumbles on a plot to flood the city",
    "agrees to one last job",
    "answers a phone that has been disconnected for a decade",
    "discovers that the family business is a front",
)  # fmt: skip
_COMPLICATIONS = (
    "Every clue leads back to {ally}, who has been lying from the start.",
    "Helped by {ally}, an old rival with nothing left to lose, the search turns dangerous.",
    "But {ally} wants the same secret, and will do anything to keep it buried.",
    "With {ally} at their side, they cross a country that seems to rearrange itself each night.",
    "Soon {ally} disappears, leaving only a map and a warning.",
    "As a storm closes in, {ally} reveals a truth that changes everything.",
)  # fmt: skip
_STAKES = (
    "Time is running out before the tide, and the past, come back in.",
    "What begins as a favour becomes a fight for the soul of a family.",
    "To save the people they love, they must first forgive themselves.",
    "The answer is closer to home than anyone dared to imagine.",
    "Nothing will be the same once the truth reaches the surface.",
    "A story of courage, loss and the strange mercy of second chances.",
    "Only one of them can walk away, and neither is ready to choose.",
)  # fmt: skip


def _key(name: str) -> str:
    """How names and titles are matched: case and runs of spaces do not count."""
    return " ".join(name.split()).casefold()


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randint(20, 235), rng.randint(20, 235), rng.randint(20, 235))


def generate_movies(count: int, seed: int) -> list[MovieSpec]:
    """``count`` movies with unique titles; the same seed always gives the same movies,
    and a smaller count gives the first movies of a larger one."""
    rng = random.Random(seed)
    seen: set[str] = set()
    movies: list[MovieSpec] = []
    for _ in range(count):
        base = rng.choice(_TITLE_PATTERNS)(rng)
        for _attempt in range(20):
            if _key(base) not in seen:
                break
            base = rng.choice(_TITLE_PATTERNS)(rng)
        title, sequel = base, 1
        while _key(title) in seen:  # every pattern taken: it is a sequel
            sequel += 1
            title = f"{base} {sequel}"
        seen.add(_key(title))
        hero, ally = rng.sample(_FIRST_NAMES, 2)
        plot = (
            f"{hero}, {rng.choice(_ROLES)} in {rng.choice(_PLACES)}, {rng.choice(_INCITING)}. "
            f"{rng.choice(_COMPLICATIONS).format(ally=ally)} {rng.choice(_STAKES)}"
        )
        movies.append(
            MovieSpec(
                title=title,
                plot_summary=plot,
                rating=f"{rng.randint(5, 50) / 10:.1f}",
                genres=tuple(rng.sample(GENRES, rng.randint(1, 3))),
                actors=tuple(rng.sample(ACTORS, rng.randint(2, 5))),
                colours=(_colour(rng), _colour(rng)),
            )
        )
    return movies


# ------------------------------------------------------------------------ posters


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans(
    {
        "Æ": "AE",
        "æ": "ae",
        "Ø": "O",
        "ø": "o",
        "ß": "ss",
        "Œ": "OE",
        "œ": "oe",
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
    }
)


def poster_text(text: str) -> str:
    """``text`` as Pillow's built-in font can draw it: it has ASCII glyphs only, so
    accents are dropped ("Valparaíso" -> "Valparaiso") rather than drawn as boxes."""
    folded = unicodedata.normalize("NFKD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    return "".join(char for char in folded if char.isascii())


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, max_width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def draw_poster(spec: MovieSpec, size: tuple[int, int] = POSTER_SIZE) -> bytes:
    """A PNG poster: a vertical gradient between the movie's two colours, its title
    centred in large type, its genres at the head and its rating at the foot."""
    width, height = size
    top, bottom = spec.colours
    mask = Image.linear_gradient("L").resize(size)  # 0 at the top, 255 at the foot
    image = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)
    draw = ImageDraw.Draw(image)
    margin = width // 10
    draw.rectangle(
        (margin // 2, margin // 2, width - margin // 2, height - margin // 2),
        outline=(255, 255, 255),
        width=2,
    )

    font_size = width // 6
    while True:
        font = _font(font_size)
        lines = _wrap(draw, poster_text(spec.title), font, width - 2 * margin)
        widest = max(draw.textlength(line, font=font) for line in lines)
        line_height = int(font_size * 1.2)
        if (widest <= width - 2 * margin and line_height * len(lines) <= height * 0.6) or (
            font_size <= 12
        ):
            break
        font_size -= 2
    y = (height - line_height * len(lines)) // 2
    for line in lines:
        draw.text(
            (width / 2, y + line_height / 2),
            line,
            font=font,
            anchor="mm",
            fill=(255, 255, 255),
            stroke_width=max(1, font_size // 18),
            stroke_fill=(20, 20, 20),
        )
        y += line_height
    for text, y in (
        (poster_text(" / ".join(spec.genres).upper()), margin * 1.2),
        (f"{spec.rating} / 5", height - margin * 1.2),
    ):
        size_px = max(10, width // 20)
        while size_px > 10 and draw.textlength(text, font=_font(size_px)) > width - 2 * margin:
            size_px -= 1
        draw.text(
            (width / 2, y),
            text,
            font=_font(size_px),
            anchor="mm",
            fill=(255, 255, 255),
            stroke_width=1,
            stroke_fill=(20, 20, 20),
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def poster_filename(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-") or "poster"
    return f"{slug[:80]}.png"


# ---------------------------------------------------------------------- transport


def _reason(error: requests.RequestException) -> str:
    """The useful end of a requests exception, e.g. "connection refused"."""
    text = str(error)
    if isinstance(error, requests.Timeout):
        return "no answer in time"
    if match := re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text):
        return match.group(1).strip().rstrip(".").lower()
    for marker, reason in (
        ("RemoteDisconnected", "the server closed the connection"),
        ("Connection reset", "connection reset"),
        ("Connection aborted", "connection aborted"),
        ("BrokenPipe", "connection broken"),
        ("IncompleteRead", "the answer was cut off"),
    ):
        if marker in text:
            return reason
    return type(error).__name__


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field_errors(data: Any) -> str:
    """DRF's ``{"field": ["message"]}`` (or ``{"detail": ...}``) as ``field: message``."""
    if isinstance(data, dict):
        if set(data) == {"detail"}:
            return str(data["detail"])
        parts = []
        for name, messages in data.items():
            if isinstance(messages, list | tuple):
                messages = " ".join(str(message) for message in messages)
            parts.append(f"{name}: {messages}")
        return "; ".join(parts)
    return str(data)


class Api:
    """The site's REST and GraphQL endpoints over one ``requests`` session.

    Every failure becomes a ``PopulateError`` that says what was being done when it
    happened: the site cannot be reached, went away, refused the account, or
    answered something unexpected.
    """

    def __init__(
        self,
        base_url: str,
        *,
        username: str,
        password: str,
        timeout: float = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.username = username
        self._password = password
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["Accept"] = "application/json"
        self.session.headers["User-Agent"] = f"{PROG}/1 (+requests)"
        self._access: str | None = None
        self._reached = False  # has the site answered anything yet?

    # -- plumbing

    def _send(
        self, method: str, path: str, *, doing: str, auth: bool = True, **kwargs: Any
    ) -> requests.Response:
        url = self.base_url + path
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self._access}"} if auth and self._access else {}
            try:
                response = self.session.request(
                    method, url, headers=headers, timeout=self.timeout, **kwargs
                )
            except requests.RequestException as error:
                if self._reached:
                    raise PopulateError(
                        f"lost the connection to {self.base_url} while {doing}: {_reason(error)}"
                        " (did the server stop?)"
                    ) from None
                raise PopulateError(
                    f"cannot reach {self.base_url}: {_reason(error)}"
                    " (is the site running, and is --url right?)"
                ) from None
            self._reached = True
            # An access token lasts minutes: on a long run, sign in again once and retry.
            if response.status_code == 401 and auth and self._access and attempt == 1:
                self.login()
                continue
            return response
        return response

    def _json(self, response: requests.Response, doing: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise PopulateError(
                f"{self.base_url} does not look like movie_api: {response.request.method} "
                f"{urlsplit(response.url).path} answered HTTP {response.status_code} "
                f"with no JSON while {doing}"
            ) from None

    def _fail(self, response: requests.Response, doing: str) -> PopulateError:
        status = response.status_code
        try:
            detail = _field_errors(response.json())
        except ValueError:
            detail = response.reason or ""
        where = f"{response.request.method} {urlsplit(response.url).path}"
        if status == 403:
            return self._not_admin()
        if status == 401:
            return PopulateError(f"the site no longer accepts our sign-in while {doing}: {detail}")
        if status in (404, 405):
            return PopulateError(
                f"{self.base_url} does not look like movie_api: {where} answered HTTP {status}"
            )
        if status == 429:
            return PopulateError(f"the site is throttling us while {doing}: {detail}")
        if status >= 500:
            return PopulateError(f"the server failed (HTTP {status}) while {doing}")
        return PopulateError(f"the site refused {doing} (HTTP {status}): {_one_line(detail)}")

    def _not_admin(self) -> PopulateError:
        return PopulateError(
            f"the account '{self.username}' is not an admin: filling the catalogue needs a "
            "staff account (is_staff)"
        )

    def _expect(
        self, response: requests.Response, doing: str, status: Iterable[int] = (200,)
    ) -> Any:
        if response.status_code not in tuple(status):
            raise self._fail(response, doing)
        return self._json(response, doing)

    # -- signing in

    def login(self) -> None:
        """POST the credentials to ``/api/users/login/`` and keep the access token."""
        doing = f"signing in as '{self.username}'"
        response = self._send(
            "POST",
            LOGIN_PATH,
            doing=doing,
            auth=False,
            json={"username": self.username, "password": self._password},
        )
        if response.status_code in (400, 401):
            raise PopulateError(
                f"cannot sign in as '{self.username}' at {self.base_url}: wrong username or "
                "password, or the account is not active"
            )
        data = self._expect(response, doing)
        if not isinstance(data, dict) or not data.get("access"):
            raise PopulateError(
                f"{self.base_url} does not look like movie_api: {LOGIN_PATH} gave no access token"
            )
        self._access = data["access"]

    def check_admin(self) -> None:
        """Make sure the account may write, before writing anything.

        An empty genre is an invalid write: an admin gets 400 (the permission check
        passed and the data was refused), anyone else 403. Nothing is created either way.
        """
        response = self._send("POST", GENRES_PATH, doing="checking the account", json={})
        if response.status_code == 403:
            raise self._not_admin()
        if response.status_code != 400:
            raise self._fail(response, "checking the account")

    # -- REST

    def list_all(self, path: str, doing: str) -> list[dict[str, Any]]:
        """Every item of a paginated list, ``PAGE_SIZE`` at a time."""
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            response = self._send(
                "GET", path, doing=doing, params={"page": page, "page_size": PAGE_SIZE}
            )
            data = self._expect(response, doing)
            if not isinstance(data, dict) or not isinstance(data.get("results"), list):
                raise PopulateError(
                    f"{self.base_url} does not look like movie_api: {path} is not a paginated list"
                )
            items.extend(data["results"])
            if not data.get("next") or not data["results"]:
                return items
            page += 1

    def post(self, path: str, doing: str, **kwargs: Any) -> dict[str, Any]:
        return self._expect(self._send("POST", path, doing=doing, **kwargs), doing, (201,))

    def patch(self, path: str, doing: str, **kwargs: Any) -> dict[str, Any]:
        return self._expect(self._send("PATCH", path, doing=doing, **kwargs), doing, (200,))

    # -- GraphQL

    def graphql(self, query: str, variables: dict[str, Any], doing: str) -> dict[str, Any]:
        """Run one GraphQL document; errors (in any shape) become a ``PopulateError``."""
        response = self._send(
            "POST", GRAPHQL_PATH, doing=doing, json={"query": query, "variables": variables}
        )
        if response.status_code in (404, 405):
            raise PopulateError(
                f"{self.base_url} has no GraphQL endpoint: POST {GRAPHQL_PATH} answered "
                f"HTTP {response.status_code} (try --via rest)"
            )
        if response.status_code not in (200, 400):
            raise self._fail(response, doing)
        body = self._json(response, doing)
        errors = body.get("errors") if isinstance(body, dict) else None
        if errors:
            messages = [
                str(error.get("message", error)) if isinstance(error, dict) else str(error)
                for error in errors
            ]
            if any("permission" in message.lower() for message in messages):
                raise self._not_admin()
            raise PopulateError(f"GraphQL refused {doing}: {_one_line('; '.join(messages))}")
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            raise PopulateError(f"{self.base_url}{GRAPHQL_PATH} gave no data while {doing}")
        return body["data"]


# ----------------------------------------------------------------------- backends


@dataclass
class ExistingMovie:
    id: int
    has_image: bool


class Backend(Protocol):
    """How the catalogue is read and written: over REST or over GraphQL."""

    label: str

    def genres(self) -> dict[str, int]: ...
    def actors(self) -> dict[str, int]: ...
    def movies(self) -> dict[str, ExistingMovie]: ...
    def create_genre(self, name: str) -> int: ...
    def create_actor(self, name: str) -> int: ...
    def create_movie(
        self, spec: MovieSpec, genre_ids: list[int], actor_ids: list[int], poster: bytes | None
    ) -> int: ...
    def attach_poster(self, movie_id: int, spec: MovieSpec, poster: bytes) -> None: ...


def _by_key(items: Iterable[dict[str, Any]], name_field: str) -> dict[str, Any]:
    """Index items by matching key; with duplicates on the site, the oldest (lowest id) wins."""
    found: dict[str, Any] = {}
    for item in sorted(items, key=lambda item: int(item["id"]), reverse=True):
        found[_key(item[name_field])] = item
    return found


class RestBackend:
    """Reads the paginated lists and writes with POST; a poster rides along in multipart."""

    label = "REST"

    def __init__(self, api: Api) -> None:
        self.api = api

    def genres(self) -> dict[str, int]:
        items = self.api.list_all(GENRES_PATH, "listing the genres")
        return {key: int(item["id"]) for key, item in _by_key(items, "name").items()}

    def actors(self) -> dict[str, int]:
        items = self.api.list_all(ACTORS_PATH, "listing the actors")
        return {key: int(item["id"]) for key, item in _by_key(items, "name").items()}

    def movies(self) -> dict[str, ExistingMovie]:
        items = self.api.list_all(MOVIES_PATH, "listing the movies")
        return {
            key: ExistingMovie(int(item["id"]), bool(item.get("image")))
            for key, item in _by_key(items, "title").items()
        }

    def create_genre(self, name: str) -> int:
        return int(
            self.api.post(GENRES_PATH, f"creating genre '{name}'", json={"name": name})["id"]
        )

    def create_actor(self, name: str) -> int:
        return int(
            self.api.post(ACTORS_PATH, f"creating actor '{name}'", json={"name": name})["id"]
        )

    def create_movie(
        self, spec: MovieSpec, genre_ids: list[int], actor_ids: list[int], poster: bytes | None
    ) -> int:
        fields: list[tuple[str, str]] = [
            ("title", spec.title),
            ("plot_summary", spec.plot_summary),
            ("rating", spec.rating),
            *(("genres", str(genre_id)) for genre_id in genre_ids),
            *(("actors", str(actor_id)) for actor_id in actor_ids),
        ]
        files = {"image": (poster_filename(spec.title), poster, "image/png")} if poster else None
        # requests only sends multipart when there are files; without a poster, JSON.
        if files:
            movie = self.api.post(
                MOVIES_PATH, f"creating movie '{spec.title}'", data=fields, files=files
            )
        else:
            movie = self.api.post(
                MOVIES_PATH,
                f"creating movie '{spec.title}'",
                json={
                    "title": spec.title,
                    "plot_summary": spec.plot_summary,
                    "rating": spec.rating,
                    "genres": genre_ids,
                    "actors": actor_ids,
                },
            )
        return int(movie["id"])

    def attach_poster(self, movie_id: int, spec: MovieSpec, poster: bytes) -> None:
        self.api.patch(
            f"{MOVIES_PATH}{movie_id}/",
            f"uploading the poster of '{spec.title}'",
            files={"image": (poster_filename(spec.title), poster, "image/png")},
        )


ALL_GENRES = "query AllGenres { allGenres { id name } }"
ALL_ACTORS = "query AllActors { allActors { id name } }"
ALL_MOVIES = """
query AllMovies($limit: Int!, $offset: Int!) {
  allMovies(limit: $limit, offset: $offset) { id title imageUrl }
}
"""
CREATE_GENRE = """
mutation CreateGenre($name: String!) { createGenre(name: $name) { genre { id name } } }
"""
CREATE_ACTOR = """
mutation CreateActor($name: String!) { createActor(name: $name) { actor { id name } } }
"""
CREATE_MOVIE = """
mutation CreateMovie($input: MovieInput!) {
  createMovie(input: $input) { movie { id title } }
}
"""


class GraphQLBackend:
    """Reads and writes with the GraphQL queries and mutations.

    GraphQL has no file upload in this API, so a poster follows the mutation as a
    REST multipart PATCH of the new movie (the same admin token works for both).
    """

    label = "GraphQL"

    def __init__(self, api: Api) -> None:
        self.api = api
        self.rest = RestBackend(api)

    @staticmethod
    def _payload(data: dict[str, Any], mutation: str, node: str, doing: str) -> dict[str, Any]:
        payload = data.get(mutation) or {}
        item = payload.get(node) if isinstance(payload, dict) else None
        if not isinstance(item, dict) or "id" not in item:
            errors = payload.get("errors") if isinstance(payload, dict) else None
            raise PopulateError(f"GraphQL refused {doing}: {_one_line(str(errors or payload))}")
        return item

    def genres(self) -> dict[str, int]:
        items = self.api.graphql(ALL_GENRES, {}, "listing the genres")["allGenres"]
        return {key: int(item["id"]) for key, item in _by_key(items, "name").items()}

    def actors(self) -> dict[str, int]:
        items = self.api.graphql(ALL_ACTORS, {}, "listing the actors")["allActors"]
        return {key: int(item["id"]) for key, item in _by_key(items, "name").items()}

    def movies(self) -> dict[str, ExistingMovie]:
        items: list[dict[str, Any]] = []
        while True:
            page = self.api.graphql(
                ALL_MOVIES, {"limit": PAGE_SIZE, "offset": len(items)}, "listing the movies"
            )["allMovies"]
            items.extend(page)
            if len(page) < PAGE_SIZE:
                break
        return {
            key: ExistingMovie(int(item["id"]), bool(item.get("imageUrl")))
            for key, item in _by_key(items, "title").items()
        }

    def create_genre(self, name: str) -> int:
        doing = f"creating genre '{name}'"
        data = self.api.graphql(CREATE_GENRE, {"name": name}, doing)
        return int(self._payload(data, "createGenre", "genre", doing)["id"])

    def create_actor(self, name: str) -> int:
        doing = f"creating actor '{name}'"
        data = self.api.graphql(CREATE_ACTOR, {"name": name}, doing)
        return int(self._payload(data, "createActor", "actor", doing)["id"])

    def create_movie(
        self, spec: MovieSpec, genre_ids: list[int], actor_ids: list[int], poster: bytes | None
    ) -> int:
        doing = f"creating movie '{spec.title}'"
        movie_input = {
            "title": spec.title,
            "plotSummary": spec.plot_summary,
            "rating": float(spec.rating),
            "genreIds": [str(genre_id) for genre_id in genre_ids],
            "actorIds": [str(actor_id) for actor_id in actor_ids],
        }
        data = self.api.graphql(CREATE_MOVIE, {"input": movie_input}, doing)
        movie_id = int(self._payload(data, "createMovie", "movie", doing)["id"])
        if poster:
            self.attach_poster(movie_id, spec, poster)
        return movie_id

    def attach_poster(self, movie_id: int, spec: MovieSpec, poster: bytes) -> None:
        self.rest.attach_poster(movie_id, spec, poster)


# -------------------------------------------------------------------------- run


@dataclass
class Tally:
    created: int = 0
    existing: int = 0


@dataclass
class Summary:
    genres: Tally = field(default_factory=Tally)
    actors: Tally = field(default_factory=Tally)
    movies: Tally = field(default_factory=Tally)
    posters: int = 0


def populate(
    backend: Backend,
    movies: Sequence[MovieSpec],
    *,
    posters: bool = True,
    progress: bool | None = None,
) -> Summary:
    """Make sure every genre, actor and movie exists; create only what is missing.

    A movie already there (same title) is left as it is, except that it gets its
    poster if it has none (say, after a run without posters or one cut short).
    """
    summary = Summary()
    with tqdm(
        total=len(GENRES) + len(ACTORS) + len(movies),
        desc="reading the catalogue",
        unit="item",
        file=sys.stderr,
        disable=None if progress is None else not progress,
        dynamic_ncols=True,
    ) as bar:
        genre_ids = backend.genres()
        actor_ids = backend.actors()
        movie_ids = backend.movies()

        bar.set_description("genres")
        for name in GENRES:
            if _key(name) in genre_ids:
                summary.genres.existing += 1
            else:
                genre_ids[_key(name)] = backend.create_genre(name)
                summary.genres.created += 1
            bar.update()

        bar.set_description("actors")
        for name in ACTORS:
            if _key(name) in actor_ids:
                summary.actors.existing += 1
            else:
                actor_ids[_key(name)] = backend.create_actor(name)
                summary.actors.created += 1
            bar.update()

        bar.set_description("movies")
        for spec in movies:
            existing = movie_ids.get(_key(spec.title))
            if existing is not None:
                summary.movies.existing += 1
                if posters and not existing.has_image:
                    backend.attach_poster(existing.id, spec, draw_poster(spec))
                    summary.posters += 1
            else:
                poster = draw_poster(spec) if posters else None
                movie_id = backend.create_movie(
                    spec,
                    [genre_ids[_key(name)] for name in spec.genres],
                    [actor_ids[_key(name)] for name in spec.actors],
                    poster,
                )
                movie_ids[_key(spec.title)] = ExistingMovie(movie_id, bool(poster))
                summary.movies.created += 1
                summary.posters += bool(poster)
            bar.update()
        bar.set_description("done")
    return summary


def _base_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a site address: give one like http://127.0.0.1:8000"
        )
    return value.rstrip("/")


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


class _Parser(argparse.ArgumentParser):
    """Command-line mistakes are one line too (exit code 2), pointing at --help."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    env = os.environ
    parser = _Parser(
        prog="populate_movies.py",
        description="Fill a running movie_api site with demo genres, actors and movies "
        "through its API. Running it again adds only what is missing.",
        epilog="Prefer POPULATE_PASSWORD to --password: a command line is visible to "
        "other users of the machine.",
    )
    parser.add_argument(
        "--url",
        type=_base_url,
        default=env.get("POPULATE_URL") or DEFAULT_URL,
        help="the site's address (env POPULATE_URL; default %(default)s)",
    )
    parser.add_argument(
        "--username",
        default=env.get("POPULATE_USERNAME"),
        help="an admin (staff) account (env POPULATE_USERNAME)",
    )
    parser.add_argument(
        "--password",
        default=env.get("POPULATE_PASSWORD"),
        help="its password (env POPULATE_PASSWORD; asked for when missing on a terminal)",
    )
    parser.add_argument(
        "--via",
        choices=("rest", "graphql"),
        default="rest",
        help="create through the REST endpoints (default) or the GraphQL mutations",
    )
    parser.add_argument(
        "--movies",
        type=_count,
        default=DEFAULT_MOVIES,
        metavar="N",
        help="how many movies to generate (default %(default)s)",
    )
    parser.add_argument(
        "--members",
        type=_count,
        default=0,
        metavar="N",
        help="also make N demo members with ratings, reviews, lists and diaries "
        "(accounts made through /admin/, the rest through the API; default 0)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="N",
        help="random seed: the same seed gives the same movies (default %(default)s)",
    )
    parser.add_argument(
        "--posters",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="draw and upload a poster for each movie (default: yes)",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr (default: when stderr is a terminal)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="how long to wait for each answer (default %(default)s)",
    )
    return parser


def _print_summary(summary: Summary, args: argparse.Namespace, label: str, seconds: float) -> None:
    rows = [
        ("genres", summary.genres),
        ("actors", summary.actors),
        ("movies", summary.movies),
    ]
    print(f"{args.url} filled via {label} in {seconds:.1f}s (seed {args.seed}):")
    for name, tally in rows:
        print(
            f"  {name:<7} {tally.created + tally.existing:>4}"
            f"  ({tally.created} created, {tally.existing} already there)"
        )
    posters = f"{summary.posters} uploaded" if args.posters else "skipped (--no-posters)"
    print(f"  posters {posters}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.username:
        parser.error("give --username (or set POPULATE_USERNAME)")
    if args.password is None:
        if not sys.stdin.isatty():
            parser.error("give --password (or set POPULATE_PASSWORD)")
        args.password = getpass.getpass(f"Password for {args.username} at {args.url}: ")

    started = time.monotonic()
    api = Api(args.url, username=args.username, password=args.password, timeout=args.timeout)
    backend: Backend = GraphQLBackend(api) if args.via == "graphql" else RestBackend(api)
    try:
        api.login()
        api.check_admin()
        summary = populate(
            backend,
            generate_movies(args.movies, args.seed),
            posters=args.posters,
            progress=args.progress,
        )
        members = _populate_members(api, args)
    except PopulateError as error:
        print(f"{PROG}: error: {_one_line(str(error), 500)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; run it again to finish the rest", file=sys.stderr)
        return 130
    finally:
        api.session.close()
    _print_summary(summary, args, backend.label, time.monotonic() - started)
    if members is not None:
        print(
            f"  members {members.created} created, {members.existing} already there; "
            f"{members.ratings} ratings set, {members.diary_added} diary entries added"
        )
        for note in members.notes:
            print(f"  note: {note}")
    return 0


def _populate_members(api: Api, args: argparse.Namespace):
    """``--members N`` (see ``populate/members.py``); ``None`` when not asked for."""
    if not args.members:
        return None
    from populate.members import MembersError, populate_members

    movie_ids = [movie["id"] for movie in api.list_all(MOVIES_PATH, "listing the movies")]
    try:
        return populate_members(
            base_url=api.base_url,
            admin_username=args.username,
            admin_password=args.password,
            count=args.members,
            movie_ids=movie_ids,
            seed=args.seed,
            timeout=args.timeout,
        )
    except MembersError as error:
        raise PopulateError(str(error)) from None


if __name__ == "__main__":
    sys.exit(main())
