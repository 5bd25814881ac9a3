"""The site's REST and GraphQL endpoints over HTTP, and the one-line errors they give."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import requests

PROG = "populate_movies"
DEFAULT_TIMEOUT = 30.0
PAGE_SIZE = 100  # the API's maximum page size

LOGIN_PATH = "/api/users/login/"
GENRES_PATH = "/api/movies/genres/"
ACTORS_PATH = "/api/movies/actors/"
MOVIES_PATH = "/api/movies/"
GRAPHQL_PATH = "/graphql/"


class PopulateError(Exception):
    """A failure the user can act on: ``main`` prints it as one line and exits with 1."""


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


def one_line(text: str, limit: int = 300) -> str:
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
        return PopulateError(f"the site refused {doing} (HTTP {status}): {one_line(detail)}")

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
            raise PopulateError(f"GraphQL refused {doing}: {one_line('; '.join(messages))}")
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            raise PopulateError(f"{self.base_url}{GRAPHQL_PATH} gave no data while {doing}")
        return body["data"]
