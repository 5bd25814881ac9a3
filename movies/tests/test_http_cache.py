"""Anonymous catalogue reads are cached whole (core.http_cache), and never served stale,
as a fragment for a page (or the other way round), or to a caller with credentials."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.utils.http import http_date
from rest_framework_simplejwt.tokens import AccessToken

from core.http_cache import _graphql_is_query
from movies import services

from .factories import GenreFactory, MovieFactory

# Real commits: the catalogue version moves on commit (an on_commit callback), which a
# test wrapped in a rolled-back transaction would never reach.
pytestmark = pytest.mark.django_db(transaction=True)

ALL_MOVIES = "{ allMovies { title } }"


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.HTTP_CACHE = True
    settings.HTTP_CACHE_MAX_AGE = 0


@pytest.fixture
def harbour():
    return MovieFactory(title="The Quiet Harbour", rating=Decimal("4.0"))


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}


def gql(client: Client, query: str, **extra):
    return client.post("/graphql/", {"query": query}, content_type="application/json", **extra)


# --- A write followed by a read never returns the old data ------------------------------


READS = {
    "REST list": lambda c, m: c.get("/api/movies/").content.decode(),
    "REST detail": lambda c, m: c.get(f"/api/movies/{m.pk}/").content.decode(),
    "GraphQL": lambda c, m: gql(c, ALL_MOVIES).content.decode(),
    "home page": lambda c, m: c.get("/").content.decode(),
    "htmx results": lambda c, m: c.get("/", HTTP_HX_REQUEST="true").content.decode(),
    "movie page": lambda c, m: c.get(f"/movies/{m.pk}/").content.decode(),
    "home row, htmx": lambda c, m: c.get(
        "/home/rows/top-rated/", HTTP_HX_REQUEST="true"
    ).content.decode(),
}


@pytest.mark.parametrize("read", list(READS))
def test_a_write_through_rest_is_read_at_once(read, client, harbour, admin_client_api):
    assert "The Quiet Harbour" in READS[read](client, harbour)
    assert "The Quiet Harbour" in READS[read](client, harbour)  # now from the cache

    response = admin_client_api.patch(
        f"/api/movies/{harbour.pk}/", {"title": "Storm Over Lisbon"}, format="json"
    )
    assert response.status_code == 200

    page = READS[read](client, harbour)
    assert "Storm Over Lisbon" in page
    assert "The Quiet Harbour" not in page


@pytest.mark.parametrize("read", ["REST list", "GraphQL", "home page"])
def test_a_write_through_graphql_is_read_at_once(read, client, harbour, admin_user):
    READS[read](client, harbour)
    mutation = 'mutation { createMovie(input: {title: "Brand New"}) { movie { id } } }'
    assert "errors" not in gql(client, mutation, **bearer(admin_user)).json()
    assert "Brand New" in READS[read](client, harbour)


def test_a_service_write_is_read_at_once_and_a_rolled_back_one_changes_nothing(client, harbour):
    drama = GenreFactory(name="Drama")
    assert client.get("/api/movies/genres/").json()["count"] == 1

    services.genre_update(genre=drama, name="Melodrama")
    assert client.get("/api/movies/genres/").json()["results"][0]["name"] == "Melodrama"

    services.movie_delete(movie=harbour)
    assert client.get("/api/movies/").json()["count"] == 0
    assert client.get(f"/api/movies/{harbour.pk}/").status_code == 404


def test_a_cached_read_costs_no_query(client, harbour, django_assert_num_queries):
    client.get("/api/movies/")
    with django_assert_num_queries(0):
        assert client.get("/api/movies/").json()["count"] == 1


def test_with_the_cache_off_every_read_runs(settings, client, harbour, django_assert_num_queries):
    settings.HTTP_CACHE = False
    client.get("/api/movies/")
    with django_assert_num_queries(5):  # count, page, genres, directors, cast
        client.get("/api/movies/")


# --- htmx fragments and whole pages never swap ------------------------------------------


@pytest.mark.parametrize("url", ["/movies/?search=harbour", "/home/rows/top-rated/"])
@pytest.mark.parametrize("first", ["page", "fragment"])
def test_an_htmx_fragment_and_the_whole_page_are_kept_apart(first, url, client, harbour):
    def page():
        return client.get(url).content.decode()

    def fragment():
        return client.get(url, HTTP_HX_REQUEST="true").content.decode()

    order = [page, fragment] if first == "page" else [fragment, page]
    for _ in range(2):  # the second round comes from the cache
        for get in order:
            html = get()
            assert "The Quiet Harbour" in html
            if get is page:
                assert "<html" in html
            else:
                assert "<html" not in html
                assert "<body" not in html


def test_a_boosted_link_and_a_history_restore_get_the_whole_page(client, harbour):
    client.get("/", HTTP_HX_REQUEST="true")  # a fragment in the cache
    for header in ("HTTP_HX_BOOSTED", "HTTP_HX_HISTORY_RESTORE_REQUEST"):
        html = client.get("/", HTTP_HX_REQUEST="true", **{header: "true"}).content.decode()
        assert "<html" in html


# --- Callers with credentials never get an anonymous entry -------------------------------


def test_graphql_callers_with_credentials_never_read_the_anonymous_entry(
    client, user, harbour, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert gql(client, ALL_MOVIES).status_code == 200
    with django_assert_max_num_queries(0):
        gql(client, ALL_MOVIES)  # the anonymous entry

    assert gql(client, ALL_MOVIES, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
    session = Client()
    session.force_login(user)
    for caller, extra in ((client, bearer(user)), (session, {})):
        with CaptureQueriesContext(connection) as queries:
            body = gql(caller, ALL_MOVIES, **extra).json()
        assert body["data"]["allMovies"] == [{"title": "The Quiet Harbour"}]
        assert any("movies_movie" in q["sql"] for q in queries.captured_queries)  # run for them


def test_a_bad_bearer_token_is_refused_not_served_the_cached_list(client, harbour):
    assert client.get("/api/movies/").status_code == 200
    response = client.get("/api/movies/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401


def test_a_session_caller_gets_the_page_rendered_for_them(client, user, harbour):
    anonymous = client.get("/").content.decode()
    assert "Log in" in anonymous
    member = Client()
    member.force_login(user)
    page = member.get("/").content.decode()
    assert "Log out" in page or "alice" in page
    assert page != anonymous


def test_only_graphql_queries_are_stored_never_mutations():
    class Request:
        def __init__(self, body):
            self.body = body

    assert _graphql_is_query(Request(b'{"query": "{ allMovies { id } }"}'))
    assert _graphql_is_query(Request(b'{"query": "query Q { allGenres { id } }"}'))
    assert not _graphql_is_query(Request(b'{"query": "mutation { deleteGenre(id: 1) { ok } }"}'))
    two = b'{"query": "query A { me { username } } mutation B { deleteGenre(id: 1) { ok } }", '
    assert not _graphql_is_query(Request(two + b'"operationName": "B"}'))
    assert _graphql_is_query(Request(two + b'"operationName": "A"}'))
    assert not _graphql_is_query(Request(b"not json"))
    assert not _graphql_is_query(Request(b'[{"query": "{ me { username } }"}]'))


def test_an_anonymous_mutation_is_never_answered_from_the_cache(client, harbour):
    mutation = f'mutation {{ deleteMovie(id: "{harbour.pk}") {{ ok }} }}'
    for _ in range(2):
        body = gql(client, mutation).json()
        assert body["errors"][0]["message"] == "You do not have permission to perform this action."


# --- Each cached page gets its own CSRF token -------------------------------------------


def test_a_cached_page_carries_a_fresh_csrf_token_for_each_visitor(harbour):
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get("/").content.decode()
        token = re.search(r'"X-CSRFToken": "([A-Za-z0-9]{64})"', html).group(1)
        secret = visitor.cookies["csrftoken"].value
        assert _unmask_cipher_token(token) == secret  # this visitor's own cookie
        tokens.append(secret)
    assert tokens[0] != tokens[1]


# --- HTTP semantics --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/movies/", "/api/movies/genres/", "/api/movies/actors/", "/", "/movies/?page=1"]
)
def test_anonymous_reads_carry_etag_last_modified_and_public_cache_control(
    url, client, harbour, settings
):
    settings.HTTP_CACHE_MAX_AGE = 30
    response = client.get(url)
    assert response.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{40}"', response["ETag"])
    assert response["Last-Modified"]
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"public", "max-age=30"}
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"authorization", "cookie", "hx-request"} <= vary


def test_if_none_match_gets_304_until_a_write(client, harbour, django_assert_num_queries):
    etag = client.get("/api/movies/")["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/api/movies/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag

    services.movie_update(movie=harbour, title="Changed")
    response = client.get("/api/movies/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_the_etag_is_the_requests_own(client, harbour):
    one = client.get("/api/movies/")["ETag"]
    assert client.get("/api/movies/?page_size=5")["ETag"] != one
    assert client.get("/", HTTP_HX_REQUEST="true")["ETag"] != client.get("/")["ETag"]
    response = client.get("/api/movies/?page_size=5", HTTP_IF_NONE_MATCH=one)
    assert response.status_code == 200


def test_if_modified_since_gets_304_until_a_write(client, harbour):
    last_modified = client.get(f"/api/movies/{harbour.pk}/")["Last-Modified"]
    response = client.get(f"/api/movies/{harbour.pk}/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304

    services.movie_update(movie=harbour, title="Changed")  # within the same second
    response = client.get(f"/api/movies/{harbour.pk}/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200
    assert response.json()["title"] == "Changed"
    assert response["Last-Modified"] != last_modified


def test_an_old_if_modified_since_gets_the_page(client, harbour):
    response = client.get("/", HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert response.status_code == 200


def test_a_caller_with_credentials_gets_private_and_a_304_on_the_same_body(client, user, harbour):
    headers = bearer(user)
    response = client.get("/api/movies/", **headers)
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Last-Modified" not in response
    again = client.get("/api/movies/", HTTP_IF_NONE_MATCH=response["ETag"], **headers)
    assert again.status_code == 304

    member = Client()
    member.force_login(user)
    page = member.get("/")
    assert "private" in page["Cache-Control"]
    assert member.get("/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
    vary = {v.strip().lower() for v in page["Vary"].split(",")}
    assert {"authorization", "cookie", "hx-request"} <= vary


def test_writes_are_not_cached_and_carry_no_catalogue_etag(admin_client_api):
    response = admin_client_api.post("/api/movies/", {"title": "New"}, format="json")
    assert response.status_code == 201
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_suggestions_are_cached_and_never_stale(client):
    movie = MovieFactory(title="Harbour Lights")
    url = "/api/movies/suggest/?q=harbour"
    assert [m["title"] for m in client.get(url).json()] == ["Harbour Lights"]
    assert [m["title"] for m in client.get(url).json()] == ["Harbour Lights"]  # cached

    services.movie_update(movie=movie, title="Harbour Nights")
    assert [m["title"] for m in client.get(url).json()] == ["Harbour Nights"]
