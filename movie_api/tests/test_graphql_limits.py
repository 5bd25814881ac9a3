"""The bounds every GraphQL document meets before it runs: cost, aliases, size,
tokens; over HTTP and in-process, with no SQL for a refused document."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from graphql import get_introspection_query, is_list_type

from core.graphql import check_document, run_document
from movie_api.schema import schema
from movies.tests.factories import ActorFactory, GenreFactory, MovieFactory
from support import catalogue

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# Issue 17: depth 7, no aliases, held a worker for minutes on 100 movies.
ATTACK = (
    "{ allActors { movies { actors { movies { title actors { name movies "
    "{ plotSummary imageUrl } } } } createdAt } } }"
)
ALIASED_PAGE = "m{n}: allMovies(limit: 100) {{ genres {{ name }} actors {{ name }} }}"
FIFTY_ALIASES = "{ " + " ".join(ALIASED_PAGE.format(n=n) for n in range(50)) + " }"
ONE_PAGE = "{ " + ALIASED_PAGE.format(n=0) + " }"
LIMIT_VARIABLE = "query Movies($limit: Int) { allMovies(limit: $limit) { id title } }"
LIMIT_VARIABLE_WITH_DEFAULT = (
    "query Movies($limit: Int = 100) { allMovies(limit: $limit) { id title } }"
)
NESTED_PAGE = '{ genre(id: "1") { movies(limit: 100) { id title } } }'
INTROSPECTION_CYCLE = "{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }"


def errors(response) -> list[dict]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert "data" not in body
    return body["errors"]


def codes(response) -> set[str]:
    return {error.get("extensions", {}).get("code") for error in errors(response)}


# --- Cost -------------------------------------------------------------------------


def test_the_attack_query_of_the_audit_is_refused_before_any_sql(
    graphql, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = graphql(ATTACK)

    [error] = errors(response)
    assert error["message"].startswith("The query is too expensive: it could return ")
    assert error["extensions"]["code"] == "QUERY_TOO_EXPENSIVE"
    assert error["extensions"]["maxCost"] == 50_000
    assert error["extensions"]["cost"] > 50_000


def test_fifty_aliased_pages_are_refused_by_cost_before_any_sql(
    graphql, settings, django_assert_num_queries
):
    settings.GRAPHQL_MAX_ALIASES = 100  # so only the cost refuses it

    with django_assert_num_queries(0):
        response = graphql(FIFTY_ALIASES)

    assert codes(response) == {"QUERY_TOO_EXPENSIVE"}


def test_fifty_aliased_pages_are_refused_with_the_default_settings(
    graphql, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = graphql(FIFTY_ALIASES)

    assert codes(response) == {"QUERY_TOO_EXPENSIVE", "TOO_MANY_ALIASES"}


def test_one_page_of_movies_with_their_genres_and_actors_runs(graphql):
    MovieFactory(genres=[GenreFactory()], actors=[ActorFactory()])

    response = graphql(ONE_PAGE)

    assert response.status_code == 200
    assert len(response.json()["data"]["m0"]) == 1


def test_the_cost_counts_a_limit_given_by_a_variable(graphql, settings):
    # allMovies(limit: n) { id title } costs 1 + 2n.
    settings.GRAPHQL_MAX_COST = 1 + 2 * 50

    assert graphql(LIMIT_VARIABLE, {"limit": 50}).status_code == 200
    assert codes(graphql(LIMIT_VARIABLE, {"limit": 51})) == {"QUERY_TOO_EXPENSIVE"}


def test_an_omitted_limit_costs_the_default_of_the_variable_or_the_argument(graphql, settings):
    settings.GRAPHQL_MAX_COST = 1 + 2 * 20

    assert graphql(LIMIT_VARIABLE).status_code == 200  # the argument's default, 20
    assert graphql(LIMIT_VARIABLE, {"limit": None}).status_code == 200
    assert codes(graphql(LIMIT_VARIABLE_WITH_DEFAULT)) == {"QUERY_TOO_EXPENSIVE"}


def test_the_cost_counts_the_limit_of_a_nested_page(graphql, settings):
    # genre { movies(limit: 100) { id title } } costs 1 + (1 + 100 * 2).
    settings.GRAPHQL_MAX_COST = 201

    assert codes(graphql(NESTED_PAGE)) == {"QUERY_TOO_EXPENSIVE"}
    settings.GRAPHQL_MAX_COST = 202
    assert graphql(NESTED_PAGE).status_code == 200


def test_fragments_spread_many_times_are_counted_each_time(graphql, settings):
    settings.GRAPHQL_MAX_COST = 3 * (1 + 100 * 2) - 1
    document = (
        "{ allMovies(limit: 100) { ...F } a: allMovies(limit: 100) { ...F } "
        "b: allMovies(limit: 100) { ...F } } fragment F on Movie { id title }"
    )

    [error] = errors(graphql(document))

    assert error["extensions"]["cost"] == 3 * (1 + 100 * 2)


def test_every_list_in_the_schema_is_paginated_or_has_a_stated_size():
    unsized = []
    for type_name, graphql_type in schema.graphql_schema.type_map.items():
        if type_name.startswith("__") or not hasattr(graphql_type, "fields"):
            continue
        for field_name, field in graphql_type.fields.items():
            field_type = getattr(field.type, "of_type", field.type)
            if not is_list_type(field_type) or not hasattr(field, "resolve"):
                continue
            if "limit" in field.args:
                assert isinstance(field.args["limit"].default_value, int), (type_name, field_name)
            elif f"{type_name}.{field_name}" not in schema.list_sizes:
                unsized.append(f"{type_name}.{field_name}")
    assert unsized == []


# --- Introspection ----------------------------------------------------------------


def test_graphiqls_introspection_query_is_within_its_budget(graphql, settings):
    settings.GRAPHQL_INTROSPECTION = True

    response = graphql(get_introspection_query(descriptions=True))

    assert response.status_code == 200
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


def test_an_introspection_query_nesting_types_and_fields_is_refused(graphql, settings):
    settings.GRAPHQL_INTROSPECTION = True

    [error] = errors(graphql(INTROSPECTION_CYCLE))

    assert error["message"].startswith("The introspection query is too expensive")


# --- Aliases, size, tokens --------------------------------------------------------


def test_aliases_are_limited(graphql, settings, django_assert_num_queries):
    settings.GRAPHQL_MAX_ALIASES = 3
    three = "{ a: moviesCount b: moviesCount c: moviesCount }"
    four = "{ a: moviesCount b: moviesCount c: moviesCount d: moviesCount }"

    assert graphql(three).json() == {"data": {"a": 0, "b": 0, "c": 0}}
    with django_assert_num_queries(0):
        [error] = errors(graphql(four))
    assert error == {
        "message": "The query uses too many aliases: 4, at most 3 are allowed.",
        "extensions": {"code": "TOO_MANY_ALIASES"},
    }


def test_a_document_over_the_size_limit_is_refused_unparsed(graphql, settings):
    settings.GRAPHQL_MAX_DOCUMENT_BYTES = 100
    document = "{ moviesCount }" + " " * 86  # 101 bytes

    [error] = errors(graphql(document))

    assert error == {
        "message": "The query is too large: 101 bytes, at most 100 are allowed.",
        "extensions": {"code": "QUERY_TOO_LARGE"},
    }
    assert graphql(document[:-1]).json() == {"data": {"moviesCount": 0}}


def test_the_size_is_counted_in_bytes_not_characters(graphql, settings):
    settings.GRAPHQL_MAX_DOCUMENT_BYTES = 100
    document = "{ moviesCount } # " + "é" * 42  # 60 characters, 102 bytes

    [error] = errors(graphql(document))

    assert error["message"] == "The query is too large: 102 bytes, at most 100 are allowed."


def test_a_document_with_too_many_tokens_is_refused(graphql, settings):
    settings.GRAPHQL_MAX_TOKENS = 10
    document = "{ " + " ".join(["moviesCount"] * 10) + " }"  # 12 tokens

    [error] = errors(graphql(document))

    assert (
        error["message"] == "Syntax Error: Document contains more than 10 tokens. Parsing aborted."
    )
    assert graphql("{ moviesCount }").status_code == 200


# --- In-process (the support app) --------------------------------------------------


def test_in_process_documents_meet_the_same_limits(django_assert_num_queries):
    with django_assert_num_queries(0):
        result = run_document(schema, ATTACK)

    assert result.data is None
    assert [error.extensions["code"] for error in result.errors] == ["QUERY_TOO_EXPENSIVE"]


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (catalogue.ALL_MOVIES_QUERY, {"search": None, "limit": catalogue.MAX_LIMIT}),
        (catalogue.MOVIE_QUERY, {"id": "1"}),
        (catalogue.ALL_GENRES_QUERY, {"name": None}),
        (catalogue.ALL_ACTORS_QUERY, {"name": None}),
    ],
)
def test_the_support_apps_documents_pass_every_limit(document, variables):
    _document, found = check_document(schema, document, variables)

    assert found == []


def test_the_support_app_reads_the_catalogue_through_the_limits(monkeypatch):
    MovieFactory(title="Heat")
    seen = []
    monkeypatch.setattr(
        "core.graphql.check_document",
        lambda *args, **kwargs: seen.append(args[1]) or check_document(*args, **kwargs),
    )

    movies = catalogue.get_catalogue().all_movies(search="heat")

    assert [movie.title for movie in movies] == ["Heat"]
    assert seen == [catalogue.ALL_MOVIES_QUERY]


# --- GraphiQL and introspection: off unless DEBUG ---------------------------------


def test_graphiql_can_be_switched_off(client, settings):
    settings.GRAPHIQL_ENABLED = False

    response = client.get("/graphql/", HTTP_ACCEPT="text/html")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "graphene/graphiql.html" not in [t.name for t in response.templates]


def _graphql_defaults(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GRAPH"))}
    code = (
        "from django.conf import settings; "
        "print(settings.GRAPHIQL_ENABLED, settings.GRAPHQL_INTROSPECTION)"
    )
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_graphiql_and_introspection_are_off_by_default_in_production():
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 20 + "-Zx9#Qw7!pL2@vB5$nM8%rT4^yU6&iO3*",
        "DJANGO_ALLOWED_HOSTS": "movies.example.com",
    }

    assert _graphql_defaults(**production) == "False False"
    assert (  # empty, as in .env.example: the default
        _graphql_defaults(**production, GRAPHIQL_ENABLED="", GRAPHQL_INTROSPECTION="")
        == "False False"
    )
    assert (
        _graphql_defaults(**production, GRAPHIQL_ENABLED="1", GRAPHQL_INTROSPECTION="1")
        == "True True"
    )


@pytest.mark.slow
def test_graphiql_and_introspection_are_on_by_default_in_development():
    assert _graphql_defaults(DJANGO_DEBUG="1") == "True True"
    assert _graphql_defaults(DJANGO_DEBUG="1", GRAPHIQL_ENABLED="") == "True True"


# --- The checks are remembered, never across variables or settings ------------------


@pytest.fixture
def validations(monkeypatch):
    """How many times graphql-core's validation ran (once per rule set)."""
    import core.graphql

    calls = []
    original = core.graphql.validate
    monkeypatch.setattr(
        core.graphql, "validate", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    core.graphql._checked.cache_clear()
    yield calls
    core.graphql._checked.cache_clear()


def test_the_same_document_is_validated_once(validations):
    first = check_document(schema, ONE_PAGE)
    runs = len(validations)
    second = check_document(schema, ONE_PAGE)

    assert runs > 0
    assert len(validations) == runs  # answered from the first check
    assert first == second
    assert first[1] == []


def test_other_variables_are_checked_again(validations, settings):
    settings.GRAPHQL_MAX_COST = 1 + 2 * 50  # the page's cost follows its limit

    assert check_document(schema, LIMIT_VARIABLE, {"limit": 50})[1] == []
    refused = check_document(schema, LIMIT_VARIABLE, {"limit": 51})[1]

    assert [error.extensions["code"] for error in refused] == ["QUERY_TOO_EXPENSIVE"]
    assert check_document(schema, LIMIT_VARIABLE, {"limit": 50})[1] == []


def test_a_changed_limit_is_never_answered_from_an_older_check(validations, settings):
    assert check_document(schema, ONE_PAGE)[1] == []

    settings.GRAPHQL_MAX_COST = 10
    refused = check_document(schema, ONE_PAGE)[1]

    assert [error.extensions["code"] for error in refused] == ["QUERY_TOO_EXPENSIVE"]


def test_refusals_are_remembered_too_and_stay_refusals(validations, client):
    for _ in range(2):
        response = client.post(
            "/graphql/", {"query": FIFTY_ALIASES}, content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_ALIASES"
