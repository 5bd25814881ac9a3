"""Pages of the members' watchlist neighbours: logging a watch, the diary, the
profile's privacy switch and the public profile (/u/<username>/).

Thin: the rules are ``users.services.diary_log`` / ``profile_update`` and
``users.selectors.diary_*`` / ``public_profile_get``. Every form works without
JavaScript; htmx swaps the log-a-watch form in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from core.forms import add_service_errors
from core.ids import parse_id
from core.pages import paginate
from movies.models import Movie
from users import selectors, services
from users.forms import LogWatchForm, ProfilePrivacyForm

from .views import safe_next

DIARY_PER_PAGE = 50


@require_POST
def log_watch(request: HttpRequest, movie_id: int) -> HttpResponse:
    """POST the "Log a watch" form of a movie. Saved: back to the movie with a message
    (htmx: a fresh form saying so). Bad input: the form again with the errors by field,
    status 400. Anonymous visitors are sent to log in first; nothing is saved."""
    if parse_id(movie_id) is None:
        raise Http404("No such movie.")
    movie = get_object_or_404(Movie.objects.only("id", "title"), pk=movie_id)
    back = safe_next(request, reverse("movies:detail", args=[movie.pk]))
    if not request.user.is_authenticated:
        login_page = redirect_to_login(back)
        if request.htmx:
            return HttpResponseClientRedirect(login_page["Location"])
        return login_page
    form = LogWatchForm(request.POST)
    if form.is_valid():
        try:
            services.diary_log(
                user=request.user,
                movie_id=movie.pk,
                watched_on=form.cleaned_data["watched_on"],
                rewatch=form.cleaned_data["rewatch"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if not form.is_valid():
        template = "users/includes/log_watch.html" if request.htmx else "users/log_watch.html"
        context = {"movie": movie, "form": form, "next": back}
        return render(request, template, context, status=400)
    done = f"Logged a watch of “{movie.title}” in your diary."
    if request.htmx:
        context = {"movie": movie, "form": LogWatchForm.fresh(), "next": back, "status_text": done}
        return render(request, "users/includes/log_watch.html", context)
    messages.success(request, done)
    return HttpResponseRedirect(back)


@login_required
@require_safe
def diary(request: HttpRequest) -> HttpResponse:
    """The member's diary, newest watch first, grouped by month; how many watches this
    year; a bar chart of the last twelve months (CSS, with a table as its text). A
    constant number of queries: the entries with their movies, the count, the months."""
    today = timezone.localdate()
    page = paginate(request, selectors.diary_list(user=request.user), per_page=DIARY_PER_PAGE)
    context = {
        "entries": page["object_list"],
        "page": page,
        "this_year": today.year,
        "this_year_count": selectors.diary_count_in_year(user=request.user, year=today.year),
        "months": _chart(selectors.diary_watches_by_month(user=request.user, today=today)),
    }
    return render(request, "users/diary.html", context)


def _chart(months: list[dict]) -> list[dict]:
    """Each month's bar in the SVG's 240 x 120 box: 20 wide a month, 100 high at most,
    its foot on y = 102 (leaving room for the count above and the month below)."""
    return [
        {**row, "x": 20 * index + 3, "y": 102 - row["percent"]} for index, row in enumerate(months)
    ]


@login_required
@require_POST
def profile_privacy(request: HttpRequest) -> HttpResponse:
    """Make the member's profile public or private again (My lists' switch)."""
    form = ProfilePrivacyForm(request.POST)
    form.is_valid()  # a checkbox: absent is False, any value is True
    profile = services.profile_get_or_create(user=request.user)
    public = bool(form.cleaned_data.get("is_public"))
    services.profile_update(profile=profile, by=request.user, is_public=public)
    if public:
        url = reverse("profiles:public", args=[request.user.get_username()])
        messages.success(request, f"Your profile is public at {url}.")
    else:
        messages.success(request, "Your profile is private.")
    return HttpResponseRedirect(safe_next(request, reverse("users:my_lists")))


@require_safe
def public_profile(request: HttpRequest, username: str) -> HttpResponse:
    """A member's public profile: favorites, recent diary, recent reviews, ratings count.
    A private or unknown name is the same 404 (as over the API)."""
    profile = selectors.public_profile_get(username=username)
    if profile is None:
        raise Http404("No public profile.")
    context = {
        "profile": profile,
        "member_name": profile.user.get_username(),
        "favorites": list(profile.favorite_movies.all()),
        "recent_diary": selectors.public_recent_diary(profile=profile),
        "recent_reviews": selectors.public_recent_reviews(profile=profile),
    }
    return render(request, "users/public_profile.html", context)
