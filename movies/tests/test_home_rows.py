"""The home page's lazy rows: the rows below the fold are a heading and a placeholder
that htmx fills from the row's own URL (movies:home_row) when it scrolls into view; that
URL is a cached catalogue read, a fragment for htmx and a whole page without JavaScript.
And the flat movie card says what its partials say."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from movies import selectors
from movies.models import Movie

from .factories import GenreFactory, MovieFactory
from .images import image_upload

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def row_url(row_id: str) -> str:
    return reverse("movies:home_row", args=[row_id])


def card_ids(page: str) -> list[str]:
    return re.findall(r'<article class="card movie-card[^"]*" id="([^"]+)"', page)


@pytest.fixture
def drama():
    return GenreFactory(name="Drama")


def test_rows_below_the_fold_are_placeholders_that_load_when_scrolled_to(client, drama):
    movie = MovieFactory(title="Heat", genres=[drama], members_rating_count=1)
    page = client.get(reverse("movies:home")).content.decode()

    # Inline: the cards of the first row (one row is above the fold on a phone).
    assert card_ids(page) == [f"top-rated-movie-{movie.pk}"]
    for row in ("recent", "popular", f"{drama.pk}-genre"):
        url = row_url(row)
        # Heading and "See all" at once; the cards come from the row's URL, once, when
        # the placeholder scrolls into view, and replace it.
        assert re.search(rf'<h2 id="row-{row}" class="h4 mb-0">', page)
        assert (
            f'<div class="movie-rail movie-rail--pending" data-row="{row}" hx-get="{url}" '
            'hx-trigger="intersect once" hx-swap="outerHTML">'
        ) in page
        # Without JavaScript the placeholder is a link to the row as a page of its own.
        assert re.search(rf'<a class="movie-rail__load" href="{url}">Show the movies', page)
    assert f'href="{reverse("movies:list")}?genre=Drama" class="small">See all' in page


def test_a_genre_row_is_the_genres_best_rated_twelve(client, drama):
    other = GenreFactory(name="Comedy")
    for n in range(14):
        MovieFactory(title=f"Drama {n:02}", rating=Decimal(n % 5), genres=[drama])
    MovieFactory(title="Elsewhere", rating=Decimal("5.0"), genres=[other])

    fragment = client.get(row_url(f"{drama.pk}-genre"), **HTMX).content.decode()

    titles = re.findall(
        r'class="stretched-link movie-card__link" href="[^"]+">([^<]+)</a>', fragment
    )
    expected = sorted(
        (f"Drama {n:02}" for n in range(14)), key=lambda t: (int(t[-2:]) % 5, t), reverse=True
    )[:12]
    assert titles == expected  # best rated first, ties by id (newest created first)
    assert "Elsewhere" not in fragment
    assert all(card.startswith(f"{drama.pk}-genre-movie-") for card in card_ids(fragment))


def test_the_popular_row_is_the_most_rated_by_members(client):
    MovieFactory(title="Unrated", members_rating_count=0)
    MovieFactory(title="Some", members_rating_count=2)
    MovieFactory(title="Many", members_rating_count=9)
    fragment = client.get(row_url("popular"), **HTMX).content.decode()
    assert re.findall(r'movie-card__link" href="[^"]+">([^<]+)</a>', fragment) == ["Many", "Some"]


def test_htmx_gets_the_rows_cards_and_anything_else_the_whole_page(client, drama):
    MovieFactory(title="Heat", genres=[drama])
    url = row_url(f"{drama.pk}-genre")

    fragment = client.get(url, **HTMX)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert body.lstrip().startswith('<ul class="movie-rail list-unstyled mb-0">')
    assert "<html" not in body
    assert "<h1" not in body
    assert "Heat" in body

    for headers in ({}, {**HTMX, "HTTP_HX_BOOSTED": "true"}):
        page = client.get(url, **headers).content.decode()
        assert "<html" in page
        assert re.search(rf'<h1 id="row-{drama.pk}-genre" class="h2 mb-0">Drama</h1>', page)
        assert f'href="{reverse("movies:genre_detail", args=[drama.pk])}">All Drama movies' in page
        assert "Heat" in page
    assert "HX-Request" in fragment["Vary"]


@pytest.mark.parametrize(
    "row", ["nope", "0-genre", "012-genre", "999-genre", "99999999999999999999999-genre", "-genre"]
)
def test_a_row_that_does_not_exist_is_a_404(client, drama, row):
    MovieFactory(genres=[drama])
    assert client.get(row_url(row)).status_code == 404
    assert client.get(row_url(row), **HTMX).status_code == 404


def test_a_row_is_only_read(client, drama):
    assert client.post(row_url("top-rated")).status_code == 405


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_rows_buttons_come_back_to_the_page_it_is_shown_in(client, user, drama, logged_in):
    movie = MovieFactory(title="Heat", genres=[drama])
    if logged_in:
        client.force_login(user)
    url = row_url(f"{drama.pk}-genre")
    anchor = f"{drama.pk}-genre-movie-{movie.pk}"
    fragment = client.get(url, **HTMX).content.decode()  # inside the home page
    page = client.get(url).content.decode()  # the row's own page, without JavaScript
    if logged_in:
        assert f'name="next" value="/#{anchor}"' in fragment
        assert f'name="id_prefix" value="{drama.pk}-genre-"' in fragment
        assert f'name="next" value="{url}#{anchor}"' in page
    else:
        assert f"?next=/%23{anchor}&amp;then=favorites%3A{movie.pk}" in fragment
        assert f"?next={url}%23{anchor}&amp;then=favorites%3A{movie.pk}" in page


# A genre row: the genre, its movies, their genres (+ session, user and the member's marks).
@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize(("logged_in", "queries"), [(False, 3), (True, 6)])
def test_a_row_costs_the_same_number_of_queries_however_many_movies(
    client, user, drama, django_assert_num_queries, count, logged_in, queries
):
    MovieFactory.create_batch(count, genres=[drama, GenreFactory()])
    if logged_in:
        client.force_login(user)
    with django_assert_num_queries(queries):
        response = client.get(row_url(f"{drama.pk}-genre"), **HTMX)
    assert len(card_ids(response.content.decode())) == min(count, 12)


# --- The flat card says what its partials say ---------------------------------------------

PARTIALS = """<article class="card movie-card h-100 shadow-sm" id="{{ id_prefix }}movie-{{ movie.pk }}" aria-labelledby="{{ id_prefix }}movie-{{ movie.pk }}-title">
  <div class="movie-card__poster">{% include "movies/includes/poster.html" %}</div>
  <div class="card-body d-flex flex-column p-3">
    <h3 class="h6 card-title mb-1" id="{{ id_prefix }}movie-{{ movie.pk }}-title">
      <a class="stretched-link movie-card__link" href="{% url 'movies:detail' movie.pk %}">{{ movie.title }}</a>
    </h3>
    <div class="movie-card__meta d-flex align-items-baseline gap-2 small">
      {% if movie.release_date %}<span class="text-body-secondary">{{ movie.release_date|date:"Y" }}</span>{% endif %}
      {% include "movies/includes/rating.html" %}
    </div>
    {% with genres=movie.genres.all %}{% if genres %}<ul class="genre-tags list-unstyled d-flex flex-wrap gap-1 mb-2">{% for genre in genres %}<li class="badge rounded-pill genre-tag">{{ genre.name }}</li>{% endfor %}</ul>{% endif %}{% endwith %}
    <div class="movie-card__actions mt-auto">{% include "movies/includes/movie_actions.html" with card=True %}</div>
  </div>
</article>"""


CARDS = "{% load movie_cards %}{% movie_cards movies marks=marks id_prefix=id_prefix %}"


def _normalized(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("logged_in", [False, True])
@pytest.mark.parametrize("poster", [False, True])
@pytest.mark.parametrize("id_prefix", ["", "top-rated-"])
def test_the_flat_card_renders_what_the_partials_render(user, drama, logged_in, poster, id_prefix):
    movie = MovieFactory(
        title='Heat & "Dust" <1995> ' + "long " * 12,
        rating=Decimal("4.5"),
        genres=[drama, GenreFactory(name="Crime")],
    )
    if poster:
        movie.image = image_upload()
        movie.save()
    other = MovieFactory(title="No Date", release_date=None, rating=Decimal("2.0"))
    request = RequestFactory().get("/genres/7/?page=2")
    request.user = user if logged_in else AnonymousUser()
    # Marks from the users app's tag: every state of every toggle is compared.
    marks = type("Marks", (), {})()
    marks.favorite_ids, marks.watched_ids, marks.watchlist_ids = {movie.pk}, set(), {movie.pk}
    django = engines["django"]
    flats = []
    for shown in (movie, other):
        context = {"movie": shown, "movies": [shown], "marks": marks, "id_prefix": id_prefix}
        flat = django.from_string(CARDS).render(context, request)
        composed = django.from_string(f'<li class="col">{PARTIALS}</li>').render(context, request)
        # The CSRF token is masked afresh for each form: compare everything else.
        token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
        assert token.sub("", _normalized(flat)) == token.sub("", _normalized(composed))
        flats.append(flat)
    # Not a comparison of two empty strings: the card and its states are there.
    assert "Heat &amp; &quot;Dust&quot; &lt;1995&gt;" in flats[0]
    assert ('aria-pressed="true"' in flats[0]) is logged_in
    assert 'aria-pressed="true"' not in flats[1]


def test_the_inline_rows_cards_carry_their_genres_by_name_read_in_one_query(
    client, drama, django_assert_num_queries
):
    crime, action = GenreFactory(name="Crime"), GenreFactory(name="Action")
    both = MovieFactory(title="Both", rating=Decimal("5.0"), genres=[drama, crime, action])
    bare = MovieFactory(title="Bare", rating=Decimal("1.0"))
    with django_assert_num_queries(3):  # the row, its genres, the rows below (popular? genres)
        response = client.get(reverse("movies:home"))
    (row,) = response.context["rows"]["inline"]
    with django_assert_num_queries(0):  # read already
        assert [list(m.card_genres) for m in row.movies] == [[action, crime, drama], []]
    # The relation itself is left alone: asked, it reads the database, never a stale list.
    assert list(row.movies[0].genres.filter(name="Crime")) == [crime]
    page = response.content.decode()
    card = page[
        page.index(f'id="top-rated-movie-{both.pk}"') : page.index(
            f'id="top-rated-movie-{bare.pk}"'
        )
    ]
    assert re.findall(r'<li class="badge rounded-pill genre-tag">([^<]+)</li>', card) == [
        "Action",
        "Crime",
        "Drama",
    ]


def test_a_cards_genres_are_the_prefetched_ones_or_else_read(drama, django_assert_num_queries):
    crime = GenreFactory(name="Crime")
    movie = MovieFactory(genres=[drama, crime])
    with django_assert_num_queries(1):  # not prefetched: read
        assert list(movie.card_genres) == [crime, drama]
    (prefetched,) = Movie.objects.prefetch_related("genres").filter(pk=movie.pk)
    with django_assert_num_queries(0):
        assert sorted(g.name for g in prefetched.card_genres) == ["Crime", "Drama"]


def test_the_inline_row_is_what_its_order_reads_with_the_same_columns(drama):
    for n in range(14):
        MovieFactory(title=f"M{n}", rating=Decimal(n % 5), genres=[drama])
    with_poster = MovieFactory(title="Poster", rating=Decimal("5.0"))
    with_poster.image = image_upload()
    with_poster.save()
    (row,) = selectors.home_rows()["inline"]
    expected = list(selectors._home_row_order("top-rated", None)[:12])
    assert [m.pk for m in row.movies] == [m.pk for m in expected]
    assert row.movies[0].image.url == with_poster.image.url
    assert row.movies[0].poster_dimensions == expected[0].poster_dimensions
    assert [m.get_deferred_fields() for m in row.movies] == [
        m.get_deferred_fields() for m in expected
    ]
