"""``populate_movies.py --source tmdb``: real movies from TMDB API v3, written through
the site's REST API.

Reads the image configuration, the genre list, ``/movie/popular`` page by page and
each movie with ``append_to_response=credits``; maps it onto the catalogue (overview
-> plot, ``vote_average / 2`` rounded to one place -> rating, release date, runtime,
genres by name, the top-billed cast with characters and order, directors from the
crew) and creates what is missing. Movies and people are matched by ``tmdb_id``, so a
second run adds nothing. Posters are downloaded and uploaded like any poster, so the
site checks them as it checks an upload. A 429 is waited out (``Retry-After``).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlsplit

import requests
from tqdm import tqdm

from .client import ACTORS_PATH, GENRES_PATH, MOVIES_PATH, Api, PopulateError, _reason
from .data import match_key

DEFAULT_API_URL = "https://api.themoviedb.org/3"
CAST_LINES = 8  # the top-billed cast members kept per movie
POSTER_WIDTH = "w500"  # the poster size asked for, when the configuration offers it
MAX_RETRY_AFTER = 60.0  # seconds: a longer wait is an error, not a pause
MAX_RETRIES = 5
MISSING_KEY = (
    "--source tmdb needs a TMDB key: set TMDB_API_KEY (an API v3 key) or TMDB_READ_TOKEN "
    "(an API read access token); see https://www.themoviedb.org/settings/api"
)


@dataclass
class TmdbSummary:
    genres_created: int = 0
    people_created: int = 0
    movies_created: int = 0
    movies_existing: int = 0
    posters: int = 0
    posters_missing: list[str] = field(default_factory=list)
    posters_refused: list[str] = field(default_factory=list)


class Tmdb:
    """TMDB API v3 over ``requests``: a key (``api_key`` parameter) or a bearer token."""

    def __init__(
        self,
        *,
        api_key: str | None,
        read_token: str | None,
        api_url: str = DEFAULT_API_URL,
        image_url: str | None = None,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not (api_key or read_token):
            raise PopulateError(MISSING_KEY)
        self.api_url = api_url.rstrip("/")
        self.image_url = image_url.rstrip("/") if image_url else None
        self.timeout = timeout
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        self.images = requests.Session()  # the key and token go to the API only
        self.params: dict[str, str] = {}
        if read_token:
            self.session.headers["Authorization"] = f"Bearer {read_token}"
        else:
            self.params["api_key"] = api_key or ""
        self.poster_size = "original"

    @classmethod
    def from_environment(cls, timeout: float = 30.0) -> Tmdb:
        env = os.environ
        return cls(
            api_key=env.get("TMDB_API_KEY") or None,
            read_token=env.get("TMDB_READ_TOKEN") or None,
            api_url=env.get("TMDB_API_URL") or DEFAULT_API_URL,
            image_url=env.get("TMDB_IMAGE_URL") or None,
            timeout=timeout,
        )

    def _request(
        self,
        url: str,
        doing: str,
        params: dict[str, Any] | None = None,
        session: requests.Session | None = None,
    ) -> requests.Response:
        for _attempt in range(MAX_RETRIES + 1):
            try:
                response = (session or self.session).get(url, params=params, timeout=self.timeout)
            except requests.RequestException as error:
                raise PopulateError(f"cannot reach TMDB while {doing}: {_reason(error)}") from None
            if response.status_code != 429:
                return response
            wait = _retry_after(response.headers.get("Retry-After"))
            if wait > MAX_RETRY_AFTER:
                break
            self.sleep(wait)
        raise PopulateError(f"TMDB keeps throttling us (HTTP 429) while {doing}; try later")

    def get(self, path: str, doing: str, **params: Any) -> dict[str, Any]:
        response = self._request(self.api_url + path, doing, {**self.params, **params})
        if response.status_code == 401:
            raise PopulateError(
                "TMDB refused the key (HTTP 401): check TMDB_API_KEY or TMDB_READ_TOKEN"
            )
        if response.status_code != 200:
            raise PopulateError(f"TMDB answered HTTP {response.status_code} while {doing}")
        try:
            data = response.json()
        except ValueError:
            raise PopulateError(f"TMDB gave no JSON while {doing}") from None
        if not isinstance(data, dict):
            raise PopulateError(f"TMDB gave an unexpected answer while {doing}")
        return data

    def configure(self) -> None:
        """Where posters are: ``images.secure_base_url`` and a size (TMDB_IMAGE_URL wins)."""
        images = self.get("/configuration", "reading the image configuration").get("images", {})
        sizes = images.get("poster_sizes") or []
        self.poster_size = POSTER_WIDTH if POSTER_WIDTH in sizes else "original"
        if not self.image_url:
            base = images.get("secure_base_url") or images.get("base_url")
            if not base:
                raise PopulateError("TMDB's configuration names no image address")
            self.image_url = base.rstrip("/")

    def genres(self) -> list[dict[str, Any]]:
        return self.get("/genre/movie/list", "reading the genre list").get("genres", [])

    def popular_ids(self, count: int) -> list[int]:
        ids: list[int] = []
        page = 1
        while len(ids) < count:
            data = self.get("/movie/popular", "listing popular movies", page=page)
            for movie in data.get("results", []):
                if movie.get("id") not in ids:
                    ids.append(int(movie["id"]))
            if page >= int(data.get("total_pages") or 1) or not data.get("results"):
                break
            page += 1
        return ids[:count]

    def movie(self, tmdb_id: int) -> dict[str, Any]:
        return self.get(
            f"/movie/{tmdb_id}", f"reading movie {tmdb_id}", append_to_response="credits"
        )

    def poster(self, poster_path: str | None) -> bytes | None:
        """The poster's bytes, or None when TMDB has none (no path, or not found)."""
        if not poster_path:
            return None
        url = f"{self.image_url}/{self.poster_size}/{poster_path.lstrip('/')}"
        response = self._request(url, f"downloading the poster {poster_path}", session=self.images)
        if response.status_code != 200 or not response.content:
            return None
        return response.content


def _retry_after(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value is not None else 1.0
    except ValueError:
        return 1.0  # an HTTP date: wait a moment and ask again


def rating_of(vote_average: Any) -> str:
    """TMDB's 0-10 average as our 0-5 rating, one decimal (7.85 -> "3.9")."""
    try:
        value = Decimal(str(vote_average or 0)) / 2
    except ArithmeticError:
        value = Decimal(0)
    value = min(Decimal(5), max(Decimal(0), value))
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def movie_fields(movie: dict[str, Any]) -> dict[str, Any]:
    """A TMDB movie's own fields as the REST API takes them (no relations)."""
    runtime = movie.get("runtime")
    return {
        "title": (movie.get("title") or movie.get("original_title") or "").strip()[:200],
        "plot_summary": movie.get("overview") or "",
        "rating": rating_of(movie.get("vote_average")),
        "release_date": movie.get("release_date") or None,
        "runtime": runtime if isinstance(runtime, int) and 1 <= runtime <= 1000 else None,
        "tmdb_id": int(movie["id"]),
    }


def billed_cast(movie: dict[str, Any]) -> list[dict[str, Any]]:
    """The top-billed cast: TMDB's ``order``, each person once."""
    cast = sorted(
        (line for line in (movie.get("credits") or {}).get("cast", []) if line.get("id")),
        key=lambda line: line.get("order", 0),
    )
    seen: set[int] = set()
    billed = []
    for line in cast:
        if line["id"] not in seen:
            seen.add(line["id"])
            billed.append(line)
    return billed[:CAST_LINES]


def directors_of(movie: dict[str, Any]) -> list[dict[str, Any]]:
    crew = (movie.get("credits") or {}).get("crew", [])
    found: dict[int, dict[str, Any]] = {}
    for member in crew:
        if member.get("job") == "Director" and member.get("id"):
            found.setdefault(member["id"], member)
    return list(found.values())


class SiteCatalogue:
    """The site's side of an import, over REST: genres by name, people and movies by
    ``tmdb_id`` (``?tmdb_id=`` on the lists; the id is write-only in the answers)."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.genre_ids: dict[str, int] = {}
        self.person_ids: dict[int, int] = {}

    def load_genres(self) -> None:
        for item in self.api.list_all(GENRES_PATH, "listing the genres"):
            self.genre_ids.setdefault(match_key(item["name"]), int(item["id"]))

    def genre(self, name: str, summary: TmdbSummary) -> int:
        key = match_key(name)
        if key not in self.genre_ids:
            created = self.api.post(GENRES_PATH, f"creating genre '{name}'", json={"name": name})
            self.genre_ids[key] = int(created["id"])
            summary.genres_created += 1
        return self.genre_ids[key]

    def _find(self, path: str, tmdb_id: int, doing: str) -> dict[str, Any] | None:
        response = self.api._send("GET", path, doing=doing, params={"tmdb_id": tmdb_id})
        data = self.api._expect(response, doing)
        results = data.get("results") if isinstance(data, dict) else None
        return results[0] if results else None

    def person(self, credit: dict[str, Any], summary: TmdbSummary) -> int:
        tmdb_id = int(credit["id"])
        if tmdb_id not in self.person_ids:
            name = (credit.get("name") or "").strip()[:200] or f"TMDB person {tmdb_id}"
            found = self._find(ACTORS_PATH, tmdb_id, f"looking up '{name}'")
            if found is None:
                found = self.api.post(
                    ACTORS_PATH,
                    f"creating person '{name}'",
                    json={"name": name, "tmdb_id": tmdb_id},
                )
                summary.people_created += 1
            self.person_ids[tmdb_id] = int(found["id"])
        return self.person_ids[tmdb_id]

    def movie(self, tmdb_id: int) -> dict[str, Any] | None:
        return self._find(MOVIES_PATH, tmdb_id, f"looking up TMDB movie {tmdb_id}")


def import_from_tmdb(
    api: Api, tmdb: Tmdb, count: int, *, posters: bool = True, progress: bool | None = None
) -> TmdbSummary:
    """Make sure the ``count`` most popular TMDB movies are in the catalogue."""
    summary = TmdbSummary()
    site = SiteCatalogue(api)
    tmdb.configure()
    tmdb_genres = {int(genre["id"]): genre["name"] for genre in tmdb.genres()}
    site.load_genres()
    ids = tmdb.popular_ids(count)
    with tqdm(
        total=len(ids),
        desc="TMDB movies",
        unit="movie",
        file=sys.stderr,
        disable=None if progress is None else not progress,
        dynamic_ncols=True,
    ) as bar:
        for tmdb_id in ids:
            existing = site.movie(tmdb_id)
            if existing is not None:
                summary.movies_existing += 1
                if posters and not existing.get("image"):
                    _attach_poster(api, tmdb, int(existing["id"]), tmdb.movie(tmdb_id), summary)
                bar.update()
                continue
            movie = tmdb.movie(tmdb_id)
            fields = movie_fields(movie)
            genre_names = [
                genre.get("name") or tmdb_genres.get(genre.get("id"), "")
                for genre in movie.get("genres", [])
            ]
            fields["genres"] = [site.genre(name, summary) for name in genre_names if name]
            fields["cast"] = [
                {
                    "actor": site.person(line, summary),
                    "character": (line.get("character") or "")[:200],
                    "order": order,
                }
                for order, line in enumerate(billed_cast(movie))
            ]
            fields["directors"] = [site.person(crew, summary) for crew in directors_of(movie)]
            created = api.post(MOVIES_PATH, f"creating movie '{fields['title']}'", json=fields)
            summary.movies_created += 1
            if posters:
                _attach_poster(api, tmdb, int(created["id"]), movie, summary)
            bar.update()
    return summary


def _attach_poster(
    api: Api, tmdb: Tmdb, movie_id: int, movie: dict[str, Any], summary: TmdbSummary
) -> None:
    poster = tmdb.poster(movie.get("poster_path"))
    title = movie.get("title") or str(movie.get("id"))
    if poster is None:
        summary.posters_missing.append(title)
        return
    name = urlsplit(movie.get("poster_path") or "").path.rsplit("/", 1)[-1] or "poster.jpg"
    # the same multipart upload as any poster: the site checks type, size and image
    doing = f"uploading the poster of '{title}'"
    response = api._send(
        "PATCH",
        f"{MOVIES_PATH}{movie_id}/",
        doing=doing,
        files={"image": (name, poster, "application/octet-stream")},
    )
    if response.status_code == 400:  # not an image the site accepts: keep the movie
        summary.posters_refused.append(title)
        return
    api._expect(response, doing)
    summary.posters += 1
