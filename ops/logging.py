"""Log filters and the JSON formatter (``LOG_FORMAT=json``).

``RequestIdFilter`` stamps every record with the current request (or task) id.
``RedactFilter`` is the last line of defence for secrets: values of fields named like
a password, token, code or secret, JWTs and ``Bearer`` credentials are replaced by
``[redacted]`` in the message, its arguments and its extra fields.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from .context import get_request_id

REDACTED = "[redacted]"
_SECRET_NAMES = r"(?:password\d?|new_password\d?|old_password|passwd|token|access|refresh|code|otp|secret|api[_-]?key|authorization|uidb64|uid)"  # noqa: S105
_PATTERNS = (
    # JWTs: three base64url parts, the first two JSON objects ("eyJ...").
    re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}"),
    re.compile(r"(?i)\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+"),
    # name=value, "name": "value", 'name': 'value'
    re.compile(rf"(?i)(['\"]?\b{_SECRET_NAMES}['\"]?\s*[:=]\s*)(['\"]?)[^'\",&\s}}]+"),
)
# Attributes every LogRecord has: the rest are ``extra=`` fields, which the JSON line carries.
_RECORD_ATTRS = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys() | {"message", "asctime"}
)


def redact(text: str) -> str:
    text = _PATTERNS[0].sub(REDACTED, text)
    text = _PATTERNS[1].sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return _PATTERNS[2].sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # django.request logs 4xx/5xx after the middleware has finished: use its request.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or get_request_id() or "-"
        return True


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the record as it is
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        for name, value in list(vars(record).items()):
            if name not in _RECORD_ATTRS:
                setattr(record, name, _clean(value))
        return True


# Keys of structured extras never logged: a task's arguments (celery.app.trace puts them
# in its ``data``) can be a whole email, reset token included.
_DROPPED_KEYS = frozenset({"args", "kwargs"})


def _clean(value: Any, depth: int = 0) -> Any:
    """``value`` with secrets redacted, looking into dicts, lists and tuples."""
    if isinstance(value, str):
        return redact(value)
    if depth > 5:
        return value
    if isinstance(value, dict):
        return {
            key: REDACTED if key in _DROPPED_KEYS else _clean(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(item, depth + 1) for item in value]
    return value


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", "")
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": None if request_id in ("", "-") else request_id,
        }
        for name, value in vars(record).items():
            if name in _RECORD_ATTRS or name in entry or name == "request":
                continue  # the request object: its path is in the message, its query is not
            if not isinstance(value, str | int | float | bool | list | dict | type(None)):
                value = redact(str(value))
            entry[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, default=str)
