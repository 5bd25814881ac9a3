"""The pages of the watchlist, the diary, similar movies and public profiles.

Who may (anonymous, member, another member, agent, admin), forms that work without
JavaScript and with htmx, bad input shown on the form (400), constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from movies.tests.factories import GenreFactory, MovieFactory
from users import selectors, services
from users.models import DiaryEntry, UserProfile

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def browser(user, other_user, support_agent, admin_user):
    """``browser(role)``: a page client logged in as the role (or not)."""
    people = {
        "member": user,
        "other": other_user,
        "agent": support_agent,
        "admin": admin_user,
    }

    def make(role: str) -> Client:
        client = Client()
        if role in people:
            client.force_login(people[role])
        return client

    return make


@pytest.fixture
def movie():
    return MovieFactory(title="The Quiet Harbour")


def log_url(movie) -> str:
    return reverse("users:log_watch", args=[movie.pk])


# --- watchlist button -----------------------------------------------------------------


def test_the_movie_page_has_a_watchlist_toggle_with_aria_pressed(browser, user, movie):
    client = browser("member")

    page = client.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    assert f'id="watchlist-toggle-{movie.pk}" aria-pressed="false"' in page
    assert "Add to watchlist: The Quiet Harbour" in page

    client.post(reverse("users:watchlist", args=[movie.pk]), {"action": "add", "next": "/"})

    page = client.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    assert f'id="watchlist-toggle-{movie.pk}" aria-pressed="true"' in page
    assert list(selectors.watchlist_movie_list(user=user)) == [movie]


def test_the_watchlist_toggle_by_htmx_answers_the_button_in_its_new_state(browser, user, movie):
    response = browser("member").post(
        reverse("users:watchlist", args=[movie.pk]), {"action": "add", "next": "/"}, **HTMX
    )

    assertContains(response, 'aria-pressed="true"')
    assertContains(response, "Remove from watchlist")


def test_cards_show_the_watchlist_toggle(browser, movie):
    assertContains(browser("member").get(reverse("movies:list")), f"watchlist-toggle-{movie.pk}")


def test_anonymous_watchlist_post_goes_to_log_in_and_changes_nothing(browser, movie):
    response = browser("anonymous").post(
        reverse("users:watchlist", args=[movie.pk]), {"action": "add"}
    )

    assert response.status_code == 302
    assert reverse("users:login") in response["Location"]
    assert not UserProfile.watchlist_movies.through.objects.exists()


def test_my_lists_shows_the_watchlist_with_remove_buttons(browser, user, movie):
    services.watchlist_add(profile=services.profile_get_or_create(user=user), movie_id=movie.pk)

    response = browser("member").get(reverse("users:my_lists"))

    assertContains(response, 'id="watchlist-heading"')
    assertContains(response, f'id="watchlist-remove-{movie.pk}"')


# --- log a watch -----------------------------------------------------------------------


def test_the_movie_page_has_a_log_a_watch_form_with_labels(browser, movie):
    response = browser("member").get(reverse("movies:detail", args=[movie.pk]))

    assertContains(response, 'for="id_watched_on"')
    assertContains(response, 'for="id_note"')
    assertContains(response, f'action="{log_url(movie)}"')


def test_anonymous_visitors_get_a_log_in_link_instead_of_the_form(browser, movie):
    response = browser("anonymous").get(reverse("movies:detail", args=[movie.pk]))

    assertContains(response, "Log in to log a watch")
    assertNotContains(response, 'for="id_note"')


@pytest.mark.parametrize("role", ["member", "other", "agent", "admin"])
def test_every_logged_in_member_logs_their_own_watch(browser, movie, role, user):
    response = browser(role).post(
        log_url(movie), {"watched_on": "2026-01-05", "note": "Quiet.", "next": "/"}
    )

    assert response.status_code == 302
    entry = DiaryEntry.objects.get()
    assert (str(entry.watched_on), entry.note) == ("2026-01-05", "Quiet.")
    assert (entry.user == user) == (role == "member")


def test_logging_marks_watched_and_leaves_the_watchlist(browser, user, movie):
    profile = services.profile_get_or_create(user=user)
    services.watchlist_add(profile=profile, movie_id=movie.pk)

    browser("member").post(log_url(movie), {"rewatch": "on"})

    assert DiaryEntry.objects.get().rewatch is True
    assert list(selectors.watched_movie_list(user=user)) == [movie]
    assert list(selectors.watchlist_movie_list(user=user)) == []


def test_an_empty_day_is_today(browser, movie):
    browser("member").post(log_url(movie), {"watched_on": ""})

    assert DiaryEntry.objects.get().watched_on == timezone.localdate()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"watched_on": "FUTURE"}, "cannot be in the future"),
        ({"watched_on": "2026-02-30"}, "Enter a valid date"),
        ({"note": "x" * 501}, "at most 500 characters"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_is_shown_on_the_form_with_400_and_nothing_is_saved(
    browser, movie, data, message, htmx
):
    if data.get("watched_on") == "FUTURE":
        data = {"watched_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}

    response = browser("member").post(log_url(movie), data, **(HTMX if htmx else {}))

    assert response.status_code == 400
    assertContains(response, message, status_code=400)
    assertContains(response, "is-invalid", status_code=400)
    assert not DiaryEntry.objects.exists()


def test_an_unknown_movie_is_404(browser):
    assert browser("member").post(reverse("users:log_watch", args=[999999])).status_code == 404


def test_anonymous_log_goes_to_log_in_and_saves_nothing(browser, movie):
    response = browser("anonymous").post(log_url(movie), {"note": "Hi"})

    assert response.status_code == 302
    assert reverse("users:login") in response["Location"]
    assert not DiaryEntry.objects.exists()


def test_htmx_log_answers_a_fresh_form_saying_it_was_logged(browser, movie):
    response = browser("member").post(log_url(movie), {"note": "Fine"}, **HTMX)

    assertContains(response, "Logged a watch of “The Quiet Harbour”")
    assertNotContains(response, "<html")


# --- diary page ------------------------------------------------------------------------


def test_anonymous_diary_goes_to_log_in(browser):
    response = browser("anonymous").get(reverse("users:diary"))

    assert response.status_code == 302
    assert reverse("users:login") in response["Location"]


@pytest.mark.parametrize("role", ["other", "agent", "admin"])
def test_the_diary_shows_only_the_callers_own_entries(browser, user, movie, role):
    services.diary_log(user=user, movie_id=movie.pk, note="alice's secret")

    response = browser(role).get(reverse("users:diary"))

    assert response.status_code == 200
    assertNotContains(response, "alice&#x27;s secret")
    assertNotContains(response, "The Quiet Harbour")


def test_the_diary_groups_by_month_counts_this_year_and_charts_twelve_months(
    browser, user, time_machine
):
    time_machine.move_to("2026-06-15T12:00:00Z", tick=False)
    for day, title in (
        ("2026-06-01", "June film"),
        ("2026-05-03", "May film"),
        ("2026-05-20", "Later May film"),
        ("2025-12-24", "Xmas film"),
    ):
        services.diary_log(user=user, movie_id=MovieFactory(title=title).pk, watched_on=day)

    response = browser("member").get(reverse("users:diary"))
    page = response.content.decode()

    assert "3 watches in 2026" in page
    entries = page[page.index('id="entries-heading"') :]
    assert entries.index("June 2026") < entries.index("May 2026") < entries.index("December 2025")
    assert entries.index("Later May film") < entries.index(">May film<")
    assert page.count('class="diary-chart__bar"') == 12
    # the text equivalent: every month of the last twelve, with its count
    assert '<th scope="row">May 2026</th><td>2</td>' in page
    assert '<th scope="row">July 2025</th><td>0</td>' in page
    assert "June 2025" not in page


def test_the_diary_escapes_notes(browser, user, movie):
    services.diary_log(user=user, movie_id=movie.pk, note="<script>alert(1)</script>")

    response = browser("member").get(reverse("users:diary"))

    assertNotContains(response, "<script>alert(1)</script>")
    assertContains(response, "&lt;script&gt;")


def test_the_diary_costs_the_same_however_many_entries(browser, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = browser("member")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("users:diary")).status_code == 200
        return len(captured)

    services.diary_log(user=user, movie_id=MovieFactory().pk)
    few = queries()
    for _ in range(12):
        services.diary_log(user=user, movie_id=MovieFactory().pk, watched_on="2026-01-01")

    assert queries() == few


# --- public profile ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "member", "other", "agent", "admin"])
def test_a_private_profile_page_is_404_for_everyone(browser, user, role):
    services.profile_get_or_create(user=user)

    assert browser(role).get(reverse("profiles:public", args=["alice"])).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "member", "other", "agent", "admin"])
def test_a_public_profile_page_is_shown_to_everyone_without_email(browser, user, movie, role):
    profile = services.profile_get_or_create(user=user)
    services.profile_update(profile=profile, by=user, is_public=True, favorite_movies=[movie.pk])
    services.diary_log(user=user, movie_id=movie.pk, note="Calm")

    response = browser(role).get(reverse("profiles:public", args=["alice"]))

    assert response.status_code == 200
    assertContains(response, '<h1 class="mb-1">alice</h1>', html=False)
    assertContains(response, "The Quiet Harbour")
    assertContains(response, "Calm")
    assertNotContains(response, "alice@example.com")


def test_an_unknown_name_is_the_same_404(browser):
    assert browser("anonymous").get(reverse("profiles:public", args=["nobody"])).status_code == 404


def test_the_privacy_switch_makes_the_profile_public_then_private(browser, user):
    client = browser("member")

    client.post(reverse("users:profile_privacy"), {"is_public": "on"})
    assert browser("anonymous").get("/u/alice/").status_code == 200

    client.post(reverse("users:profile_privacy"), {})
    assert browser("anonymous").get("/u/alice/").status_code == 404


def test_anonymous_privacy_post_changes_nothing(browser, user):
    services.profile_get_or_create(user=user)

    response = browser("anonymous").post(reverse("users:profile_privacy"), {"is_public": "on"})

    assert response.status_code == 302
    assert UserProfile.objects.get(user=user).is_public is False


# --- similar movies and "Because you liked" ---------------------------------------------


def test_the_movie_page_shows_similar_movies(browser):
    genre = GenreFactory()
    seed = MovieFactory(title="Seed", genres=[genre])
    MovieFactory(title="Cousin", genres=[genre])
    MovieFactory(title="Stranger")

    response = browser("anonymous").get(reverse("movies:detail", args=[seed.pk]))

    assertContains(response, "More like this")
    assertContains(response, "Cousin")
    assertNotContains(response, "Stranger")


def test_the_home_page_has_because_you_liked_leaving_out_watched(browser, user):
    genre = GenreFactory()
    liked = MovieFactory(title="Loved one", genres=[genre])
    MovieFactory(title="Fresh pick", genres=[genre])
    seen = MovieFactory(title="Seen it", genres=[genre])
    profile = services.profile_get_or_create(user=user)
    services.favorite_add(profile=profile, movie_id=liked.pk)
    services.watched_add(profile=profile, movie_id=seen.pk)

    page = browser("member").get(reverse("movies:list")).content.decode()
    row = page[page.index("Because you liked") : page.index('id="movie-results"')]

    assert "Loved one" in row
    assert "Fresh pick" in row
    assert "Seen it" not in row


def test_anonymous_home_has_no_because_you_liked(browser):
    MovieFactory()

    assertNotContains(browser("anonymous").get(reverse("movies:list")), "Because you liked")


# --- admin ---------------------------------------------------------------------------------


def test_admin_lists_and_searches_diary_entries_escaping_notes(user, admin_user, movie):
    admin_user.is_superuser = True
    admin_user.save()
    services.diary_log(user=user, movie_id=movie.pk, note="<b>bold</b> words")
    client = Client()
    client.force_login(admin_user)

    listing = client.get(reverse("admin:users_diaryentry_changelist"), {"q": "Harbour"})
    filtered = client.get(reverse("admin:users_diaryentry_changelist"), {"rewatch__exact": "1"})

    assertContains(listing, "&lt;b&gt;bold&lt;/b&gt; words")
    assertNotContains(filtered, "bold")


@pytest.mark.parametrize("role", ["anonymous", "member", "agent"])
def test_only_admins_reach_the_diary_admin(browser, role):
    response = browser(role).get(reverse("admin:users_diaryentry_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_movie_page_costs_the_same_however_many_similar_movies(user):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    genre = GenreFactory()
    seed = MovieFactory(genres=[genre])
    client = Client()

    def queries() -> int:
        cache.clear()  # the ranking is computed again: the cold page
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("movies:detail", args=[seed.pk])).status_code == 200
        return len(captured)

    MovieFactory.create_batch(2, genres=[genre])
    few = queries()
    MovieFactory.create_batch(10, genres=[genre])

    assert queries() == few
