"""Favorite / Watched buttons on the movie cards and the movie page, and "My lists":
with and without htmx, anonymous and logged in, CSRF, a safe way back, query counts."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from movies.tests.factories import ActorFactory, GenreFactory, MovieFactory
from users.models import UserProfile

from .factories import UserProfileFactory

pytestmark = pytest.mark.django_db

HOME = reverse("movies:list")
LOGIN = reverse("users:login")
MY_LISTS = reverse("users:my_lists")
HTMX = {"HTTP_HX_REQUEST": "true"}
LISTS = {"favorites": "favorite_movies", "watched": "watched_movies"}
URL_NAMES = {"favorites": "users:favorite", "watched": "users:watched"}


def mark_url(list_name: str, movie) -> str:
    return reverse(URL_NAMES[list_name], args=[movie.pk])


def ids(profile: UserProfile, list_name: str) -> list[int]:
    return list(getattr(profile, LISTS[list_name]).values_list("pk", flat=True))


def button(page: str, list_name: str, movie) -> dict[str, str]:
    """The toggle form of one movie in a page: its action field, button state and name."""
    match = re.search(
        rf'<form method="post" action="{mark_url(list_name, movie)}" class="list-toggle"\s+'
        rf'hx-post="{mark_url(list_name, movie)}" hx-target="this" hx-swap="outerHTML">'
        r'.*?name="action" value="(?P<action>\w+)">'
        r'.*?name="next" value="(?P<next>[^"]*)">'
        r'.*?<button type="submit" id="[^"]+" aria-pressed="(?P<pressed>true|false)"\s+'
        r'aria-label="(?P<label>[^"]+)"',
        page,
        re.S,
    )
    assert match, f"no {list_name} button for {movie.title}"
    return match.groupdict()


@pytest.fixture
def profile(user) -> UserProfile:
    return UserProfileFactory(user=user)


@pytest.fixture
def member(client, profile) -> Client:
    client.force_login(profile.user)
    return client


# --- The buttons on the pages ----------------------------------------------------------------


def test_cards_show_each_movies_state_for_the_logged_in_user(member, profile):
    loved, seen, other = MovieFactory(title="Loved"), MovieFactory(title="Seen"), MovieFactory()
    profile.favorite_movies.add(loved)
    profile.watched_movies.add(seen)

    page = member.get(HOME, {"ordering": "title"}).content.decode()

    assert button(page, "favorites", loved) == {
        "action": "remove",
        "next": f"/movies/?ordering=title#movie-{loved.pk}",
        "pressed": "true",
        "label": "Remove from favorites: Loved",
    }
    assert button(page, "watched", loved)["label"] == "Mark as watched: Loved"
    assert button(page, "watched", seen) == {
        "action": "remove",
        "next": f"/movies/?ordering=title#movie-{seen.pk}",
        "pressed": "true",
        "label": "Remove from watched: Seen",
    }
    assert button(page, "favorites", other)["pressed"] == "false"
    assert button(page, "favorites", other)["label"] == f"Add to favorites: {other.title}"
    assert f'id="movie-{loved.pk}"' in page


def test_another_users_lists_do_not_show(member):
    movie = MovieFactory()
    UserProfileFactory().favorite_movies.add(movie)

    page = member.get(reverse("movies:detail", args=[movie.pk])).content.decode()

    assert button(page, "favorites", movie)["pressed"] == "false"


@pytest.mark.parametrize("name", ["movies:detail", "movies:genre_detail", "movies:actor_detail"])
def test_every_movie_page_has_the_buttons(member, profile, name):
    genre, actor = GenreFactory(), ActorFactory()
    movie = MovieFactory(genres=[genre], actors=[actor])
    profile.watched_movies.add(movie)
    pk = {"movies:detail": movie.pk, "movies:genre_detail": genre.pk}.get(name, actor.pk)
    url = reverse(name, args=[pk])

    page = member.get(url).content.decode()

    assert button(page, "favorites", movie)["pressed"] == "false"
    assert button(page, "watched", movie)["pressed"] == "true"
    assert button(page, "watched", movie)["next"].startswith(url)


def test_the_htmx_results_fragment_has_the_buttons_too(member, profile):
    movie = MovieFactory(title="Heat")
    profile.favorite_movies.add(movie)

    response = member.get(HOME, {"search": "heat"}, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert button(html, "favorites", movie)["pressed"] == "true"
    assert button(html, "favorites", movie)["next"] == f"/movies/?search=heat#movie-{movie.pk}"


def test_anonymous_visitors_get_links_to_log_in_and_come_back_to_the_card(client):
    movie = MovieFactory(title="Heat")

    page = client.get(HOME, {"search": "heat"}).content.decode()

    back = (
        f"{LOGIN}?next=/movies/%3Fsearch%3Dheat%23movie-{movie.pk}&amp;then=favorites%3A{movie.pk}"
    )
    assert re.search(
        rf'<a class="[^"]*"\s+href="{re.escape(back)}"\s+aria-label="Log in to add to favorites: Heat">',
        page,
    )
    assert 'aria-label="Log in to mark as watched: Heat"' in page
    assert "/accounts/lists/favorites/" not in page


def test_anonymous_link_on_the_movie_page_comes_back_to_the_movie_page(client):
    movie = MovieFactory(title="Heat")
    url = reverse("movies:detail", args=[movie.pk])

    page = client.get(url).content.decode()

    assert (
        f'href="{LOGIN}?next={url}&amp;then=favorites%3A{movie.pk}"\n'
        '         aria-label="Log in to add to favorites: Heat"' in page
    )


# --- Toggling --------------------------------------------------------------------------------


@pytest.mark.parametrize("list_name", ["favorites", "watched"])
def test_adding_and_removing_are_idempotent_and_come_back_to_next(member, profile, list_name):
    movie = MovieFactory()
    back = f"/movies/?page=2#movie-{movie.pk}"

    for _ in range(2):
        response = member.post(mark_url(list_name, movie), {"action": "add", "next": back})
        assert response.status_code == 302
        assert response["Location"] == back
        assert ids(profile, list_name) == [movie.pk]
    for _ in range(2):
        response = member.post(mark_url(list_name, movie), {"action": "remove", "next": back})
        assert response["Location"] == back
        assert ids(profile, list_name) == []


def test_a_form_post_comes_back_with_a_message(member, profile):
    movie = MovieFactory(title="Heat")
    url = reverse("movies:detail", args=[movie.pk])

    response = member.post(
        mark_url("favorites", movie), {"action": "add", "next": url}, follow=True
    )

    assertRedirects(response, url)
    assertContains(response, "Added “Heat” to your favorites.")
    assert button(response.content.decode(), "favorites", movie)["pressed"] == "true"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "",
        # Not paths: resolved as view names by redirect(), they were a 500.
        "movies",
        "-1",
        "a\x00b",
        "99999999999999999999",
    ],
)
def test_next_must_be_a_page_of_this_site(member, next_url):
    movie = MovieFactory()

    response = member.post(mark_url("watched", movie), {"action": "add", "next": next_url})

    assert response["Location"] == reverse("movies:detail", args=[movie.pk])


@pytest.mark.parametrize(
    ("list_name", "action", "pressed", "label", "status"),
    [
        ("favorites", "add", "true", "Remove from favorites", "Added “Heat” to your favorites."),
        ("favorites", "remove", "false", "Add to favorites", "Removed “Heat” from your favorites."),
        ("watched", "add", "true", "Remove from watched", "Marked “Heat” as watched."),
        (
            "watched",
            "remove",
            "false",
            "Mark as watched",
            "Removed “Heat” from your watched movies.",
        ),
    ],
)
def test_htmx_gets_just_the_button_in_its_new_state(
    member, list_name, action, pressed, label, status
):
    movie = MovieFactory(title="Heat")
    back = f"/movies/?search=heat#movie-{movie.pk}"

    response = member.post(mark_url(list_name, movie), {"action": action, "next": back}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert "<html" not in html
    assert button(html, list_name, movie) == {
        "action": "remove" if action == "add" else "add",
        "next": back,
        "pressed": pressed,
        "label": f"{label}: Heat",
    }
    assert f"<span>{label}</span>" in html
    assert f'<div id="live-status" hx-swap-oob="innerHTML">{status}</div>' in html


def test_an_account_without_a_profile_gets_one_on_its_first_mark(client, admin_user):
    client.force_login(admin_user)
    movie = MovieFactory()

    client.post(mark_url("favorites", movie), {"action": "add"})

    assert ids(UserProfile.objects.get(user=admin_user), "favorites") == [movie.pk]


@pytest.mark.parametrize(
    ("list_name", "done"),
    [("favorites", "Added “Heat” to your favorites."), ("watched", "Marked “Heat” as watched.")],
)
def test_anonymous_click_leads_to_log_in_then_back_with_the_movie_added(
    client, user, list_name, done
):
    movie = MovieFactory(title="Heat")
    back = f"/movies/?search=x#movie-{movie.pk}"

    response = client.post(mark_url(list_name, movie), {"action": "add", "next": back})

    assert response.status_code == 302
    assert response["Location"] == (
        f"{LOGIN}?next=%2Fmovies%2F%3Fsearch%3Dx%23movie-{movie.pk}&then={list_name}%3A{movie.pk}"
    )
    assert not UserProfile.objects.exists()  # nothing happens before logging in

    login_page = client.get(response["Location"])
    assertContains(login_page, f'name="next" value="{back}"')
    assertContains(login_page, f'name="then" value="{list_name}:{movie.pk}"')
    assertContains(login_page, "Log in, and “Heat” will")
    logged_in = client.post(
        LOGIN,
        {
            "username": "alice",
            "password": "correct horse battery",
            "next": back,
            "then": f"{list_name}:{movie.pk}",
        },
        follow=True,
    )
    assert logged_in.redirect_chain[0][0] == back
    assert ids(UserProfile.objects.get(user=user), list_name) == [movie.pk]
    assertContains(logged_in, done)


def test_login_says_why_when_the_chosen_movie_is_gone(client, user):
    movie = MovieFactory(title="Heat")
    intent = f"favorites:{movie.pk}"
    movie.delete()
    logged_in = client.post(
        LOGIN,
        {"username": "alice", "password": "correct horse battery", "next": "/", "then": intent},
        follow=True,
    )
    assertContains(logged_in, "no longer in the catalogue, so nothing was added")


def test_a_failed_login_keeps_the_intent_and_does_nothing(client, user):
    movie = MovieFactory(title="Heat")
    response = client.post(
        LOGIN, {"username": "alice", "password": "wrong", "then": f"watched:{movie.pk}"}
    )
    assertContains(response, f'name="then" value="watched:{movie.pk}"')
    assert not UserProfile.objects.filter(watched_movies=movie).exists()


def test_anonymous_htmx_click_is_redirected_to_log_in_by_htmx(client):
    movie = MovieFactory()

    response = client.post(
        mark_url("watched", movie), {"action": "add", "next": "/genres/1/"}, **HTMX
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{LOGIN}?next=%2Fgenres%2F1%2F&then=watched%3A{movie.pk}"
    assert not UserProfile.objects.exists()


def test_unknown_movie_bad_action_and_get_are_refused(member, profile):
    movie = MovieFactory()

    assert (
        member.post(reverse("users:favorite", args=[999999]), {"action": "add"}).status_code == 404
    )
    assert member.post(mark_url("favorites", movie), {"action": "toggle"}).status_code == 400
    assert member.post(mark_url("favorites", movie), {}).status_code == 400
    assert member.get(mark_url("favorites", movie)).status_code == 405
    assert ids(profile, "favorites") == []


@pytest.mark.parametrize("list_name", ["favorites", "watched"])
def test_toggles_need_the_csrf_token(profile, list_name):
    movie = MovieFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(profile.user)

    refused = client.post(mark_url(list_name, movie), {"action": "add"}, **HTMX)
    assert refused.status_code == 403
    assert ids(profile, list_name) == []

    page = client.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    token = re.search(r'<body[^>]* hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page)[1]
    accepted = client.post(
        mark_url(list_name, movie), {"action": "add"}, HTTP_X_CSRFTOKEN=token, **HTMX
    )
    assert accepted.status_code == 200
    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    client.post(mark_url(list_name, movie), {"action": "remove", "csrfmiddlewaretoken": form_token})
    assert ids(profile, list_name) == []


# --- My lists --------------------------------------------------------------------------------


def test_my_lists_needs_a_login(client):
    assertRedirects(client.get(MY_LISTS), f"{LOGIN}?next={MY_LISTS}")


def test_my_lists_shows_both_lists_with_remove_buttons(member, profile):
    alpha, zulu, seen = MovieFactory(title="Alpha"), MovieFactory(title="Zulu"), MovieFactory()
    profile.favorite_movies.add(zulu, alpha)
    profile.watched_movies.add(seen)
    UserProfileFactory().favorite_movies.add(seen)

    response = member.get(MY_LISTS)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>My lists · Reelhouse</title>" in page
    assert '<h2 id="favorites-heading" class="h4" tabindex="-1">Favorites</h2>' in page
    assert '<h2 id="watched-heading" class="h4" tabindex="-1">Watched</h2>' in page
    assert list(response.context["favorites"]["movies"]) == [alpha, zulu]
    assert list(response.context["watched"]["movies"]) == [seen]
    assert re.search(
        rf'<form method="post" action="{mark_url("favorites", alpha)}"[^>]*\s+'
        rf'hx-post="{mark_url("favorites", alpha)}" hx-target="closest li" hx-swap="delete"',
        page,
    )
    assert 'aria-label="Remove from favorites: Alpha">Remove from favorites</button>' in page
    assert f'aria-label="Remove from watched: {seen.title}">Remove from watched</button>' in page
    assert 'value="/accounts/lists/"' in page


def test_empty_lists_say_so(member):
    page = member.get(MY_LISTS).content.decode()

    assert re.search(r"<p [^>]*data-list-empty>No favorites yet\.", page)
    assert re.search(r"<p [^>]*data-list-empty>No watched movies yet\.", page)


def test_removing_from_my_lists_without_javascript_comes_back_to_my_lists(member, profile):
    movie = MovieFactory(title="Heat")
    profile.favorite_movies.add(movie)

    response = member.post(
        mark_url("favorites", movie), {"action": "remove", "next": MY_LISTS}, follow=True
    )

    assertRedirects(response, MY_LISTS)
    assertContains(response, "Removed “Heat” from your favorites.")
    assert list(response.context["favorites"]["movies"]) == []


def test_my_lists_pages_each_list_on_its_own(member, profile):
    movies = MovieFactory.create_batch(30)
    profile.favorite_movies.set(movies)
    profile.watched_movies.set(movies[:3])

    response = member.get(MY_LISTS, {"favorites_page": "2", "watched_page": "1"})

    assert response.context["favorites"]["page_obj"].number == 2
    assert len(response.context["favorites"]["movies"]) == 6
    assert len(response.context["watched"]["movies"]) == 3
    page = response.content.decode()
    assert '<nav aria-label="Favorites pages"' in page
    assert '<nav aria-label="Watched pages"' not in page
    assert 'href="?favorites_page=1&amp;watched_page=1"' in page
    assert 'hx-target="#favorites"' in page


def test_htmx_page_links_of_my_lists_get_only_that_list(member, profile):
    profile.favorite_movies.set(MovieFactory.create_batch(30))

    response = member.get(MY_LISTS, {"favorites_page": "2"}, HTTP_HX_TARGET="favorites", **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert "data-list-rows" in html
    assert "Watched" not in html
    assert response["Vary"] == "HX-Request, HX-History-Restore-Request, Cookie"
    assertContains(member.get(MY_LISTS, **HTMX), "<html")


def test_another_users_lists_are_never_shown(member):
    UserProfileFactory().favorite_movies.add(MovieFactory(title="Secret"))
    assertNotContains(member.get(MY_LISTS), "Secret")


# --- Queries ---------------------------------------------------------------------------------


def make_movies(count: int):
    genres, actors = GenreFactory.create_batch(2), ActorFactory.create_batch(2)
    return MovieFactory.create_batch(count, genres=genres, actors=actors), genres


# The marks of every movie on a page come in one query, however many are marked (the page
# itself: count, movies and their genres, the cards' columns only: movies.selectors; a
# full page adds the footer's TMDB attribution check, once per catalogue version).
@pytest.mark.parametrize("count", [1, 30])
# (The whole home page adds "Because you liked": the favorites, the watched, the similar
# ranking, and here no row, as every similar movie is a favorite.)
@pytest.mark.parametrize(("htmx", "queries"), [(False, 11), (True, 6)])
def test_movie_list_with_marks_costs_the_same_however_many_movies(
    member, profile, django_assert_num_queries, count, htmx, queries
):
    movies, _ = make_movies(count)
    profile.favorite_movies.set(movies)
    profile.watched_movies.set(movies[::2])

    with django_assert_num_queries(queries):
        response = member.get(HOME, **(HTMX if htmx else {}))
    shown = list(response.context["movies"])
    watched_shown = [movie for movie in shown if movie in movies[::2]]
    page = response.content.decode()
    # The navbar's theme toggle is a pressed button too (dark by default): not a mark.
    pressed = page.count('aria-pressed="true"') - page.count(
        'data-theme-toggle aria-pressed="true"'
    )
    assert pressed == len(shown) + len(watched_shown)


@pytest.mark.parametrize("count", [1, 30])
def test_genre_page_with_marks_costs_the_same_however_many_movies(
    member, profile, django_assert_num_queries, count
):
    movies, genres = make_movies(count)
    profile.favorite_movies.set(movies)

    with django_assert_num_queries(8):  # + the footer's TMDB check
        member.get(reverse("movies:genre_detail", args=[genres[0].pk]))


# Session, user, then for each of the three lists: count and page; the profile
# (privacy); the footer's TMDB check.
@pytest.mark.parametrize("count", [1, 30])
def test_my_lists_costs_the_same_however_long_the_lists(
    member, profile, django_assert_num_queries, count
):
    movies, _ = make_movies(count)
    profile.favorite_movies.set(movies)
    profile.watched_movies.set(movies)
    profile.watchlist_movies.set(movies)

    with django_assert_num_queries(10):
        response = member.get(MY_LISTS)
    assert len(response.context["watched"]["movies"]) == min(count, 24)


# Session, user, the movie, the profile, then the service: the movie exists, insert the row
# (ignoring a duplicate).
def test_a_toggle_costs_a_fixed_number_of_queries(member, profile, django_assert_num_queries):
    movie = MovieFactory()
    with django_assert_num_queries(6):
        member.post(mark_url("favorites", movie), {"action": "add"}, **HTMX)


@pytest.mark.parametrize(
    ("posted", "kept"),
    [("top-rated-", "top-rated-"), ("", ""), ('x"><script>', ""), ("A" * 3, "")],
)
def test_htmx_answer_keeps_the_home_rows_id_prefix(member, posted, kept):
    movie = MovieFactory(title="Heat")
    data = {"action": "add", "next": f"/#top-rated-movie-{movie.pk}", "id_prefix": posted}

    html = member.post(mark_url("favorites", movie), data, **HTMX).content.decode()

    assert f'id="{kept}favorites-toggle-{movie.pk}" aria-pressed="true"' in html
    assert ('name="id_prefix"' in html) == bool(kept)
    assert "<script>" not in html
