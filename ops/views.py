"""``/healthz`` (alive), ``/readyz`` (dependencies answer) and ``/metrics`` (Prometheus).

They are answered by :class:`ops.middleware.ProbeMiddleware` near the top of the
middleware stack, so a load balancer or Prometheus reaching a node by its address
is not redirected to HTTPS nor refused for its ``Host`` header.
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django_prometheus.exports import ExportToDjangoView

from . import health


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches no database, cache or network."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when every dependency answers in time, else 503 naming the failing ones."""
    checks = health.readiness()
    failing = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "unavailable" if failing else "ok", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)


def _address_allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED_IPS:
        try:
            if ip in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


def _token_allowed(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    if not expected:
        return False
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip(), expected)


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for the addresses in ``METRICS_ALLOWED_IPS`` (the peer's own
    address, not a forwarded one) or a ``Bearer`` ``METRICS_TOKEN``."""
    if not (_address_allowed(request.META.get("REMOTE_ADDR", "")) or _token_allowed(request)):
        return JsonResponse({"detail": "Metrics are not available to you."}, status=403)
    return ExportToDjangoView(request)
