"""The catalogue client: the same GraphQL documents in-process and over HTTP, and every
way the HTTP transport can fail becoming ``CatalogueUnavailable``."""

from __future__ import annotations

from decimal import Decimal

import pytest
import requests
import responses

from movies.tests.factories import ActorFactory, GenreFactory, MovieFactory
from support import catalogue
from support.catalogue import (
    CatalogueClient,
    CatalogueItem,
    CatalogueUnavailable,
    HttpTransport,
    LocalTransport,
    get_catalogue,
)

BAD_DOCUMENT = "query { noSuchField }"


@pytest.fixture
def films(db):
    drama = GenreFactory(name="Drama")
    comedy = GenreFactory(name="Comedy")
    meryl = ActorFactory(name="Meryl Streep")
    tom = ActorFactory(name="Tom Hanks")
    harbour = MovieFactory(
        title="The Quiet Harbour",
        plot_summary="Fishermen wait out a storm.",
        rating=Decimal("4.5"),
        genres=[drama],
        actors=[meryl, tom],
    )
    storm = MovieFactory(
        title="After the Storm", plot_summary="A harbour town rebuilds.", genres=[comedy]
    )
    MovieFactory(title="Zebra Crossing", plot_summary="Nothing of the sea.")
    return {"harbour": harbour, "storm": storm, "drama": drama, "comedy": comedy}


def check_client_reads_the_catalogue(client: CatalogueClient, films) -> None:
    """What both transports must answer alike for the same data."""
    found = client.all_movies(search="harbour")
    assert [movie.title for movie in found] == ["After the Storm", "The Quiet Harbour"]
    assert found[1].id == films["harbour"].pk
    assert found[1].rating == 4.5

    assert [movie.title for movie in client.all_movies(limit=2)] == [
        "After the Storm",
        "The Quiet Harbour",
    ]
    assert len(client.all_movies()) == 3

    movie = client.movie(films["harbour"].pk)
    assert movie.id == films["harbour"].pk
    assert movie.title == "The Quiet Harbour"
    assert movie.plot_summary == "Fishermen wait out a storm."
    assert [genre.name for genre in movie.genres] == ["Drama"]
    assert [actor.name for actor in movie.actors] == ["Meryl Streep", "Tom Hanks"]
    assert client.movie(999_999) is None
    assert client.movie(str(films["storm"].pk)).title == "After the Storm"

    assert client.all_genres() == [
        CatalogueItem(id=films["comedy"].pk, name="Comedy"),
        CatalogueItem(id=films["drama"].pk, name="Drama"),
    ]
    assert [genre.name for genre in client.all_genres(name="dra")] == ["Drama"]
    assert [actor.name for actor in client.all_actors()] == ["Meryl Streep", "Tom Hanks"]
    assert [actor.name for actor in client.all_actors(name="hanks")] == ["Tom Hanks"]


# --- In-process -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_in_process_transport_runs_the_documents_against_our_schema(films):
    check_client_reads_the_catalogue(CatalogueClient(LocalTransport()), films)


def test_without_a_url_the_client_runs_in_process(settings):
    settings.SUPPORT_GRAPHQL_URL = ""
    assert isinstance(get_catalogue().transport, LocalTransport)


def test_with_a_url_the_client_goes_over_http_with_the_configured_timeout(settings):
    settings.SUPPORT_GRAPHQL_URL = "http://catalogue.example/graphql/"
    settings.SUPPORT_GRAPHQL_TIMEOUT = 2.5
    transport = get_catalogue().transport
    assert isinstance(transport, HttpTransport)
    assert transport.url == "http://catalogue.example/graphql/"
    assert transport.timeout == 2.5


@pytest.mark.django_db
def test_in_process_graphql_errors_become_unavailable():
    with pytest.raises(CatalogueUnavailable) as caught:
        LocalTransport().execute(BAD_DOCUMENT, {})
    assert "noSuchField" in caught.value.reason
    assert str(caught.value) == catalogue.UNAVAILABLE_MESSAGE


@pytest.mark.django_db
def test_ids_that_cannot_be_movies_are_none_without_asking(django_assert_num_queries):
    client = CatalogueClient(LocalTransport())
    with django_assert_num_queries(0):
        assert client.movie("abc") is None
        assert client.movie(0) is None
        assert client.movie(None) is None


@pytest.mark.django_db
def test_search_limit_is_kept_within_what_the_catalogue_accepts(films):
    client = CatalogueClient(LocalTransport())
    assert len(client.all_movies(limit=1000)) == 3
    assert len(client.all_movies(limit=0)) == 1


# --- Over HTTP, against a live server ------------------------------------------------------------


@pytest.fixture
def http_client(live_server) -> CatalogueClient:
    return CatalogueClient(HttpTransport(f"{live_server.url}/graphql/", timeout=10))


@pytest.mark.django_db(transaction=True)
def test_http_transport_reads_the_catalogue_from_a_live_server(http_client, films):
    check_client_reads_the_catalogue(http_client, films)


@pytest.mark.django_db(transaction=True)
def test_the_configured_url_is_used_end_to_end(live_server, settings, films):
    settings.SUPPORT_GRAPHQL_URL = f"{live_server.url}/graphql/"
    assert get_catalogue().movie(films["harbour"].pk).title == "The Quiet Harbour"


@pytest.mark.django_db(transaction=True)
def test_graphql_errors_from_the_server_become_unavailable(live_server):
    transport = HttpTransport(f"{live_server.url}/graphql/", timeout=10)
    with pytest.raises(CatalogueUnavailable) as caught:
        transport.execute(BAD_DOCUMENT, {})
    # graphene answers 400 to a document that does not validate; the reason keeps its words.
    assert "HTTP 400" in caught.value.reason
    assert "noSuchField" in caught.value.reason


@pytest.mark.django_db(transaction=True)
def test_a_non_200_answer_becomes_unavailable(live_server):
    client = CatalogueClient(HttpTransport(f"{live_server.url}/no-such-page/", timeout=10))
    with pytest.raises(CatalogueUnavailable) as caught:
        client.all_genres()
    assert "HTTP 404" in caught.value.reason


def test_a_refused_connection_becomes_unavailable(refused_url):
    client = CatalogueClient(HttpTransport(refused_url, timeout=2))
    with pytest.raises(CatalogueUnavailable):
        client.all_movies(search="harbour")


def test_a_server_that_does_not_answer_in_time_becomes_unavailable(silent_url):
    client = CatalogueClient(HttpTransport(silent_url, timeout=0.3))
    with pytest.raises(CatalogueUnavailable) as caught:
        client.movie(1)
    assert "timed out" in caught.value.reason


URL = "http://catalogue.example/graphql/"


@responses.activate
@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (500, {"errors": [{"message": "boom"}]}, "HTTP 500"),
        (503, "Service Unavailable", "HTTP 503"),
        (200, "<html>Sign in first</html>", "not JSON"),
        (200, ["not", "an", "object"], "not a JSON object"),
        (200, {"data": None, "errors": [{"message": "Internal server error."}]}, "GraphQL errors"),
        (200, {"data": None}, "has no data"),
        (200, {"data": {"somethingElse": []}}, "has no 'allMovies'"),
        (200, {"data": {"allMovies": [{"title": "No id"}]}}, "unexpected answer"),
        (200, {"data": {"allMovies": None}}, "unexpected answer"),
    ],
)
def test_odd_answers_become_unavailable(status, body, reason):
    kwargs = {"json": body} if not isinstance(body, str) else {"body": body}
    responses.post(URL, status=status, **kwargs)
    with pytest.raises(CatalogueUnavailable) as caught:
        CatalogueClient(HttpTransport(URL, timeout=1)).all_movies(search="x")
    assert reason in caught.value.reason


@responses.activate
def test_http_transport_posts_the_document_and_variables_with_the_timeout():
    responses.post(URL, json={"data": {"allMovies": [{"id": "7", "title": "T", "rating": 4.0}]}})
    session = requests.Session()
    sent = {}
    original = session.post

    def spy(url, **kwargs):
        sent.update(kwargs)
        return original(url, **kwargs)

    session.post = spy
    movies = CatalogueClient(HttpTransport(URL, timeout=1.5, session=session)).all_movies(
        search="  t  ", limit=5
    )
    assert [(movie.id, movie.title, movie.rating) for movie in movies] == [(7, "T", 4.0)]
    assert sent["timeout"] == 1.5
    assert sent["json"] == {
        "query": catalogue.ALL_MOVIES_QUERY,
        "variables": {"search": "t", "limit": 5},
    }
