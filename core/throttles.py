"""The rate limit of HTML forms: DRF's window and the API's rates, counted per page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from rest_framework import throttling
from rest_framework.settings import api_settings


class FormPostThrottle(throttling.SimpleRateThrottle):
    """DRF's sliding-window throttle applied to an HTML form's POSTs, per client address.

    The rate is the API's (``DEFAULT_THROTTLE_RATES[scope]``), read when the throttle is
    made, so settings changes apply at once. The cache keys are the page's own
    (``throttle_page_<scope>_<ip>``): the page and the API count separately.
    """

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: HttpRequest, view: Any) -> str:
        return self.cache_format % {"scope": f"page_{self.scope}", "ident": self.get_ident(request)}


class RateLimitedFormViewMixin:
    """For a ``FormView`` whose form uses :class:`core.forms.RateLimitedFormMixin`: counts
    each POST against ``throttle_scope``; over the rate, the form is shown again with a
    "try again later" error and a 429 status, and does nothing else."""

    throttle_scope: str
    request: HttpRequest

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttle = FormPostThrottle(self.throttle_scope)
        self.retry_after = None
        if not throttle.allow_request(request, self):
            self.retry_after = int(throttle.wait() or 1)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.request.method == "POST":
            kwargs["retry_after"] = getattr(self, "retry_after", None)
        return kwargs

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "retry_after", None) is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response
