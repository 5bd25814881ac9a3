"""Rate limits on the public account endpoints (login, register, codes, password reset)."""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's scoped throttle, reading ``DEFAULT_THROTTLE_RATES`` when a request comes in
    rather than when the module is imported, so the rates follow the settings.

    The count lives in the default cache (Redis when ``REDIS_URL`` is set, so every
    worker shares it). Anonymous clients are told apart by address as DRF's
    ``NUM_PROXIES`` says: with 0 only ``REMOTE_ADDR`` counts, with N the address the
    N-th trusted proxy saw, so a client cannot pick its own ``X-Forwarded-For``.
    """

    @property
    def THROTTLE_RATES(self):  # DRF's attribute name
        return api_settings.DEFAULT_THROTTLE_RATES
