"""/graphql/ itself: authentication, CSRF, validation rules, error masking, GraphiQL,
and running documents in-process."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.db import ProgrammingError
from django.test import Client, RequestFactory
from graphql import get_introspection_query
from rest_framework_simplejwt.tokens import AccessToken

from core.graphql import INTERNAL_ERROR_MESSAGE, PERMISSION_DENIED_MESSAGE
from movie_api.schema import schema
from movies.models import Genre
from movies.tests.factories import GenreFactory, MovieFactory

pytestmark = pytest.mark.django_db

CREATE_GENRE = 'mutation { createGenre(name: "Western") { genre { name } } }'
ALL_GENRES = "{ allGenres { name } }"
ALL_MOVIES = "{ allMovies { id title } }"
ALL_MOVIES_WITH_IMAGE = "query Movies($limit: Int) { allMovies(limit: $limit) { title imageUrl } }"
DEPTH_2 = "{ allGenres { movies { title } } }"
DEPTH_3 = "{ allGenres { movies { genres { name } } } }"
DEPTH_3_IN_FRAGMENTS = """
{ allGenres { ...Movies } }
fragment Movies on Genre { movies { ...Genres } }
fragment Genres on Movie { genres { name } }
"""
LIMIT_VARIABLE = "query Movies($limit: Int) { allMovies(limit: $limit) { id } }"
SCHEMA_INTROSPECTION = "{ __schema { queryType { name } } }"
TYPE_INTROSPECTION = '{ __type(name: "Movie") { name } }'
TYPENAME = "{ allGenres { __typename name } }"


def post_json(client: Client, query: str, variables: dict | None = None, **extra):
    return client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **extra,
    )


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}


def first_error(response) -> dict:
    return response.json()["errors"][0]


@pytest.fixture
def csrf_client() -> Client:
    """A browser-like client: CSRF is checked as in production."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def admin_session(csrf_client, admin_user) -> Client:
    csrf_client.force_login(admin_user)
    return csrf_client


def csrf_token(client: Client) -> str:
    """Open GraphiQL as a browser would; the page sets the CSRF cookie."""
    client.get("/graphql/", HTTP_ACCEPT="text/html")
    return client.cookies["csrftoken"].value


# --- Authentication ---------------------------------------------------------------


def test_a_bearer_token_authenticates(client, admin_user):
    response = post_json(client, CREATE_GENRE, **bearer(admin_user))

    assert response.json() == {"data": {"createGenre": {"genre": {"name": "Western"}}}}


@pytest.mark.parametrize("header", ["Bearer not-a-jwt", "Bearer", "Bearer a b"])
def test_a_bad_bearer_token_is_401(client, header):
    response = post_json(client, ALL_GENRES, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert first_error(response)["extensions"] == {"code": "UNAUTHENTICATED"}
    assert "data" not in response.json()


def test_an_expired_token_is_401(client, admin_user):
    token = AccessToken.for_user(admin_user)
    token.set_exp(lifetime=-timedelta(seconds=1))

    response = post_json(client, CREATE_GENRE, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 401
    assert not Genre.objects.exists()


def test_a_deactivated_users_token_is_401(client, admin_user):
    headers = bearer(admin_user)
    admin_user.is_active = False
    admin_user.save()

    response = post_json(client, CREATE_GENRE, **headers)

    assert response.status_code == 401
    assert not Genre.objects.exists()


def test_a_user_token_is_not_an_admin(client, user):
    response = post_json(client, CREATE_GENRE, **bearer(user))

    assert first_error(response)["message"] == PERMISSION_DENIED_MESSAGE


# --- CSRF -------------------------------------------------------------------------


def test_a_session_post_without_the_csrf_token_is_refused(admin_session):
    response = post_json(admin_session, CREATE_GENRE)

    assert response.status_code == 403
    assert first_error(response)["message"].startswith("CSRF Failed: ")
    assert not Genre.objects.exists()


def test_a_session_post_with_the_csrf_token_runs(admin_session):
    token = csrf_token(admin_session)

    response = post_json(admin_session, CREATE_GENRE, HTTP_X_CSRFTOKEN=token)

    assert response.json() == {"data": {"createGenre": {"genre": {"name": "Western"}}}}
    assert Genre.objects.filter(name="Western").exists()


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_session_form_post_without_the_token_is_refused(admin_session, encoding):
    csrf_token(admin_session)  # the cookie alone is what a cross-site form rides
    if encoding == "multipart":
        response = admin_session.post("/graphql/", {"query": CREATE_GENRE})
    else:
        response = admin_session.post(
            "/graphql/",
            urlencode({"query": CREATE_GENRE}),
            content_type="application/x-www-form-urlencoded",
        )

    assert response.status_code == 403
    assert not Genre.objects.exists()


def test_a_session_form_post_carrying_the_token_runs(admin_session):
    token = csrf_token(admin_session)

    response = admin_session.post(
        "/graphql/", {"query": CREATE_GENRE, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 200
    assert Genre.objects.filter(name="Western").exists()


def test_a_session_post_with_the_query_in_the_url_is_refused(admin_session):
    """The classic hole: a text/plain cross-site POST to /graphql/?query=mutation..."""
    csrf_token(admin_session)

    response = admin_session.post(
        f"/graphql/?{urlencode({'query': CREATE_GENRE})}", "", content_type="text/plain"
    )

    assert response.status_code == 403
    assert not Genre.objects.exists()


def test_a_cross_origin_post_is_refused_even_with_a_token(admin_session):
    token = csrf_token(admin_session)

    response = post_json(
        admin_session, CREATE_GENRE, HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN="https://evil.example"
    )

    assert response.status_code == 403
    assert not Genre.objects.exists()


def test_a_bearer_post_needs_no_csrf_token(csrf_client, admin_user):
    response = post_json(csrf_client, CREATE_GENRE, **bearer(admin_user))

    assert response.status_code == 200
    assert Genre.objects.filter(name="Western").exists()


def test_a_bearer_token_wins_over_a_session_cookie(csrf_client, user, admin_user):
    csrf_client.force_login(user)

    response = post_json(csrf_client, CREATE_GENRE, **bearer(admin_user))

    assert response.status_code == 200
    assert Genre.objects.filter(name="Western").exists()


def test_an_anonymous_post_needs_no_csrf_token(csrf_client):
    GenreFactory(name="Drama")

    response = post_json(csrf_client, ALL_GENRES)

    assert response.json() == {"data": {"allGenres": [{"name": "Drama"}]}}


def test_a_session_get_query_needs_no_token(admin_session):
    GenreFactory(name="Drama")

    response = admin_session.get("/graphql/", {"query": ALL_GENRES}, HTTP_ACCEPT="application/json")

    assert response.json() == {"data": {"allGenres": [{"name": "Drama"}]}}


def test_a_mutation_cannot_run_over_get(client, admin_user):
    response = client.get(
        "/graphql/", {"query": CREATE_GENRE}, HTTP_ACCEPT="application/json", **bearer(admin_user)
    )

    assert response.status_code == 405
    assert not Genre.objects.exists()


# --- Validation rules -------------------------------------------------------------


def test_queries_deeper_than_the_limit_are_refused(graphql, settings):
    settings.GRAPHQL_MAX_DEPTH = 2  # graphene's count: the root field's children are 1 deep
    MovieFactory(genres=[GenreFactory()])

    allowed = graphql(DEPTH_2)
    refused = graphql(DEPTH_3)
    refused_through_fragments = graphql(DEPTH_3_IN_FRAGMENTS)

    assert allowed.status_code == 200
    assert "errors" not in allowed.json()
    for response in (refused, refused_through_fragments):
        assert response.status_code == 400
        [error] = response.json()["errors"]
        assert error["message"] == "'anonymous' exceeds maximum operation depth of 2."
        assert "data" not in response.json()


def test_the_default_depth_limit_is_7(graphql):
    seven = (
        '{ movie(id: "1") { genres { movies(limit: 1) { genres { movies(limit: 1) '
        "{ genres { movies(limit: 1) { id } } } } } } } }"
    )
    eight = (
        '{ movie(id: "1") { genres { movies(limit: 1) { genres { movies(limit: 1) '
        "{ genres { movies(limit: 1) { genres { id } } } } } } } } }"
    )

    assert graphql(seven).status_code == 200
    assert (
        first_error(graphql(eight))["message"]
        == "'anonymous' exceeds maximum operation depth of 7."
    )


def test_an_unknown_fragment_is_a_validation_error_not_a_crash(graphql, caplog):
    """graphene's depth walker raises KeyError on it; the standard rules run first."""
    with caplog.at_level(logging.ERROR, logger="core.graphql"):
        response = graphql("{ allGenres { movies { ...Nope } } }")

    assert response.status_code == 400
    assert first_error(response)["message"] == "Unknown fragment 'Nope'."
    assert not caplog.records


def test_introspection_is_not_counted_so_graphiql_can_load_the_schema(graphql, settings):
    settings.GRAPHQL_MAX_DEPTH = 1

    response = graphql(get_introspection_query())

    assert response.status_code == 200
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ allMovies { budget } }", "Cannot query field 'budget' on type 'Movie'."),
        ("{ allGenres { ...Nope } }", "Unknown fragment 'Nope'."),
        (
            "{ allGenres { ...A } } fragment A on Genre { movies { genres { ...A } } }",
            "Cannot spread fragment 'A' within itself.",
        ),
    ],
)
def test_standard_validation_still_applies(graphql, query, message):
    response = graphql(query)

    assert response.status_code == 400
    assert message in [error["message"] for error in response.json()["errors"]]


def test_a_literal_limit_over_the_cap_is_refused_before_running(
    graphql, settings, django_assert_num_queries
):
    settings.GRAPHQL_MAX_LIMIT = 5

    with django_assert_num_queries(0):
        response = graphql("{ allMovies(limit: 6) { id } }")

    assert response.status_code == 400
    assert first_error(response)["message"] == "limit: Ensure this value is between 0 and 5."


def test_a_limit_variable_over_the_cap_is_refused(graphql, settings):
    settings.GRAPHQL_MAX_LIMIT = 5
    for _ in range(6):
        MovieFactory()

    allowed = graphql(LIMIT_VARIABLE, {"limit": 5})
    refused = graphql(LIMIT_VARIABLE, {"limit": 6})

    assert len(allowed.json()["data"]["allMovies"]) == 5
    assert first_error(refused)["message"] == "limit: Ensure this value is between 0 and 5."
    assert refused.json()["data"] is None


@pytest.mark.parametrize("query", [SCHEMA_INTROSPECTION, TYPE_INTROSPECTION])
def test_introspection_can_be_switched_off(graphql, settings, query):
    settings.GRAPHQL_INTROSPECTION = False

    response = graphql(query)

    assert response.status_code == 400
    assert "introspection is disabled" in first_error(response)["message"]


def test_typename_still_works_without_introspection(graphql, settings):
    settings.GRAPHQL_INTROSPECTION = False
    GenreFactory(name="Drama")

    response = graphql(TYPENAME)

    assert response.json() == {"data": {"allGenres": [{"__typename": "Genre", "name": "Drama"}]}}


def test_introspection_can_be_switched_on(graphql, settings):
    settings.GRAPHQL_INTROSPECTION = True

    assert graphql(SCHEMA_INTROSPECTION).json() == {
        "data": {"__schema": {"queryType": {"name": "Query"}}}
    }


# --- Error masking ----------------------------------------------------------------

SECRET = 'relation "secret" does not exist LINE 1: SELECT password FROM auth_user'


@pytest.mark.parametrize("debug", [False, True])
def test_a_resolver_failure_is_logged_not_shown(graphql, monkeypatch, settings, caplog, debug):
    settings.DEBUG = debug

    def broken(**kwargs):
        raise ProgrammingError(SECRET)

    monkeypatch.setattr("movies.selectors.movie_list", broken)

    with caplog.at_level(logging.ERROR, logger="core.graphql"):
        response = graphql(ALL_MOVIES)

    assert response.status_code == 200
    assert response.json() == {
        "errors": [
            {
                "message": INTERNAL_ERROR_MESSAGE,
                "locations": [{"line": 1, "column": 3}],
                "path": ["allMovies"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ],
        "data": None,
    }
    for leak in (b"SELECT", b"secret", b"Traceback", b"ProgrammingError"):
        assert leak not in response.content
    [record] = caplog.records
    assert record.exc_info[1].args == (SECRET,)


def test_a_failing_mutation_is_masked_too(graphql, admin_user, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr("movies.services.genre_create", broken)

    with caplog.at_level(logging.ERROR, logger="core.graphql"):
        response = graphql(CREATE_GENRE, user=admin_user)

    assert first_error(response)["message"] == INTERNAL_ERROR_MESSAGE
    assert b"SELECT" not in response.content
    assert SECRET in caplog.text


def test_a_failure_outside_the_resolvers_is_masked(graphql, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr("graphene_django.views.execute", broken)

    with caplog.at_level(logging.ERROR, logger="core.graphql"):
        response = graphql(ALL_MOVIES)

    assert response.json()["errors"] == [
        {"message": INTERNAL_ERROR_MESSAGE, "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
    ]
    assert SECRET in caplog.text


def test_bad_json_is_a_plain_400(client):
    response = client.post("/graphql/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert first_error(response)["message"] == "POST body sent invalid JSON."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"query": 1}, "The query must be a string."),
        ({"query": ["{ allMovies { id } }"]}, "The query must be a string."),
        ({"query": "{ allMovies { id } }", "variables": [1]}, "Variables must be a JSON object."),
        (
            {"query": "{ allMovies { id } }", "operationName": 5},
            "The operationName must be a string.",
        ),
    ],
)
def test_a_body_of_the_wrong_shape_is_a_plain_400_not_a_logged_error(client, caplog, body, message):
    with caplog.at_level(logging.ERROR, logger="core.graphql"):
        response = client.post("/graphql/", body, content_type="application/json")

    assert response.status_code == 400
    assert first_error(response)["message"] == message
    assert not caplog.records


# --- GraphiQL ---------------------------------------------------------------------


def test_graphiql_loads_only_the_projects_static_files(client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")

    html = response.content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert response.status_code == 200
    assert "graphene/graphiql.html" in [template.name for template in response.templates]
    assert len(assets) == 11  # favicon, 2 stylesheets, 8 scripts (one holds the settings)
    for asset in assets:
        if asset == "data:,":  # no favicon request
            continue
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)
    assert "jsdelivr" not in html


def test_graphiql_gets_the_csrf_token(client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")

    assert "csrftoken" in response.cookies
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_a_json_get_runs_a_query(client):
    GenreFactory(name="Drama")

    response = client.get("/graphql/", {"query": ALL_GENRES}, HTTP_ACCEPT="application/json")

    assert response.json() == {"data": {"allGenres": [{"name": "Drama"}]}}


# --- In-process execution (the support app) ---------------------------------------


def test_schema_executes_in_process_without_a_request():
    MovieFactory(title="Doubt", image="movies/doubt.png")

    result = schema.execute(ALL_MOVIES_WITH_IMAGE, variables={"limit": 5})

    assert result.errors is None
    assert result.data == {"allMovies": [{"title": "Doubt", "imageUrl": "/media/movies/doubt.png"}]}


def test_schema_executes_in_process_with_a_request_like_context():
    MovieFactory(title="Doubt", image="movies/doubt.png")
    context = RequestFactory().get("/")
    context.user = AnonymousUser()

    result = schema.execute(ALL_MOVIES_WITH_IMAGE, context_value=context)

    assert result.data == {
        "allMovies": [{"title": "Doubt", "imageUrl": "http://testserver/media/movies/doubt.png"}]
    }


@pytest.mark.parametrize(
    "context", [None, SimpleNamespace(), SimpleNamespace(user=AnonymousUser())]
)
def test_in_process_mutations_are_refused_without_an_admin(context):
    result = schema.execute(CREATE_GENRE, context_value=context)

    assert [error.message for error in result.errors] == [PERMISSION_DENIED_MESSAGE]
    assert not Genre.objects.exists()


def test_in_process_mutations_run_for_an_admin(admin_user):
    result = schema.execute(CREATE_GENRE, context_value=SimpleNamespace(user=admin_user))

    assert result.errors is None
    assert Genre.objects.filter(name="Western").exists()
