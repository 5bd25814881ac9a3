"""Catalogue reads: cached whole for anonymous callers, with ETag, Last-Modified and 304s.

Mark a view with :func:`catalogue_read` (a DRF viewset: the class attribute
``catalogue_read = "get"``) and ``CatalogueCacheMiddleware`` (last in ``MIDDLEWARE``)
does the rest:

- **Who is anonymous**: no ``Authorization`` header and no cookie but the CSRF one.
  Nothing else is looked at (no session read, no token check), so a Bearer or session
  caller (valid or not) never reads or writes an anonymous entry.
- **Key**: the whole request (method, scheme, host, path, query string, ``Accept``, every
  ``HX-*`` header, and for a GraphQL POST the body) plus ``core.catalogue_version()``.
  Every catalogue write bumps the version after it commits, so a read after a write
  never finds the old entry: no entry is ever deleted, they are simply never asked for
  again and expire after ``HTTP_CACHE_TIMEOUT`` seconds.
- **What is stored**: ``200`` answers to GET/HEAD, and to anonymous GraphQL POSTs whose
  operation is a query (never a mutation), that set no cookie but CSRF's. A page's CSRF
  token is stored as a placeholder, and each hit gets a fresh token and its own cookie.
- **HTTP**: anonymous GET/HEAD answers carry ``ETag`` (version + request) and
  ``Last-Modified`` (when this version was first served), ``Cache-Control: public,
  max-age=HTTP_CACHE_MAX_AGE``; ``If-None-Match`` / ``If-Modified-Since`` get ``304``
  without running the view. Anyone else gets ``Cache-Control: private, max-age=0`` and an
  ETag of the body less its CSRF token (their marks are not in the catalogue version),
  with ``304`` on a match. Every answer varies on ``Authorization``, ``Cookie`` and the htmx headers.

``HTTP_CACHE=0`` turns the stored entries off (the headers and 304s stay).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from core.catalogue_version import catalogue_version

#: The request headers every catalogue read varies on.
VARY = ("Authorization", "Cookie", "HX-Request", "HX-Boosted", "HX-History-Restore-Request")
_SAFE = ("GET", "HEAD")
_CSRF_PLACEHOLDER = b"@@catalogue-csrf-token@@"
_TOKEN_RE = re.compile(rb"\b[A-Za-z0-9]{64}\b")


def catalogue_read(view: Callable | None = None, *, graphql: bool = False):
    """Mark a view as a catalogue read (``graphql=True``: anonymous query POSTs too)."""

    def mark(func: Callable) -> Callable:
        func.catalogue_read = "graphql" if graphql else "get"
        return func

    return mark(view) if view is not None else mark


def _kind(view_func) -> str | None:
    for holder in (
        view_func,
        getattr(view_func, "cls", None),
        getattr(view_func, "view_class", None),
    ):
        kind = getattr(holder, "catalogue_read", None)
        if kind:
            return kind
    return None


def is_anonymous(request: HttpRequest) -> bool:
    """No credentials of any kind: no Authorization header, no cookie but CSRF's."""
    if request.META.get("HTTP_AUTHORIZATION"):
        return False
    return all(name == settings.CSRF_COOKIE_NAME for name in request.COOKIES)


def request_key(request: HttpRequest) -> str:
    """What makes two requests the same request, as a digest."""
    meta = request.META
    parts = [
        request.method,
        request.build_absolute_uri(),
        meta.get("HTTP_ACCEPT", ""),
        *sorted(f"{name}={value}" for name, value in meta.items() if name.startswith("HTTP_HX_")),
    ]
    if request.method not in _SAFE:
        parts += [meta.get("CONTENT_TYPE", ""), hashlib.sha256(request.body).hexdigest()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _modified_key(version: int) -> str:
    return f"catalogue:modified:{version}"


@dataclass
class _Read:
    kind: str
    anonymous: bool
    version: int = 0
    entry_key: str = ""
    etag: str = ""
    last_modified: int = 0
    hit: bool = False


def _graphql_is_query(request: HttpRequest) -> bool:
    """The POSTed GraphQL document's chosen operation is a query (not a mutation)."""
    from graphql import OperationType, parse
    from graphql.error import GraphQLError

    try:
        data = json.loads(request.body)
        document = parse(data["query"])
    except (ValueError, TypeError, KeyError, GraphQLError):
        return False
    if not isinstance(data, dict):
        return False
    name = data.get("operationName")
    operations = [
        node
        for node in document.definitions
        if getattr(node, "operation", None) is not None
        and (name is None or (node.name and node.name.value == name))
    ]
    return len(operations) == 1 and operations[0].operation == OperationType.QUERY


def _store_body(request: HttpRequest, response: HttpResponse) -> bytes:
    """The body with this request's CSRF token (if the page holds one) as a placeholder."""
    content = response.content
    secret = request.META.get("CSRF_COOKIE")
    if not secret or not response.get("Content-Type", "").startswith("text/html"):
        return content

    def swap(match: re.Match) -> bytes:
        token = match.group(0)
        return _CSRF_PLACEHOLDER if _unmask_cipher_token(token.decode()) == secret else token

    return _TOKEN_RE.sub(swap, content)


class CatalogueCacheMiddleware:
    """See the module's docstring. Goes last in ``MIDDLEWARE`` (after CSRF and htmx)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        read: _Read | None = getattr(request, "_catalogue_read", None)
        if read is None:
            return response
        return self._finish(request, response, read)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        kind = _kind(view_func)
        if kind is None:
            return None
        if request.method not in _SAFE and not (kind == "graphql" and request.method == "POST"):
            return None
        read = _Read(kind=kind, anonymous=is_anonymous(request))
        request._catalogue_read = read
        if not read.anonymous:
            return None

        read.version = catalogue_version()
        digest = hashlib.sha256(f"{read.version}:{request_key(request)}".encode()).hexdigest()
        read.entry_key = f"catalogue:http:{digest}"
        modified_key = _modified_key(read.version)
        wanted = [modified_key]
        if settings.HTTP_CACHE:
            wanted.append(read.entry_key)
        found = cache.get_many(wanted)
        read.last_modified = found.get(modified_key) or self._first_served(read.version)

        if request.method in _SAFE:
            read.etag = f'"{digest[:40]}"'
            not_modified = get_conditional_response(
                request, etag=read.etag, last_modified=read.last_modified
            )
            if not_modified is not None:
                read.hit = True
                return not_modified

        entry = found.get(read.entry_key)
        if entry is None:
            return None
        status, headers, content, sets_csrf_cookie = entry
        if sets_csrf_cookie:  # the CSRF middleware sets this visitor's own cookie
            token = get_token(request)
            content = content.replace(_CSRF_PLACEHOLDER, token.encode())
        read.hit = True
        return HttpResponse(content, status=status, headers=headers)

    @staticmethod
    def _first_served(version: int) -> int:
        """When ``version`` was first served (whole seconds, rounded up, and always after
        the version before it, so If-Modified-Since never mistakes one for the other)."""
        previous = cache.get(_modified_key(version - 1)) or 0
        cache.add(
            _modified_key(version),
            max(math.ceil(time.time()), previous + 1),
            timeout=settings.HTTP_CACHE_TIMEOUT,
        )
        return cache.get(_modified_key(version))

    def _finish(self, request: HttpRequest, response: HttpResponse, read: _Read) -> HttpResponse:
        patch_vary_headers(response, VARY)
        if not read.anonymous:
            patch_cache_control(response, private=True, max_age=0)
            if request.method in _SAFE and response.status_code == 200 and not response.streaming:
                # The body's digest, with this visitor's CSRF token (masked afresh on
                # every request) left out, so an unchanged page matches.
                digest = hashlib.md5(_store_body(request, response), usedforsecurity=False)
                response["ETag"] = f'"{digest.hexdigest()}"'
                return get_conditional_response(request, etag=response["ETag"], response=response)
            return response

        if request.method in _SAFE and response.status_code in (200, 304):
            response["ETag"] = read.etag
            response["Last-Modified"] = http_date(read.last_modified)
            patch_cache_control(response, public=True, max_age=settings.HTTP_CACHE_MAX_AGE)
        if (
            settings.HTTP_CACHE
            and not read.hit
            and response.status_code == 200
            and not response.streaming
            and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
            and not getattr(getattr(request, "session", None), "modified", False)
            and (read.kind != "graphql" or request.method in _SAFE or _graphql_is_query(request))
        ):
            headers = {
                name: value
                for name, value in response.items()
                if name not in ("ETag", "Last-Modified", "Cache-Control")
            }
            sets_csrf_cookie = bool(response.cookies) or bool(
                request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            )
            body = _store_body(request, response) if sets_csrf_cookie else response.content
            entry = (response.status_code, headers, body, sets_csrf_cookie)
            cache.set(read.entry_key, entry, timeout=settings.HTTP_CACHE_TIMEOUT)
        return response
