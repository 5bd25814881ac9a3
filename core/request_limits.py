"""Limits on what a request body may hold, so no body can cost a 500 or unbounded memory.

- A size cap: ``API_MAX_BODY_BYTES`` (2.5 MB) for JSON and form bodies,
  ``API_MAX_UPLOAD_BYTES`` (the poster limit plus 1 MB) for multipart. The declared
  ``Content-Length`` is checked before anything is read, and the bytes actually read
  are counted too, so a body that lies about its length still stops at the cap.
  Over the cap: ``413 {"detail": "Request body too large: ..."}``.
- JSON nested deeper than ``JSON_MAX_DEPTH`` (or deep enough to exhaust Python's
  recursion limit while parsing) is ``400 {"detail": "JSON parse error - nested ..."}``.
- Too many fields or files (Django's ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` and
  ``DATA_UPLOAD_MAX_NUMBER_FILES``) is a ``400`` saying so, not Django's HTML page.

DRF uses the parsers below (``DEFAULT_PARSER_CLASSES``); ``/graphql/``'s view takes
``GraphQLBodyLimitsMixin``; ``handler400`` is ``bad_request``.
"""

from __future__ import annotations

import codecs
import json
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views import defaults
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.utils import json as drf_json

JSON_MAX_DEPTH = 64
TOO_MANY_FIELDS_MESSAGE = "Too many fields in the request body."
TOO_MANY_FILES_MESSAGE = "Too many files in the request body."


class JSONTooDeep(ValueError):
    """Raised by ``loads`` for JSON nested past ``JSON_MAX_DEPTH``."""

    def __init__(self) -> None:
        super().__init__(f"nested deeper than {JSON_MAX_DEPTH} levels.")


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"

    def __init__(self, cap: int) -> None:
        super().__init__(f"Request body too large: at most {cap} bytes are accepted here.")


def body_cap(*, upload: bool = False) -> int:
    return settings.API_MAX_UPLOAD_BYTES if upload else settings.API_MAX_BODY_BYTES


def check_declared_size(meta: dict[str, Any], cap: int) -> None:
    """Refuse a ``Content-Length`` over ``cap`` before a byte is read."""
    try:
        declared = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ParseError("Content-Length is not a number.") from None
    if declared > cap:
        raise BodyTooLarge(cap)


def read_capped(stream, cap: int) -> bytes:
    """Read the whole stream, refusing it as soon as it passes ``cap`` bytes."""
    if stream is None:
        return b""
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise BodyTooLarge(cap)
    return data


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (iteratively)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        if depth > JSON_MAX_DEPTH:
            return depth
        stack.extend((child, depth + 1) for child in children)
    return deepest


def loads(text: str | bytes, **kwargs: Any) -> Any:
    """``json.loads`` that refuses deep nesting with a ``ValueError`` instead of a
    ``RecursionError`` (which nobody catches) or a structure nested past the cap."""
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise JSONTooDeep from None
    if json_depth(value) > JSON_MAX_DEPTH:
        raise JSONTooDeep
    return value


def _request_meta(parser_context: dict | None) -> dict[str, Any]:
    request = (parser_context or {}).get("request")
    return getattr(request, "META", {}) if request is not None else {}


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        cap = body_cap()
        check_declared_size(_request_meta(parser_context), cap)
        raw = read_capped(stream, cap)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
            parse_constant = drf_json.strict_constant if self.strict else None
            return loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        cap = body_cap()
        check_declared_size(_request_meta(parser_context), cap)
        raw = read_capped(stream, cap)
        try:
            return super().parse(BytesIO(raw), media_type, parser_context)
        except SuspiciousOperation as exc:
            raise _as_parse_error(exc) from None


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        cap = body_cap(upload=True)
        check_declared_size(_request_meta(parser_context), cap)
        try:
            return super().parse(_CappedStream(stream, cap), media_type, parser_context)
        except SuspiciousOperation as exc:
            raise _as_parse_error(exc) from None


class _CappedStream:
    """A stream that raises ``BodyTooLarge`` once more than ``cap`` bytes are read."""

    def __init__(self, stream, cap: int) -> None:
        self._stream = stream
        self._cap = cap
        self._read = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._cap + 1 - self._read
        data = self._stream.read(min(size, self._cap + 1 - self._read))
        self._read += len(data)
        if self._read > self._cap:
            raise BodyTooLarge(self._cap)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _as_parse_error(exc: SuspiciousOperation) -> APIException:
    if isinstance(exc, RequestDataTooBig):
        return BodyTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if isinstance(exc, TooManyFilesSent):
        return ParseError(TOO_MANY_FILES_MESSAGE)
    if isinstance(exc, TooManyFieldsSent):
        return ParseError(TOO_MANY_FIELDS_MESSAGE)
    return ParseError("The request body could not be read.")


def body_error(exc: SuspiciousOperation) -> tuple[int, str]:
    """The status and message for a body Django refused (for views outside DRF)."""
    error = _as_parse_error(exc)
    return error.status_code, str(error.detail)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: a body Django itself refused (too many fields or files, too big)
    is JSON under /api/ and /graphql/, in the shape each one uses; pages keep 400.html."""
    if isinstance(exception, SuspiciousOperation):
        status_code, message = body_error(exception)
    elif isinstance(exception, MultiPartParserError):
        status_code, message = 400, f"Multipart form parse error - {exception}"
    else:
        status_code, message = 400, "Bad request."
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status_code)
    if request.path.startswith("/graphql/"):
        body = {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}
        return JsonResponse(body, status=status_code)
    return defaults.bad_request(request, exception)


class GraphQLBodyLimitsMixin:
    """For graphene-django's ``GraphQLView``: its reading of the body, with no way to a
    500. The size is capped before reading (413); invalid UTF-8, deep JSON nesting and
    too many form fields or files are a 400 saying so."""

    def parse_body(self, request):
        from graphene_django.views import HttpError

        content_type = self.get_content_type(request)
        try:
            check_declared_size(
                request.META, body_cap(upload=content_type == "multipart/form-data")
            )
            if content_type not in ("application/json", "application/graphql"):
                return super().parse_body(request)
            body = request.body.decode("utf-8")
        except APIException as exc:
            raise HttpError(HttpResponse(str(exc.detail), status=exc.status_code)) from None
        except SuspiciousOperation as exc:
            status_code, message = body_error(exc)
            raise HttpError(HttpResponse(message, status=status_code)) from None
        except UnicodeDecodeError:
            raise HttpError(HttpResponseBadRequest("The body is not valid UTF-8.")) from None
        if content_type == "application/graphql":
            return {"query": body}
        try:
            data = loads(body)
        except JSONTooDeep as exc:
            raise HttpError(HttpResponseBadRequest(f"POST body sent invalid JSON: {exc}")) from None
        except ValueError:
            raise HttpError(HttpResponseBadRequest("POST body sent invalid JSON.")) from None
        if not isinstance(data, dict):
            raise HttpError(HttpResponseBadRequest("The received data is not a valid JSON query."))
        return data
