"""Account pages: register and enter the SMS code, log in and out, passwords, lists.

Log in, log out and the password pages are Django's own auth views with the site's
templates, a message after logging in or out, and a rate limit on the forms that
guess a password, send an email or send a text message, at the same rates as the
API (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, counted per page).

Registration, the code page and the lists call ``users.services`` and
``users.selectors``: every rule of the accounts (OTP, send limits, who may register
what) applies as it does in the API. The number waiting for its code travels in
the session, never in the URL.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import FormView
from django_htmx.http import HttpResponseClientRedirect
from phonenumber_field.phonenumber import PhoneNumber

from core.forms import add_service_errors, wait_text
from core.ids import parse_id
from core.pages import paginate, render_page
from core.throttles import FormPostThrottle, RateLimitedFormViewMixin
from movies.models import Movie

from . import login_defence, selectors, services
from .forms import (
    LoginForm,
    PasswordResetForm,
    RatingForm,
    RegisterForm,
    VerifyCodeForm,
    own_rating_context,
)
from .models import UserProfile
from .sms import SmsSendError

#: Session key of the registration waiting for its code: {"user_id", "phone_number"}.
PENDING_SESSION_KEY = "users_pending_registration"
#: How the pages log in a user who just proved their number.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

SMS_FAILED_MESSAGE = (
    "We could not send the text message just now. Nothing was saved; please try again in a moment."
)


class LoginView(RateLimitedFormViewMixin, auth_views.LoginView):
    """Log in with username and password, then go back to ``?next=`` (a local URL).

    Someone whose registration still waits for its SMS code, and who gives the right
    password, is sent to the code page (Django alone would say "wrong password").
    """

    form_class = LoginForm
    template_name = "users/login.html"
    redirect_authenticated_user = True
    throttle_scope = login_defence.SCOPE  # the one login budget (users.login_defence)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        intent = list_intent_parse(
            self.request.POST.get(INTENT_FIELD) or self.request.GET.get(INTENT_FIELD)
        )
        if intent is not None:
            list_name, movie = intent
            context["intent"] = f"{list_name}:{movie.pk}"
            context["intent_text"] = LIST_INTENT_LABELS[list_name].format(title=movie.title)
        return context

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, f"Welcome back, {form.get_user().get_username()}.")
        intent = self.request.POST.get(INTENT_FIELD)
        if intent:
            list_intent_complete(self.request, intent)
        return response

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        pending = getattr(form, "pending_registration", None)
        if pending is not None:
            pending_remember(
                self.request, user_id=pending.user_id, phone_number=str(pending.phone_number)
            )
            messages.info(
                self.request,
                "Your account is not active yet. Enter the code we sent by text message "
                f"to {phone_display(pending.phone_number)}, or ask for a new one.",
            )
            return redirect("users:verify")
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, CSRF-checked) and go back to the movies."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        was_authenticated = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_authenticated:
            messages.info(request, "You have logged out.")
        return response


class PasswordResetView(RateLimitedFormViewMixin, auth_views.PasswordResetView):
    """Ask for a reset link by email (``services.password_reset_request``, as the API
    does; the email links to this site's reset page). The answer is the same whether
    or not the address belongs to an account (only active accounts get an email)."""

    form_class = PasswordResetForm
    template_name = "users/password_reset_form.html"
    success_url = reverse_lazy("users:password_reset_done")
    throttle_scope = "password_reset"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        def confirm_url(uid: str, token: str) -> str:
            return self.request.build_absolute_uri(
                reverse("users:password_reset_confirm", args=[uid, token])
            )

        try:
            services.password_reset_request(
                email=form.cleaned_data["email"], build_confirm_url=confirm_url
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "users/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the emailed link. Django's view keeps the one-time
    token out of the URL (it moves it into the session); the change itself is
    ``services.password_reset_confirm``, as in the API, so every refresh token and
    every session of the account end."""

    template_name = "users/password_reset_confirm.html"
    success_url = reverse_lazy("users:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.password_reset_confirm(
                uid=self.kwargs["uidb64"],
                token=self.request.session.get(auth_views.INTERNAL_RESET_SESSION_TOKEN, ""),
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as error:
            add_service_errors(form, error, fields={"new_password": "new_password2"})
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "users/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """A logged-in user changes their password (``services.password_change``): their
    refresh tokens and other sessions end, this browser stays logged in."""

    template_name = "users/password_change_form.html"
    success_url = reverse_lazy("users:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        user = services.password_change(
            user=form.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "users/password_change_done.html"


# --------------------------------------------------------------------------- registration


def phone_display(number: PhoneNumber | str) -> str:
    """A number as people read it: ``+1 415-555-0123``."""
    if not isinstance(number, PhoneNumber):
        number = PhoneNumber.from_string(str(number))
    return number.as_international


def pending_remember(request: HttpRequest, *, user_id: int, phone_number: str) -> None:
    """Note in the session which registration this browser is finishing."""
    request.session[PENDING_SESSION_KEY] = {"user_id": user_id, "phone_number": phone_number}


def pending_in_session(request: HttpRequest) -> UserProfile | None:
    """The registration this browser is finishing, if it still waits for its code.

    Forgotten when it no longer does (verified elsewhere, replaced by a newer
    registration of the number, lapsed and deleted).
    """
    data = request.session.get(PENDING_SESSION_KEY)
    profile = None
    if isinstance(data, dict):
        try:
            profile = selectors.pending_registration(
                user_id=int(data["user_id"]), phone_number=str(data["phone_number"])
            )
        except (KeyError, TypeError, ValueError):
            profile = None
    if profile is None and data is not None:
        del request.session[PENDING_SESSION_KEY]
    return profile


class RegisterView(RateLimitedFormViewMixin, FormView):
    """Create an inactive account and text it a code (``services.user_register``), then
    go to the code page. Every refusal of the service shows on the form."""

    form_class = RegisterForm
    template_name = "users/register.html"
    throttle_scope = "register"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        """Coming back from the code page (e.g. to fix the number): the form is filled in
        with the registration being finished. Registering again with the same username
        and password then updates it."""
        pending = pending_in_session(self.request) if self.request.method == "GET" else None
        if pending is None:
            return {}
        return {
            "username": pending.user.get_username(),
            "email": pending.user.email,
            "phone_number": phone_display(pending.phone_number),
        }

    def form_invalid(self, form: RegisterForm) -> HttpResponse:
        """Every problem in one round: besides the form's own errors (a field left
        empty, the passwords not matching), the service's checks of the other fields."""
        if getattr(form, "retry_after", None) is None and not getattr(self, "_checked", False):
            self._checked = True
            problems = services.registration_problems(
                username=form.data.get("username", ""),
                email=form.data.get("email", ""),
                password=form.data.get("password", ""),
                phone_number=form.data.get("phone_number", ""),
            )
            for field, messages_ in problems.items():
                if field in form.fields and field not in form.errors and form.data.get(field):
                    form.add_error(field, messages_)
        return super().form_invalid(form)

    def form_valid(self, form: RegisterForm) -> HttpResponse:
        self._checked = True
        data = form.cleaned_data
        try:
            user = services.user_register(
                username=data["username"],
                email=data["email"],
                password=data["password"],
                phone_number=data["phone_number"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except services.OtpSendLimited as limited:
            form.add_error(
                None,
                "Too many codes were sent to this number lately. Please wait "
                f"{wait_text(limited.retry_after)} and try again.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(limited.retry_after)
            return response
        except SmsSendError:
            form.add_error(None, SMS_FAILED_MESSAGE)
            return self.form_invalid(form)

        phone = services.phone_number_normalize(data["phone_number"])
        pending_remember(self.request, user_id=user.pk, phone_number=phone)
        # No message: the code page itself says where the code went (once).
        return redirect("users:verify")


class VerifyView(RateLimitedFormViewMixin, FormView):
    """Enter the code texted to the number of the registration in the session. The right
    code activates the account (``services.otp_verify``) and logs the user in."""

    form_class = VerifyCodeForm
    template_name = "users/verify.html"
    throttle_scope = "otp_verify"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.pending = pending_in_session(request)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.pending is None:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["pending"] = self.pending
        if self.pending is not None:
            context.update(resend_context(self.pending))
        return context

    def form_valid(self, form: VerifyCodeForm) -> HttpResponse:
        pending = self.pending
        try:
            user = services.otp_verify(
                phone_number=str(pending.phone_number), code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        del self.request.session[PENDING_SESSION_KEY]
        if user.pk != pending.user_id:  # another registration took the number meanwhile
            messages.success(self.request, "Your phone number is verified. Please log in.")
            return redirect("users:login")
        login(self.request, user, backend=MODEL_BACKEND)
        messages.success(
            self.request,
            f"Your phone number is verified and your account is active. "
            f"Welcome, {user.get_username()}!",
        )
        return redirect(settings.LOGIN_REDIRECT_URL)


def resend_context(pending: UserProfile) -> dict[str, Any]:
    """What the "send a new code" part of the code page shows: the number, and how long
    until another code may be sent (``services.otp_send_wait``)."""
    wait = services.otp_send_wait(phone_number=str(pending.phone_number))
    return {
        "phone": phone_display(pending.phone_number),
        "code_length": settings.OTP_LENGTH,
        "code_minutes": max(1, settings.OTP_TTL_SECONDS // 60),
        "resend_wait": wait,
        "resend_wait_text": wait_text(wait) if wait else "",
    }


@require_POST
def verify_resend(request: HttpRequest) -> HttpResponse:
    """Send a new code to the number of the registration in the session.

    Without JavaScript it comes back to the code page with a message; with htmx it
    answers the page's ``resend`` fragment (new cooldown) and the message.
    """
    pending = pending_in_session(request)
    if pending is None:
        if request.htmx:
            return HttpResponseClientRedirect(reverse("users:verify"))
        return redirect("users:verify")
    phone = str(pending.phone_number)
    throttle = FormPostThrottle("otp_resend")
    if not throttle.allow_request(request, None):
        wait = int(throttle.wait() or 1)
        messages.error(request, f"Too many attempts. Please wait {wait_text(wait)} and try again.")
    elif wait := services.otp_send_wait(phone_number=phone):
        messages.warning(
            request, f"A code was sent moments ago. You can ask for a new one in {wait_text(wait)}."
        )
    else:
        try:
            services.otp_resend(phone_number=phone)
        except SmsSendError:
            messages.error(request, SMS_FAILED_MESSAGE)
        else:
            messages.success(
                request, f"We sent a new code by text message to {phone_display(phone)}."
            )
    if request.htmx:
        return render(request, "users/verify.html#resend", resend_context(pending))
    return redirect("users:verify")


# --------------------------------------------------------------------------- lists

LIST_LABELS = {
    selectors.FAVORITES: {
        "add": "Added “{title}” to your favorites.",
        "remove": "Removed “{title}” from your favorites.",
    },
    selectors.WATCHED: {
        "add": "Marked “{title}” as watched.",
        "remove": "Removed “{title}” from your watched movies.",
    },
    selectors.WATCHLIST: {
        "add": "Added “{title}” to your watchlist.",
        "remove": "Removed “{title}” from your watchlist.",
    },
}
LIST_SERVICES = {
    selectors.FAVORITES: {"add": services.favorite_add, "remove": services.favorite_remove},
    selectors.WATCHED: {"add": services.watched_add, "remove": services.watched_remove},
    selectors.WATCHLIST: {"add": services.watchlist_add, "remove": services.watchlist_remove},
}


#: The login form's field (and the login URL's parameter) carrying what an anonymous
#: visitor asked for before logging in: ``favorites:<movie id>`` or ``watched:<movie id>``.
INTENT_FIELD = "then"
LIST_INTENT_LABELS = {
    selectors.FAVORITES: "Log in, and “{title}” will be added to your favorites.",
    selectors.WATCHED: "Log in, and “{title}” will be marked as watched.",
    selectors.WATCHLIST: "Log in, and “{title}” will be added to your watchlist.",
}


def list_intent_parse(intent: str | None) -> tuple[str, Movie] | None:
    """``("favorites", movie)`` from ``"favorites:7"``; None for anything else."""
    list_name, _, movie_id = (intent or "").partition(":")
    if list_name not in LIST_SERVICES or parse_id(movie_id) is None:
        return None
    movie = Movie.objects.only("id", "title").filter(pk=parse_id(movie_id)).first()
    return (list_name, movie) if movie is not None else None


def list_intent_complete(request: HttpRequest, intent: str) -> None:
    """Right after logging in: do what the visitor asked for before (add the movie to
    the list), and say so, or say why not."""
    parsed = list_intent_parse(intent)
    if parsed is None:
        messages.warning(
            request, "The movie you chose is no longer in the catalogue, so nothing was added."
        )
        return
    list_name, movie = parsed
    profile = services.profile_get_or_create(user=request.user)
    LIST_SERVICES[list_name]["add"](profile=profile, movie_id=movie.pk)
    messages.success(request, LIST_LABELS[list_name]["add"].format(title=movie.title))


def list_login_url(*, list_name: str, movie_id: int, next_url: str) -> str:
    """The login page, coming back to ``next_url`` with the movie added to the list."""
    query = urlencode({"next": next_url, INTENT_FIELD: f"{list_name}:{movie_id}"})
    return f"{reverse('users:login')}?{query}"


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` field if it is a path on this site; otherwise ``fallback``.

    Only a path from the root (``/...``) is accepted: anything else ("movies", "-1")
    would be resolved against the POST's own URL, and ``redirect()`` would even try it
    as a view name (a 500), so it falls back too.
    """
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback


ID_PREFIX = re.compile(r"[a-z0-9-]{0,40}")


@require_POST
def list_mark(request: HttpRequest, movie_id: int, list_name: str) -> HttpResponse:
    """Add a movie to, or remove it from, the user's favorites, watched list or watchlist.

    POST ``action`` (``add`` or ``remove``: the same request twice changes nothing
    more) and ``next`` (the page to come back to). htmx gets the button again, in its
    new state; a plain form post goes back to ``next`` with a message. An anonymous
    visitor is sent to log in and then back to ``next``; nothing is changed for them.
    """
    if parse_id(movie_id) is None:  # beyond a bigint: SQLite cannot even bind it
        raise Http404("No such movie.")
    movie = get_object_or_404(Movie.objects.only("id", "title"), pk=movie_id)
    next_url = safe_next(request, reverse("movies:detail", args=[movie.pk]))
    if not request.user.is_authenticated:
        if request.POST.get("action") == "add":
            login_url = list_login_url(list_name=list_name, movie_id=movie.pk, next_url=next_url)
        else:
            login_url = redirect_to_login(next_url)["Location"]
        if request.htmx:
            return HttpResponseClientRedirect(login_url)
        return redirect(login_url)
    action = request.POST.get("action")
    if action not in ("add", "remove"):
        return HttpResponseBadRequest("The action must be “add” or “remove”.")

    profile = services.profile_get_or_create(user=request.user)
    LIST_SERVICES[list_name][action](profile=profile, movie_id=movie.pk)
    done = LIST_LABELS[list_name][action].format(title=movie.title)
    if request.htmx:
        context = {
            "movie": movie,
            "list_name": list_name,
            "on": action == "add",
            "next": next_url,
            "status_text": done,
            # A home row's card prefixes its ids ("top-rated-"): the new button keeps it.
            "id_prefix": id_prefix
            if ID_PREFIX.fullmatch(id_prefix := request.POST.get("id_prefix", ""))
            else "",
        }
        return render(request, "users/includes/list_button.html", context)
    messages.success(request, done)
    return HttpResponseRedirect(next_url)


@login_required
@require_safe
def my_lists(request: HttpRequest) -> HttpResponse:
    """The user's favorite and watched movies and their watchlist, each list with its
    own pages and remove buttons, and whether their profile is public. htmx page links get only the list they belong to."""
    context = {
        "favorites": paginate(
            request,
            selectors.favorite_movie_list(user=request.user),
            page_param="favorites_page",
            rows_name="movies",
        ),
        "watched": paginate(
            request,
            selectors.watched_movie_list(user=request.user),
            page_param="watched_page",
            rows_name="movies",
        ),
        "watchlist": paginate(
            request,
            selectors.watchlist_movie_list(user=request.user),
            page_param="watchlist_page",
            rows_name="movies",
        ),
        "profile": services.profile_get_or_create(user=request.user),
    }
    target = request.htmx.target if request.htmx else None
    if target in (selectors.FAVORITES, selectors.WATCHED, selectors.WATCHLIST):
        return render_page(request, "users/my_lists.html", context, fragment=target)
    response = render(request, "users/my_lists.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- Ratings and reviews on the movie page -------------------------------------------


def _movie_or_404(movie_id: int) -> Movie:
    if parse_id(movie_id) is None:
        raise Http404("No such movie.")
    return get_object_or_404(
        Movie.objects.only("id", "title", "members_rating_average", "members_rating_count"),
        pk=movie_id,
    )


def _login_first(request: HttpRequest, back: str) -> HttpResponse:
    login_page = redirect_to_login(back)
    if request.htmx:
        return HttpResponseClientRedirect(login_page["Location"])
    return login_page


def _own_rating_answer(request: HttpRequest, movie: Movie, form=None, status=200):
    """htmx: the "Your rating" block again (with errors, if any); otherwise the page to
    fix the form (status 400), or back to the movie page after a change."""
    context = own_rating_context(user=request.user, movie=movie, form=form)
    if request.htmx:
        return render(request, "users/includes/own_rating.html", context)
    return render(request, "users/rating_form.html", context, status=status)


@require_POST
def rating_save(request: HttpRequest, movie_id: int) -> HttpResponse:
    """Save the member's score, review and spoiler flag for the movie (the movie page's
    form, in place with htmx or as a plain post)."""
    movie = _movie_or_404(movie_id)
    back = reverse("movies:detail", args=[movie.pk]) + "#your-rating"
    if not request.user.is_authenticated:
        return _login_first(request, back)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            _rating, created = services.rating_set(
                user=request.user, movie_id=movie.pk, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = "Your rating is saved." if created else "Your rating is updated."
            if request.htmx:
                movie.refresh_from_db()
                response = _own_rating_answer(request, movie)
                response["HX-Trigger"] = "members-rating-changed"
                return response
            messages.success(request, done)
            return HttpResponseRedirect(back)
    return _own_rating_answer(request, movie, form, status=400)


@require_POST
def rating_remove(request: HttpRequest, movie_id: int) -> HttpResponse:
    """Remove the member's rating (and review) of the movie."""
    movie = _movie_or_404(movie_id)
    back = reverse("movies:detail", args=[movie.pk]) + "#your-rating"
    if not request.user.is_authenticated:
        return _login_first(request, back)
    services.rating_delete(user=request.user, movie_id=movie.pk)
    if request.htmx:
        movie.refresh_from_db()
        return _own_rating_answer(request, movie)
    messages.success(request, "Your rating is removed.")
    return HttpResponseRedirect(back)
