"""How the catalogue is read and written: over REST, or over GraphQL (posters over REST)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from .client import (
    ACTORS_PATH,
    GENRES_PATH,
    MOVIES_PATH,
    PAGE_SIZE,
    Api,
    PopulateError,
    one_line,
)
from .data import MovieSpec, match_key
from .posters import poster_filename


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
        self,
        spec: MovieSpec,
        genre_ids: list[int],
        person_ids: dict[str, int],
        poster: bytes | None,
    ) -> int: ...
    def attach_poster(self, movie_id: int, spec: MovieSpec, poster: bytes) -> None: ...


def _credits(spec: MovieSpec, person_ids: dict[str, int]) -> dict[str, Any]:
    """The movie's details and credits as the REST API takes them."""
    return {
        "release_date": spec.release_date,
        "runtime": spec.runtime,
        "directors": [person_ids[match_key(name)] for name in spec.directors],
        "cast": [
            {"actor": person_ids[match_key(line.person)], "character": line.character, "order": i}
            for i, line in enumerate(spec.cast)
        ],
    }


def _by_key(items: Iterable[dict[str, Any]], name_field: str) -> dict[str, Any]:
    """Index items by matching key; with duplicates on the site, the oldest (lowest id) wins."""
    found: dict[str, Any] = {}
    for item in sorted(items, key=lambda item: int(item["id"]), reverse=True):
        found[match_key(item[name_field])] = item
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
        self,
        spec: MovieSpec,
        genre_ids: list[int],
        person_ids: dict[str, int],
        poster: bytes | None,
    ) -> int:
        """A JSON POST (``cast`` with characters is JSON only), then the poster as a
        multipart PATCH: a run cut in between leaves a movie without a poster, which
        the next run gives it."""
        movie = self.api.post(
            MOVIES_PATH,
            f"creating movie '{spec.title}'",
            json={
                "title": spec.title,
                "plot_summary": spec.plot_summary,
                "rating": spec.rating,
                "genres": genre_ids,
                **_credits(spec, person_ids),
            },
        )
        movie_id = int(movie["id"])
        if poster:
            self.attach_poster(movie_id, spec, poster)
        return movie_id

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
            raise PopulateError(f"GraphQL refused {doing}: {one_line(str(errors or payload))}")
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
        self,
        spec: MovieSpec,
        genre_ids: list[int],
        person_ids: dict[str, int],
        poster: bytes | None,
    ) -> int:
        doing = f"creating movie '{spec.title}'"
        movie_input = {
            "title": spec.title,
            "plotSummary": spec.plot_summary,
            "rating": float(spec.rating),
            "genreIds": [str(genre_id) for genre_id in genre_ids],
            "releaseDate": spec.release_date,
            "runtime": spec.runtime,
            "directorIds": [str(person_ids[match_key(name)]) for name in spec.directors],
            "cast": [
                {
                    "actorId": str(person_ids[match_key(line.person)]),
                    "character": line.character,
                    "order": order,
                }
                for order, line in enumerate(spec.cast)
            ],
        }
        data = self.api.graphql(CREATE_MOVIE, {"input": movie_input}, doing)
        movie_id = int(self._payload(data, "createMovie", "movie", doing)["id"])
        if poster:
            self.attach_poster(movie_id, spec, poster)
        return movie_id

    def attach_poster(self, movie_id: int, spec: MovieSpec, poster: bytes) -> None:
        self.rest.attach_poster(movie_id, spec, poster)
