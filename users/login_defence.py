"""Login defence in one place, for the three ways in: the API's ``login/``, the site's
log-in page and the admin's.

- **One throttle** (:class:`LoginThrottle`): every login POST counts against the same
  per-client budget, ``DEFAULT_THROTTLE_RATES["login"]`` (``THROTTLE_LOGIN``), whichever
  of the three it went to. Over it, the API answers 429 with ``Retry-After`` and the
  pages show "Too many attempts" on the form.
- **A per-account lockout with a cool-down** (django-axes, configured in settings):
  ``LOGIN_LOCKOUT_FAILURES`` wrong passwords for one username lock that account for
  ``LOGIN_LOCKOUT_MINUTES``, from any address. Axes refuses inside ``authenticate()``,
  so a locked account gets exactly the answer of a wrong password (the API's 401 body,
  the pages' form error): the lockout tells a guesser nothing. Its middleware, which
  would replace that answer with a lockout page, is deliberately not installed.

Both read the client's address the same way, DRF's (``DJANGO_NUM_PROXIES`` trusted
proxies, see ``users.api.throttles``), so a forged ``X-Forwarded-For`` cannot spread one
client over many budgets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle

from core.throttles import FormPostThrottle

SCOPE = "login"


def client_ip(request: HttpRequest) -> str:
    """The client's address as the throttles see it (``AXES_CLIENT_IP_CALLABLE``)."""
    return BaseThrottle().get_ident(request)


def username_key(request: HttpRequest, credentials: Mapping[str, Any] | None) -> str:
    """The account an attempt is counted against (``AXES_USERNAME_CALLABLE``): the
    username given, ignoring case and surrounding spaces, as usernames are unique
    ignoring case."""
    value = (credentials or {}).get("username")
    if value is None:
        data = getattr(request, "data", None)
        if not isinstance(data, Mapping):
            data = getattr(request, "POST", {})
        value = data.get("username")
    return str(value or "").strip().lower()


def is_locked_out(request: HttpRequest) -> bool:
    """Whether axes refused the attempt of this request because the account is locked."""
    return bool(getattr(request, "axes_locked_out", False))


class LoginThrottle(FormPostThrottle):
    """The one login throttle: the page's form throttle for the ``login`` scope, used as
    is by the site's log-in page and as a DRF throttle by the API and the admin."""

    def __init__(self) -> None:
        super().__init__(SCOPE)
