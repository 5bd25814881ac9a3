"""The support desk's view of the movie catalogue: GraphQL only.

The support app talks to the catalogue as a separate service would, through the
documents below. Two transports run them:

* ``HttpTransport`` POSTs them to ``settings.SUPPORT_GRAPHQL_URL`` (when it is
  set), with ``settings.SUPPORT_GRAPHQL_TIMEOUT`` seconds to answer;
* ``LocalTransport`` runs them in-process against the root schema (``GRAPHENE["SCHEMA"]``),
  behind the same limits as ``/graphql/`` (``core.graphql.run_document``).

Whatever goes wrong on the way (a timeout, a refused connection, a non-200
answer, a body that is not JSON, GraphQL errors, an unexpected shape) becomes a
``CatalogueUnavailable``: pages show its message and the API answers ``503``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from graphene_django.settings import graphene_settings

from core.graphql import run_document

logger = logging.getLogger(__name__)

# The GraphQL documents: the whole of what the support desk asks the catalogue.
ALL_MOVIES_QUERY = """
query SupportAllMovies($search: String, $limit: Int) {
  allMovies(search: $search, orderBy: "title", limit: $limit) {
    id
    title
    rating
  }
}
"""

SUGGEST_QUERY = """
query SupportSuggestMovies($q: String!, $limit: Int) {
  searchSuggestions(q: $q, limit: $limit) {
    id
    title
    rating
  }
}
"""

MOVIE_QUERY = """
query SupportMovie($id: ID!) {
  movie(id: $id) {
    id
    title
    plotSummary
    rating
    genres { id name }
    actors { id name }
  }
}
"""

ALL_GENRES_QUERY = """
query SupportAllGenres($name: String) {
  allGenres(name: $name) {
    id
    name
  }
}
"""

ALL_ACTORS_QUERY = """
query SupportAllActors($name: String) {
  allActors(name: $name) {
    id
    name
  }
}
"""

UNAVAILABLE_MESSAGE = "The movie catalogue is not answering right now. Please try again shortly."
# The catalogue caps `limit` at 100; the picker needs far fewer.
MAX_LIMIT = 100
# searchSuggestions serves at most 20.
SUGGEST_MAX_LIMIT = 20


class CatalogueUnavailable(Exception):
    """The catalogue could not answer; ``str(exc)`` is safe to show to users."""

    def __init__(self, message: str = UNAVAILABLE_MESSAGE, *, reason: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class CatalogueItem:
    """A genre or an actor, as the catalogue names it."""

    id: int
    name: str


@dataclass(frozen=True)
class CatalogueMovie:
    """A movie as the catalogue describes it (``plot_summary`` and lists only from ``movie``)."""

    id: int
    title: str
    rating: float | None = None
    plot_summary: str = ""
    genres: tuple[CatalogueItem, ...] = field(default_factory=tuple)
    actors: tuple[CatalogueItem, ...] = field(default_factory=tuple)


class Transport(Protocol):
    """Runs one GraphQL document and returns its ``data``, or raises ``CatalogueUnavailable``."""

    def execute(self, document: str, variables: Mapping[str, Any]) -> dict[str, Any]: ...


def _error_messages(response: requests.Response) -> str:
    """The GraphQL error messages of a refused request, for the log (``""`` if none)."""
    try:
        errors = response.json().get("errors") or []
        messages = "; ".join(str(error.get("message", error)) for error in errors)
        return f": {messages}" if messages else ""
    except (ValueError, AttributeError, TypeError):
        return ""


def _data_or_raise(payload: Any, *, where: str) -> dict[str, Any]:
    """The ``data`` of a GraphQL answer; errors and odd shapes raise ``CatalogueUnavailable``."""
    if not isinstance(payload, Mapping):
        raise CatalogueUnavailable(reason=f"{where}: the answer is not a JSON object")
    errors = payload.get("errors")
    if errors:
        messages = "; ".join(
            str(error.get("message", error)) if isinstance(error, Mapping) else str(error)
            for error in errors
        )
        raise CatalogueUnavailable(reason=f"{where}: GraphQL errors: {messages}")
    data = payload.get("data")
    if not isinstance(data, Mapping):
        raise CatalogueUnavailable(reason=f"{where}: the answer has no data")
    return dict(data)


class HttpTransport:
    """POSTs documents to a GraphQL endpoint over HTTP, as any outside client would."""

    def __init__(self, url: str, *, timeout: float, session: requests.Session | None = None):
        self.url = url
        self.timeout = timeout
        self.session = session

    def execute(self, document: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        try:
            response = (self.session or requests).post(
                self.url,
                json={"query": document, "variables": dict(variables)},
                headers={"Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.Timeout as exc:
            raise CatalogueUnavailable(reason=f"{self.url}: timed out ({exc})") from exc
        except requests.RequestException as exc:
            raise CatalogueUnavailable(reason=f"{self.url}: {exc}") from exc
        if response.status_code != 200:
            raise CatalogueUnavailable(
                reason=f"{self.url}: HTTP {response.status_code}{_error_messages(response)}"
            )
        try:
            payload = response.json()
        except ValueError as exc:
            raise CatalogueUnavailable(reason=f"{self.url}: the answer is not JSON") from exc
        return _data_or_raise(payload, where=self.url)


class LocalTransport:
    """Runs documents against the project's own schema, in this process."""

    def execute(self, document: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        # The root schema as settings name it (GRAPHENE["SCHEMA"]), loaded on first use:
        # the support app does not import the project's configuration package.
        schema = graphene_settings.SCHEMA
        result = run_document(
            schema, document, variables=dict(variables), context_value=self._context()
        )
        if result.errors:
            payload = {"errors": [{"message": str(error)} for error in result.errors]}
        else:
            payload = {"data": result.data}
        return _data_or_raise(payload, where="in-process schema")

    @staticmethod
    def _context() -> HttpRequest:
        """An anonymous request: the support desk reads the catalogue as the public does."""
        request = HttpRequest()
        request.method = "POST"
        request.user = AnonymousUser()
        return request


def _movie(data: Mapping[str, Any]) -> CatalogueMovie:
    rating = data.get("rating")
    return CatalogueMovie(
        id=int(data["id"]),
        title=str(data["title"]),
        rating=float(rating) if rating is not None else None,
        plot_summary=str(data.get("plotSummary") or ""),
        genres=tuple(_item(genre) for genre in data.get("genres") or ()),
        actors=tuple(_item(actor) for actor in data.get("actors") or ()),
    )


def _item(data: Mapping[str, Any]) -> CatalogueItem:
    return CatalogueItem(id=int(data["id"]), name=str(data["name"]))


class CatalogueClient:
    """Reads the catalogue through GraphQL; every method may raise ``CatalogueUnavailable``."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def _run(self, document: str, variables: Mapping[str, Any], key: str) -> Any:
        try:
            data = self.transport.execute(document, variables)
        except CatalogueUnavailable as exc:
            logger.warning("Catalogue unavailable: %s", exc.reason or exc)
            raise
        if key not in data:
            logger.warning("Catalogue answer without %r", key)
            raise CatalogueUnavailable(reason=f"the answer has no {key!r}")
        return data[key]

    def _parse(self, parse, value):
        try:
            return parse(value)
        except (KeyError, TypeError, ValueError) as exc:
            logger.warning("Catalogue answer of an unexpected shape: %r", exc)
            raise CatalogueUnavailable(reason=f"unexpected answer: {exc!r}") from exc

    def all_movies(self, *, search: str | None = None, limit: int = 20) -> list[CatalogueMovie]:
        """``allMovies``: movies whose title or plot contains ``search``, by title."""
        limit = max(1, min(int(limit), MAX_LIMIT))
        variables = {"search": (search or "").strip() or None, "limit": limit}
        movies = self._run(ALL_MOVIES_QUERY, variables, "allMovies")
        return self._parse(lambda rows: [_movie(row) for row in rows], movies)

    def suggest(self, q: str, *, limit: int = 8) -> list[CatalogueMovie]:
        """``searchSuggestions``: titles for a search box as the user types ``q``, best first
        (titles starting with it, then word starts, then typos); ``[]`` under 2 characters."""
        limit = max(1, min(int(limit), SUGGEST_MAX_LIMIT))
        movies = self._run(SUGGEST_QUERY, {"q": q or "", "limit": limit}, "searchSuggestions")
        return self._parse(lambda rows: [_movie(row) for row in rows], movies)

    def movie(self, movie_id: int | str) -> CatalogueMovie | None:
        """``movie(id)``: the movie, or ``None`` if the catalogue has no such movie."""
        try:
            movie_id = int(movie_id)
        except (TypeError, ValueError):
            return None
        if movie_id < 1:
            return None
        movie = self._run(MOVIE_QUERY, {"id": str(movie_id)}, "movie")
        if movie is None:
            return None
        return self._parse(_movie, movie)

    def all_genres(self, *, name: str | None = None) -> list[CatalogueItem]:
        """``allGenres``: genres, optionally those whose name contains ``name``."""
        genres = self._run(ALL_GENRES_QUERY, {"name": name or None}, "allGenres")
        return self._parse(lambda rows: [_item(row) for row in rows], genres)

    def all_actors(self, *, name: str | None = None) -> list[CatalogueItem]:
        """``allActors``: actors, optionally those whose name contains ``name``."""
        actors = self._run(ALL_ACTORS_QUERY, {"name": name or None}, "allActors")
        return self._parse(lambda rows: [_item(row) for row in rows], actors)


def get_catalogue() -> CatalogueClient:
    """The client the settings ask for: HTTP when ``SUPPORT_GRAPHQL_URL`` is set, else in-process."""
    url = settings.SUPPORT_GRAPHQL_URL
    if url:
        return CatalogueClient(HttpTransport(url, timeout=settings.SUPPORT_GRAPHQL_TIMEOUT))
    return CatalogueClient(LocalTransport())
