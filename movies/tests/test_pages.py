"""The catalogue's HTML pages: layout, movie list (search, filters, sort, pages),
movie, genre and actor pages; full pages and their HTMX fragments; query counts."""

from __future__ import annotations

import re
from decimal import Decimal

import factory
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error
from pytest_django.asserts import assertContains, assertNotContains

from .factories import ActorFactory, GenreFactory, MovieFactory
from .images import image_upload

pytestmark = pytest.mark.django_db

HOME = reverse("movies:list")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(params=["anonymous", "user"])
def visitor(request, client, user) -> Client:
    """Each page is checked as an anonymous visitor and as a logged-in user."""
    if request.param == "user":
        client.force_login(user)
    return client


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [movie.title for movie in response.context["movies"]]


def html(response) -> str:
    return response.content.decode()


# --- The layout ------------------------------------------------------------------------------


def test_layout_has_landmarks_skip_link_and_navigation(client):
    page = html(client.get(HOME))
    assert '<html lang="en" data-bs-theme="dark">' in page
    assert '<a class="skip-link visually-hidden-focusable" href="#main">' in page
    assert '<main id="main"' in page
    assert re.search(r'<nav class="navbar[^"]*" data-bs-theme="dark" aria-label="Main">', page)
    assert "<footer" in page
    assert re.search(rf'href="{re.escape(HOME)}"[^>]*>Movies</a>', page)
    assert 'aria-current="page">Movies</a>' in page


def test_developer_links_live_in_the_footer_not_the_navigation(client):
    page = html(client.get(HOME))
    navbar = page[page.index('aria-label="Main"') : page.index("</header>")]
    footer = page[page.index("<footer") :]
    for name, href in [
        ("Developers", reverse("developers")),
        ("API docs", reverse("schema-swagger-ui")),
        ("GraphiQL", "/graphql/"),
    ]:
        assert re.search(rf'href="{re.escape(href)}"[^>]*>{name}</a>', footer), name
        assert f">{name}</a>" not in navbar, name


def test_site_name_comes_from_one_setting(client, settings):
    settings.SITE_NAME = "Cinemaboat"
    page = html(client.get(HOME))
    assert "<title>Movies · Cinemaboat</title>" in page
    assert "movie_api" not in page
    brand = page[page.index('class="navbar-brand') : page.index("</a>", page.index("navbar-brand"))]
    assert "Cinemaboat" in brand
    assert 'src="/static/img/logo.svg"' in brand


def test_theme_is_applied_before_paint_by_a_static_script_and_toggles(client):
    page = html(client.get(HOME))
    head = page[: page.index("</head>")]
    # Blocking (no defer/async), before the stylesheets, and from our static files.
    theme = head.index('<script src="/static/js/theme.js"></script>')
    assert theme < head.index("bootstrap.min.css")
    assert "<script>" not in page
    assert " onclick=" not in page
    assert re.search(r"<button[^>]* data-theme-toggle aria-pressed=\"true\" hidden>", page)


def test_developers_page_explains_both_apis_with_examples(client):
    response = client.get(reverse("developers"))
    assertContains(response, "<h1>Developers</h1>")
    assertContains(response, "/api/movies/?search=")
    assertContains(response, "allMovies(")
    assertContains(response, 'href="/graphql/"')


def test_layout_loads_bootstrap_and_htmx_from_our_static_files_only(client):
    page = html(client.get(HOME))
    assert 'href="/static/vendor/bootstrap/bootstrap.min.css"' in page
    assert 'src="/static/vendor/bootstrap/bootstrap.bundle.min.js"' in page
    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.js" defer>', page)
    assert re.findall(r'(?:src|href)="(?:https?:)?//[^"]+"', page) == []


def test_body_carries_the_csrf_token_for_htmx_requests(client):
    response = client.get(HOME)
    token = re.search(r'<body[^>]* hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', html(response))
    assert token is not None
    assert len(token.group(1)) == 64
    assert "csrftoken" in response.cookies


def test_anonymous_navigation_offers_log_in_with_a_way_back(client):
    page = html(client.get(reverse("movies:genre_detail", args=[GenreFactory().pk])))
    login = reverse("users:login")
    assert re.search(rf'href="{login}\?next=/genres/\d+/"[^>]*>\s*Log in</a>', page)
    assertNotContains(client.get(HOME), "Log out")
    assertNotContains(client.get(HOME), ">Admin</a>")


def test_user_navigation_shows_their_name_and_a_log_out_form(client, user):
    client.force_login(user)
    page = html(client.get(HOME))
    assert "Signed in as </span>alice" in page
    assert re.search(
        rf'<form method="post" action="{reverse("users:logout")}"[^>]*>\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">\s*'
        r'<button type="submit"[^>]*>Log out</button>',
        page,
    )
    assert ">Log in</a>" not in page
    assert ">Admin</a>" not in page


def test_staff_navigation_links_to_the_admin(client, admin_user):
    client.force_login(admin_user)
    assertContains(client.get(HOME), f'href="{reverse("admin:index")}">Admin</a>')


def test_navigation_links_registration_and_my_lists(client, user):
    page = html(client.get(HOME))
    assert re.search(rf'href="{reverse("users:register")}"[^>]*>Register</a>', page)
    assert re.search(rf'href="{reverse("users:my_lists")}"[^>]*>My lists</a>', page)
    client.force_login(user)
    page = html(client.get(reverse("users:my_lists")))
    assert re.search(
        rf'href="{reverse("users:my_lists")}"[^>]*aria-current="page"[^>]*>My lists</a>', page
    )
    assert ">Register</a>" not in page


def test_navigation_links_pages_added_later_once_their_url_names_exist(client, settings):
    settings.ROOT_URLCONF = "movies.tests.urls_later_pages"
    page = html(client.get(HOME))
    assert re.search(r'href="/accounts/lists/"[^>]*>My lists</a>', page)
    assert re.search(r'href="/support/"[^>]*>Support</a>', page)
    assert re.search(r'href="/accounts/register/"[^>]*>Register</a>', page)


def test_messages_are_shown(client, user):
    client.force_login(user)
    response = client.post(reverse("users:logout"), follow=True)
    assertContains(response, "You have logged out.")
    assertContains(response, 'class="alert alert-info alert-dismissible fade show"')


def test_unknown_page_is_a_404_in_the_site_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assertContains(response, '<h1 class="mb-3">Page not found</h1>', status_code=404)
    assertContains(response, 'aria-label="Main"', status_code=404)


def test_server_error_page_stands_alone(rf):
    response = server_error(rf.get(HOME))
    assert response.status_code == 500
    page = response.content.decode()
    assert '<h1 class="mb-3">Something went wrong</h1>' in page
    # The same look as the other pages: the theme (dark first, the visitor's choice) and card.
    assert '<html lang="en" data-bs-theme="dark">' in page
    assert "js/theme.js" in page
    assert 'class="card error-card' in page


# --- The movie list --------------------------------------------------------------------------


def test_home_page_shows_movies_as_cards(visitor):
    drama, comedy = GenreFactory(name="Drama"), GenreFactory(name="Comedy")
    with_poster = MovieFactory(
        title="The Quiet Harbour", rating=Decimal("4.5"), genres=[drama, comedy]
    )
    with_poster.image = image_upload()
    with_poster.save()
    MovieFactory(title="No Poster Yet", rating=Decimal("2.0"))

    response = visitor.get(HOME)

    assert response.status_code == 200
    page = html(response)
    assert titles(response) == ["No Poster Yet", "The Quiet Harbour"]
    detail = reverse("movies:detail", args=[with_poster.pk])
    assert f'href="{detail}">The Quiet Harbour</a>' in page
    assert f'src="{with_poster.image.url}" alt="Poster of The Quiet Harbour"' in page
    assert 'role="img" aria-label="No poster yet for No Poster Yet"' in page
    assert "Rated 4.5 out of 5" in page
    assert "Rated 2.0 out of 5" in page
    assert '<li class="badge rounded-pill genre-tag">Comedy</li>' in page
    assert '<li class="badge rounded-pill genre-tag">Drama</li>' in page
    assert "2 movies" in page


def test_empty_catalogue_says_so(client):
    assertContains(client.get(HOME), "There are no movies in the catalogue yet.")


def test_every_filter_has_a_label(client):
    page = html(client.get(HOME))
    for name, label in [
        ("search", "Search movies"),
        ("genre", "Genre"),
        ("actor", "Actor"),
        ("min_rating", "Minimum rating"),
        ("ordering", "Sort by"),
    ]:
        assert re.search(rf'<label\s+for="id_{name}"[^>]*>\s*{label}\s*</label>', page), name
        assert f'name="{name}"' in page


def test_search_form_works_with_and_without_javascript(client):
    page = html(client.get(HOME))
    form = re.search(r'<form method="get" action="/movies/" role="search"[^>]*>', page).group(0)
    assert 'hx-get="/movies/"' in form
    assert 'hx-target="#movie-results"' in form
    assert 'hx-push-url="true"' in form
    assert re.search(r'hx-trigger="input changed delay:\d+ms, submit"', form)
    assert '<button type="submit" class="btn btn-primary">Show movies</button>' in page
    assert 'type="search" name="search"' in page


def test_search_matches_title_or_plot_title_matches_first(visitor):
    MovieFactory(title="The Quiet Harbour", plot_summary="Boats.")
    MovieFactory(title="Loud City", plot_summary="A harbour at night.")
    MovieFactory(title="Elsewhere", plot_summary="Mountains.")
    assert titles(visitor.get(HOME, {"search": "HARBOUR"})) == ["The Quiet Harbour", "Loud City"]


def test_filters_combine_genre_actor_and_minimum_rating(visitor):
    drama = GenreFactory(name="Drama")
    streep = ActorFactory(name="Meryl Streep")
    MovieFactory(title="Match", rating=Decimal("4.5"), genres=[drama], actors=[streep])
    MovieFactory(title="Too low", rating=Decimal("3.0"), genres=[drama], actors=[streep])
    MovieFactory(title="Other genre", rating=Decimal("5.0"), actors=[streep])
    MovieFactory(title="Other actor", rating=Decimal("5.0"), genres=[drama])

    response = visitor.get(HOME, {"genre": "drama", "actor": "streep", "min_rating": "4"})

    assert titles(response) == ["Match"]
    assert "1 movie" in html(response)
    assert re.search(r'<option value="Drama"[^>]*>Drama</option>', html(response))


def test_genre_menu_lists_every_genre_by_name(client):
    GenreFactory(name="Drama")
    GenreFactory(name="Comedy")
    page = html(client.get(HOME, {"genre": "Drama"}))
    assert '<option value="">All genres</option>' in page
    assert '<option value="Comedy">Comedy</option>' in page
    assert '<option value="Drama" selected>Drama</option>' in page


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("", ["Cherry", "Banana", "Apple"]),
        ("-created_at", ["Cherry", "Banana", "Apple"]),
        ("created_at", ["Apple", "Banana", "Cherry"]),
        ("title", ["Apple", "Banana", "Cherry"]),
        ("-title", ["Cherry", "Banana", "Apple"]),
        ("-rating", ["Banana", "Cherry", "Apple"]),
        ("rating", ["Apple", "Cherry", "Banana"]),
    ],
)
def test_sort_orders(client, ordering, expected):
    MovieFactory(title="Apple", rating=Decimal("1.0"))
    MovieFactory(title="Banana", rating=Decimal("5.0"))
    MovieFactory(title="Cherry", rating=Decimal("3.0"))
    assert titles(client.get(HOME, {"ordering": ordering})) == expected


def test_sort_menu_offers_people_words_and_the_default_as_empty(client):
    page = html(client.get(HOME))
    # The empty choice is the search's own order (newest first when nothing is searched).
    assert '<option value="" selected>Best match, then newest</option>' in page
    assert '<option value="-rating">Highest rated</option>' in page
    assert '<option value="title">Title A–Z</option>' in page
    # Newest first is a choice of its own: a search's default order is its best match.
    assert '<option value="-created_at">Newest first</option>' in page


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"min_rating": "lots"}, "min_rating", "Enter a number."),
        ({"ordering": "popularity"}, "ordering", "Select a valid choice."),
    ],
)
def test_bad_filter_values_are_form_errors_and_the_other_filters_still_apply(
    visitor, params, field, message
):
    MovieFactory(title="The Quiet Harbour")
    MovieFactory(title="Elsewhere")

    response = visitor.get(HOME, {"search": "harbour", **params})

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert titles(response) == ["The Quiet Harbour"]
    page = html(response)
    assert "Some filters could not be used, so they were left out:" in page
    assert re.search(rf'name="{field}"[^>]*is-invalid[^>]*aria-invalid="true"', page)
    assert f'id="id_{field}_error" class="invalid-feedback"' in page


@pytest.mark.parametrize(
    "params",
    [
        {"min_rating": "NaN"},
        {"min_rating": "1e309"},
        {"min_rating": "99999999999999999999"},
        {"search": "harbour\x00"},
        {"genre": "\x00"},
        {"actor": "a\x00"},
        {"ordering": "\x00"},
        {"genre": "99999999999999999999999"},
        {"actor": "99999999999999999999999"},
        {"page": "\x00"},
    ],
)
def test_hostile_filter_values_never_give_a_500(client, params):
    MovieFactory()
    assert client.get(HOME, params).status_code == 200
    assert client.get(HOME, params, **HTMX).status_code == 200


def test_bad_filter_values_in_an_htmx_request_are_reported_in_the_fragment(client):
    response = client.get(HOME, {"min_rating": "lots"}, **HTMX)
    assert response.status_code == 200
    assertContains(response, "Minimum rating: Enter a number.")


def test_list_refuses_post(client):
    assert client.post(HOME).status_code == 405


def test_htmx_request_gets_only_the_results_fragment(visitor):
    MovieFactory(title="The Quiet Harbour")
    MovieFactory(title="Elsewhere")

    response = visitor.get(HOME, {"search": "harbour"}, **HTMX)

    assert response.status_code == 200
    page = html(response)
    assert "<html" not in page
    assert '<nav class="navbar' not in page
    assert 'role="search"' not in page
    assert 'id="movie-results"' not in page  # the fragment goes inside it
    assert "The Quiet Harbour" in page
    assert "Elsewhere" not in page
    assert "HX-Request" in response["Vary"]


def test_plain_request_gets_the_whole_page_with_the_fragment_inside(visitor):
    MovieFactory(title="The Quiet Harbour")
    response = visitor.get(HOME, {"search": "harbour"})
    page = html(response)
    assert page.lstrip().startswith("<!doctype html>")
    assert 'role="search"' in page
    assert '<section id="movie-results"' in page
    assert "The Quiet Harbour" in page
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client):
    response = client.get(HOME, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert html(response).lstrip().startswith("<!doctype html>")


def test_list_is_paginated_and_page_links_keep_the_filters(client):
    MovieFactory.create_batch(30, title=factory.Sequence(lambda n: f"Harbour {n}"))
    MovieFactory(title="Elsewhere")

    first = client.get(HOME, {"search": "harbour"})
    assert len(first.context["movies"]) == 24
    assert "30 movies · page 1 of 2" in html(first)
    assert 'href="?search=harbour&amp;page=2"' in html(first)
    assert 'hx-get="?search=harbour&amp;page=2" hx-target="#movie-results"' in html(first)

    second = client.get(HOME, {"search": "harbour", "page": "2"})
    assert len(second.context["movies"]) == 6
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2</span>' in html(second)


@pytest.mark.parametrize(("page", "expected"), [("99", 2), ("nonsense", 1), ("-1", 2), ("0", 2)])
def test_a_page_number_out_of_range_or_not_a_number_gives_a_real_page(client, page, expected):
    MovieFactory.create_batch(30)
    response = client.get(HOME, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


# --- The movie page --------------------------------------------------------------------------


def test_movie_page_shows_poster_plot_rating_genres_and_actors(visitor):
    drama = GenreFactory(name="Drama")
    streep = ActorFactory(name="Meryl Streep")
    movie = MovieFactory(
        title="The Quiet Harbour",
        plot_summary="A keeper and a storm.",
        rating=Decimal("4.5"),
        genres=[drama],
        actors=[streep],
    )
    movie.image = image_upload()
    movie.save()

    response = visitor.get(reverse("movies:detail", args=[movie.pk]))

    assert response.status_code == 200
    page = html(response)
    assert "<title>The Quiet Harbour · Reelhouse</title>" in page
    assert '<h1 id="movie-title" class="mb-2">The Quiet Harbour</h1>' in page
    assert f'src="{movie.image.url}" alt="Poster of The Quiet Harbour"' in page
    assert "A keeper and a storm." in page
    assert "Rated 4.5 out of 5" in page
    assert f'href="{reverse("movies:genre_detail", args=[drama.pk])}">Drama</a>' in page
    assert f'href="{reverse("movies:actor_detail", args=[streep.pk])}">Meryl Streep</a>' in page


def test_movie_page_without_poster_plot_genres_or_actors_is_tidy(client):
    movie = MovieFactory(title="Bare", plot_summary="")
    page = html(client.get(reverse("movies:detail", args=[movie.pk])))
    assert 'aria-label="No poster yet for Bare"' in page
    assert "No plot summary yet." in page
    assert "No genres yet." in page
    assert "No cast listed yet." in page


def test_unknown_movie_is_404(client):
    assert client.get(reverse("movies:detail", args=[424242])).status_code == 404


def test_report_a_problem_links_to_the_support_desk(client):
    movie = MovieFactory()
    url = reverse("movies:detail", args=[movie.pk])
    assertContains(client.get(url), f'href="/support/new/?movie={movie.pk}"')


# --- Genre and actor pages -------------------------------------------------------------------


def test_genre_page_lists_its_movies_only(visitor):
    drama, comedy = GenreFactory(name="Drama"), GenreFactory(name="Comedy")
    MovieFactory(title="Sad", genres=[drama])
    MovieFactory(title="Both", genres=[drama, comedy])
    MovieFactory(title="Funny", genres=[comedy])

    response = visitor.get(reverse("movies:genre_detail", args=[drama.pk]))

    assert titles(response) == ["Both", "Sad"]
    page = html(response)
    assert '<h1 class="mb-1">Drama</h1>' in page
    assert 'href="/movies/?genre=Drama"' in page


def test_actor_page_lists_exactly_their_movies(visitor):
    """By the actor, not by a name match: "50 Cent" is not in actor 5's movies."""
    actor = ActorFactory(name="Meryl Streep")
    namesake = ActorFactory(name=f"Not {actor.pk} Streep")
    MovieFactory(title="Hers", actors=[actor])
    MovieFactory(title="Theirs", actors=[namesake])

    response = visitor.get(reverse("movies:actor_detail", args=[actor.pk]))

    assert titles(response) == ["Hers"]
    assertContains(response, '<h1 class="mb-0">Meryl Streep</h1>', html=False)


@pytest.mark.parametrize("name", ["movies:genre_detail", "movies:actor_detail"])
def test_unknown_genre_or_actor_is_404(client, name):
    assert client.get(reverse(name, args=[424242])).status_code == 404


@pytest.mark.parametrize("name", ["movies:genre_detail", "movies:actor_detail"])
def test_genre_and_actor_pages_are_paginated_with_an_htmx_fragment(client, name):
    genre, actor = GenreFactory(), ActorFactory()
    MovieFactory.create_batch(26, genres=[genre], actors=[actor])
    url = reverse(name, args=[genre.pk if name == "movies:genre_detail" else actor.pk])

    full = client.get(url)
    assert len(full.context["movies"]) == 24
    assert "<html" in html(full)

    fragment = client.get(url, {"page": "2"}, **HTMX)
    assert len(fragment.context["movies"]) == 2
    assert "<html" not in html(fragment)
    assert "26 movies · page 2 of 2" in html(fragment)


def test_empty_genre_and_actor_pages_say_so(client):
    assertContains(
        client.get(reverse("movies:genre_detail", args=[GenreFactory().pk])),
        "No movies in this genre yet.",
    )
    assertContains(
        client.get(reverse("movies:actor_detail", args=[ActorFactory().pk])),
        "No movies with this actor yet.",
    )


# --- Query counts: the same for one movie and for many ---------------------------------------


def make_catalogue(count: int):
    genres = GenreFactory.create_batch(3)
    actors = ActorFactory.create_batch(4)
    return MovieFactory.create_batch(count, genres=genres, actors=actors), genres, actors


# The list: the genre's and the actor's ids (looked up first, see movies.filters._known_ids),
# count, page of movies (the card's columns), its genres, the genre menu
# (+ session, user and the user's marks on the page's movies).
@pytest.mark.parametrize("count", [1, 30])
# (+1 on a cold cache: the footer asks once per catalogue version whether TMDB data is there)
@pytest.mark.parametrize(("logged_in", "queries"), [(False, 7), (True, 10)])
def test_movie_list_costs_the_same_number_of_queries_however_many_movies(
    client, user, django_assert_num_queries, count, logged_in, queries
):
    _, genres, actors = make_catalogue(count)
    if logged_in:
        client.force_login(user)
    filters = {"min_rating": "1", "genre": genres[0].name, "actor": actors[0].name}
    with django_assert_num_queries(queries):
        response = client.get(HOME, filters)
    assert len(response.context["movies"]) == min(count, 24)


# The fragment's cards carry the list buttons: + session, user and marks when logged in.
@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize(("logged_in", "queries"), [(False, 3), (True, 6)])
def test_htmx_fragment_costs_no_query_for_the_genre_menu(
    client, user, django_assert_num_queries, count, logged_in, queries
):
    make_catalogue(count)
    if logged_in:
        client.force_login(user)
    # PostgreSQL also counts the title matches up to a cap, to read only the tier a page
    # falls in (movies.models.MovieQuerySet.in_two_tiers).
    with django_assert_num_queries(queries + (connection.vendor == "postgresql")):
        response = client.get(HOME, {"search": "movie"}, **HTMX)
    assert len(response.context["movies"]) == min(count, 24)


# The movie, its genres, directors and cast, the similar movies' ranking (none here), the
# members' score histogram and the count of reviews (+ session, user, the user's marks and
# own rating). users' test_pages_ratings holds it constant as reviews grow.
@pytest.mark.parametrize("count", [1, 12])
# (+1 on a cold cache: the footer asks once per catalogue version whether TMDB data is there)
@pytest.mark.parametrize(("logged_in", "queries"), [(False, 8), (True, 12)])
def test_movie_page_costs_the_same_number_of_queries_however_many_genres_and_actors(
    client, user, django_assert_num_queries, count, logged_in, queries
):
    movie = MovieFactory(
        genres=GenreFactory.create_batch(count), actors=ActorFactory.create_batch(count)
    )
    if logged_in:
        client.force_login(user)
    with django_assert_num_queries(queries):
        response = client.get(reverse("movies:detail", args=[movie.pk]))
    assert len(response.context["movie"].actors.all()) == count


# The genre or person, count, page of movies (the card's columns on a genre's page), their
# genres (+ session, user and marks; + the directing credits on a person's page).
@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("name", ["movies:genre_detail", "movies:actor_detail"])
# (+1 on a cold cache: the footer asks once per catalogue version whether TMDB data is there)
@pytest.mark.parametrize(("logged_in", "queries"), [(False, 5), (True, 8)])
def test_genre_and_actor_pages_cost_the_same_number_of_queries_however_many_movies(
    client, user, django_assert_num_queries, count, name, logged_in, queries
):
    _, genres, actors = make_catalogue(count)
    pk = genres[0].pk if name == "movies:genre_detail" else actors[0].pk
    if name == "movies:actor_detail":
        queries += 3  # the whole movies' directors and cast, and the person's directing credits
    if logged_in:
        client.force_login(user)
    with django_assert_num_queries(queries):
        response = client.get(reverse(name, args=[pk]))
    assert len(response.context["movies"]) == min(count, 24)


def test_tab_title_follows_an_as_you_type_search(client):
    fragment = html(client.get(HOME, {"search": "harbour"}, **HTMX))
    # Top level of the fragment, where htmx takes it as the document's title.
    assert fragment.lstrip().startswith("<title>“harbour” · Movies · Reelhouse</title>")
    assert html(client.get(HOME, **HTMX)).lstrip().startswith("<title>Movies · Reelhouse</title>")
    page = html(client.get(HOME, {"search": "harbour"}))
    assert page.count("<title>") == 1


def test_phone_filters_fold_behind_a_filters_button_that_needs_no_javascript(client):
    page = html(client.get(HOME))
    details = re.search(r"<details class=\"filters-more\">\s*<summary[^>]*>Filters</summary>", page)
    assert details, "the filters are in a closed <details>"
    assert page.index('name="search"') < details.start()  # the search stays in view
    assert page.index('name="genre"') > details.start()
    # Filters in use: the details come open, so what is applied is visible.
    assert '<details class="filters-more" open>' in html(client.get(HOME, {"min_rating": "3"}))


def test_home_shows_rows_and_old_list_links_are_redirected(client):
    drama, comedy = GenreFactory(name="Drama"), GenreFactory(name="Comedy")
    MovieFactory(title="Best", rating=Decimal("4.9"), genres=[drama])
    MovieFactory(title="Newest", rating=Decimal("2.0"), genres=[comedy], members_rating_count=3)
    GenreFactory(name="Empty")  # a genre without movies gets no row
    response = client.get(reverse("movies:home"))
    page = html(response)
    for heading in ["Top rated", "Recently added", "Popular with members", "Comedy", "Drama"]:
        assert re.search(rf'<h2 id="row-[^"]+" class="h4 mb-0">{heading}</h2>', page), heading
    assert "Empty" not in page
    rows = response.context["rows"]
    inline = {row.id: [m.title for m in row.movies] for row in rows["inline"]}
    assert inline == {"top-rated": ["Best", "Newest"]}
    # The rows below the fold come without their movies: they load when scrolled to.
    lazy = [(row.id, row.heading, row.movies) for row in rows["lazy"]]
    assert lazy == [
        ("recent", "Recently added", None),
        ("popular", "Popular with members", None),
        (f"{comedy.pk}-genre", "Comedy", None),
        (f"{drama.pk}-genre", "Drama", None),
    ]
    old = client.get("/", {"search": "heat", "page": "2"})
    assert old.status_code == 302
    assert old["Location"] == f"{HOME}?search=heat&page=2"


def test_home_has_no_popular_row_until_a_member_rates_a_movie(client):
    MovieFactory(title="Best")
    page = html(client.get(reverse("movies:home")))
    assert "Popular with members" not in page
    assert reverse("movies:home_row", args=["popular"]) not in page


# The inline row's movies (top rated), their genres, and in one query whether any movie
# is popular and the genres that have movies (+ session, user, the user's marks on the
# inline row's movies and the "Because you liked" row).
@pytest.mark.parametrize("count", [1, 15])
@pytest.mark.parametrize(("logged_in", "queries"), [(False, 3), (True, 7)])
def test_home_costs_the_same_number_of_queries_however_many_movies_and_genres(
    client, user, django_assert_num_queries, count, logged_in, queries
):
    genres = GenreFactory.create_batch(count)
    MovieFactory.create_batch(count * 2, genres=genres, members_rating_count=1)
    if logged_in:
        client.force_login(user)
    with django_assert_num_queries(queries):
        response = client.get(reverse("movies:home"))
    assert len([row for row in response.context["rows"]["lazy"] if row.genre]) == count


def test_movie_page_has_a_poster_backdrop_and_sharing_meta(client, settings):
    settings.SITE_URL = "https://movies.example.com"
    movie = MovieFactory(title="The Quiet Harbour", plot_summary="Boats at dawn.")
    movie.image = image_upload()
    movie.save()
    page = html(client.get(reverse("movies:detail", args=[movie.pk])))
    head = page[: page.index("</head>")]
    assert '<meta property="og:title" content="The Quiet Harbour">' in head
    assert '<meta property="og:description" content="Boats at dawn.">' in head
    assert (
        f'<meta property="og:url" content="https://movies.example.com/movies/{movie.pk}/">' in head
    )
    assert (
        f'<meta property="og:image" content="https://movies.example.com{movie.image.url}">' in head
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in head
    assert re.search(
        r'<img class="movie-hero__backdrop" src="[^"]+" alt="" aria-hidden="true"', page
    )


@pytest.mark.parametrize("logged_in", [False, True])
def test_home_page_has_no_duplicate_ids_when_a_movie_is_in_several_rows(client, user, logged_in):
    # One movie, one genre: it is top rated, recent, popular and its genre's row at once.
    drama = GenreFactory(name="Drama")
    movie = MovieFactory(title="Everywhere", genres=[drama], members_rating_count=2)
    if logged_in:
        client.force_login(user)
    page = html(client.get(reverse("movies:home")))
    # The rows loaded later are fragments of the same page: put together, ids stay unique.
    for row in ["recent", "popular", f"{drama.pk}-genre"]:
        page += html(client.get(reverse("movies:home_row", args=[row]), **HTMX))
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert [i for i in set(ids) if ids.count(i) > 1] == []
    # The card is in four rows, each with its own prefixed ids and labels that follow;
    # the buttons of every row come back to the home page, to the card.
    for row in ["top-rated", "recent", "popular", f"{drama.pk}-genre"]:
        assert f'id="{row}-movie-{movie.pk}" aria-labelledby="{row}-movie-{movie.pk}-title"' in page
        if logged_in:
            assert f'id="{row}-favorites-toggle-{movie.pk}"' in page
            assert f'name="next" value="/#{row}-movie-{movie.pk}"' in page
        else:
            assert f"next=/%23{row}-movie-{movie.pk}&amp;then=favorites" in page
