"""Account pages: log in, log out, change a password and reset it by email.

These are Django's own auth views with the site's templates and two additions:
a message after logging in or out, and a rate limit on the forms that guess a
password or send an email, at the same rates as the API (``login`` and
``password_reset`` in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .forms import LoginForm, PasswordResetForm


class FormPostThrottle(SimpleRateThrottle):
    """DRF's sliding-window throttle applied to an HTML form's POSTs, per client address.

    The rate is read when the throttle is made, so settings changes apply at once.
    The cache keys are the page's own (``throttle_page_<scope>_<ip>``).
    """

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: HttpRequest, view: Any) -> str:
        return self.cache_format % {"scope": f"page_{self.scope}", "ident": self.get_ident(request)}


class RateLimitedFormViewMixin:
    """Counts each POST against ``throttle_scope``; over the rate, the form is shown
    again with a "try again later" error and a 429 status, and does nothing else."""

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


class LoginView(RateLimitedFormViewMixin, auth_views.LoginView):
    """Log in with username and password, then go back to ``?next=`` (a local URL)."""

    form_class = LoginForm
    template_name = "users/login.html"
    redirect_authenticated_user = True
    throttle_scope = "login"

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, f"Welcome back, {form.get_user().get_username()}.")
        return response


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, CSRF-checked) and go back to the movies."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        was_authenticated = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_authenticated:
            messages.info(request, "You have logged out.")
        return response


class PasswordResetView(RateLimitedFormViewMixin, auth_views.PasswordResetView):
    """Ask for a reset link by email. The answer is the same whether or not the
    address belongs to an account (only active accounts get an email)."""

    form_class = PasswordResetForm
    template_name = "users/password_reset_form.html"
    email_template_name = "users/email/password_reset_email.txt"
    subject_template_name = "users/email/password_reset_subject.txt"
    success_url = reverse_lazy("users:password_reset_done")
    throttle_scope = "password_reset"


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "users/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the emailed link (Django checks the one-time token)."""

    template_name = "users/password_reset_confirm.html"
    success_url = reverse_lazy("users:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "users/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """A logged-in user changes their password (and stays logged in)."""

    template_name = "users/password_change_form.html"
    success_url = reverse_lazy("users:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "users/password_change_done.html"
