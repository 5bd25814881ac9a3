"""Search (``?search=``) and suggestions, on SQLite and PostgreSQL.

Ranking details, phrases, ``-word`` and typos are PostgreSQL features: those tests
say so with an explicit ``skipif`` on the database vendor.
"""

from __future__ import annotations

import pytest
from django.db import connection

from movies import selectors, services
from movies.search import fold, parse, tsquery_text
from movies.tests.factories import MovieFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search feature"
)

HOSTILE = [
    "&|!():*'\"\\",
    "-",
    "--",
    '"',
    "'",
    "!",
    "a" * 1000,
    "harbour " * 125,
    "x\x00y",
    "\x00",
    "🎬🍿 harbour",
    "שלום עולם",
    "مرحبا",
    "'; DROP TABLE movies_movie; --",
    "1' OR '1'='1",
    "harbour:* | quiet",
    "!(harbour)",
    "<-> <1> :A*B",
    "%_\\%",
    '"unclosed phrase',
    '-"" - -- "-"',
]


def titles(response) -> list[str]:
    return [movie["title"] for movie in response.json()["results"]]


@pytest.fixture
def catalogue():
    MovieFactory(title="Reykjavík Nights", plot_summary="Snow over the bay.")
    MovieFactory(title="The Quiet Harbour", plot_summary="A keeper waits for ships.")
    MovieFactory(title="Ships", plot_summary="A quiet harbour story about an old keeper.")
    MovieFactory(title="Desert Run", plot_summary="Nothing but sand.")


# --- parsing ----------------------------------------------------------------------------


def test_fold_drops_case_and_accents():
    assert fold("Reykjavík ŒUVRE Straße Ørsted") == "reykjavik oeuvre strasse orsted"


def test_parse_takes_operators_as_separators_and_builds_safe_prefix_queries():
    query = parse("harb&qu|ie!t (x):* 'o'")
    assert [term.words for term in query.include] == [["harb", "qu", "ie", "t"], ["x"], ["o"]]
    text = tsquery_text(query)
    assert text == "('harb':* & 'qu':* & 'ie':* & 't':*) & ('x':*) & ('o':*)"


def test_parse_phrases_and_exclusions():
    query = parse('"quiet harbour" -storm -"old keeper" -')
    assert [(term.words, term.phrase) for term in query.include] == [(["quiet", "harbour"], True)]
    assert [(term.words, term.phrase) for term in query.exclude] == [
        (["storm"], False),
        (["old", "keeper"], True),
    ]
    assert tsquery_text(query, weight="A", with_exclude=False) == "('quiet':*A <-> 'harbour':*A)"


def test_parse_bounds_the_number_of_words():
    assert sum(len(term.words) for term in parse("w " * 500).include) == 32


def test_a_query_without_a_word_to_find_is_empty():
    assert not parse("&|!-")
    assert not parse("-storm")


# --- search through the API (both databases) -------------------------------------------


def test_search_finds_the_start_of_a_word_ignoring_case_and_accents(api_client, catalogue):
    for text in ("reykjav", "REYKJAVIK", "reykjavík", "nigh"):
        assert titles(api_client.get("/api/movies/", {"search": text})) == ["Reykjavík Nights"]


def test_every_word_must_be_found_in_the_title_or_the_plot(api_client, catalogue):
    found = titles(api_client.get("/api/movies/", {"search": "quiet keeper"}))
    assert sorted(found) == ["Ships", "The Quiet Harbour"]
    assert titles(api_client.get("/api/movies/", {"search": "quiet sand"})) == []


def test_title_matches_come_before_plot_matches_unless_ordered(api_client):
    MovieFactory(title="Harbour Lights", plot_summary="Boats.")
    # The plot match is newer, so the default order (newest first) would put it first.
    MovieFactory(title="Alpha", plot_summary="A harbour at night.")
    assert titles(api_client.get("/api/movies/", {"search": "harbour"})) == [
        "Harbour Lights",
        "Alpha",
    ]
    ordered = api_client.get("/api/movies/", {"search": "harbour", "ordering": "title"})
    assert titles(ordered) == ["Alpha", "Harbour Lights"]


def test_search_combines_with_the_other_filters_and_counts(api_client, catalogue):
    response = api_client.get("/api/movies/", {"search": "harbour", "title": "ships"})
    assert response.json()["count"] == 1
    assert titles(response) == ["Ships"]


@pytest.mark.parametrize("text", HOSTILE)
def test_any_text_is_a_query_never_an_error(api_client, graphql, catalogue, text):
    response = api_client.get("/api/movies/", {"search": text})
    assert response.status_code == 200, response.content
    found = titles(response)
    if text.replace("\x00", " ").strip():
        assert "Desert Run" not in found
    else:  # a NUL is a separator: nothing but separators is no search at all
        assert len(found) == 4
    result = graphql(
        "query($s: String) { allMovies(search: $s) { title } moviesCount(search: $s) }",
        {"s": text},
    ).json()
    assert "errors" not in result, result
    assert result["data"]["moviesCount"] == len(result["data"]["allMovies"])
    page = api_client.get("/movies/", {"search": text})
    assert page.status_code == 200
    assert b"Desert Run" not in page.content or not text.replace("\x00", " ").strip()
    fragment = api_client.get("/movies/", {"search": text}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    suggestions = api_client.get("/api/movies/suggest/", {"q": text})
    assert suggestions.status_code == 200, suggestions.content
    assert isinstance(suggestions.json(), list)


def test_hostile_text_around_a_real_word_still_finds_it(api_client, catalogue):
    for text in ("harbour&|!", "(harbour)", "'harbour'", "harbour:*", "🎬harbour"):
        assert "The Quiet Harbour" in titles(api_client.get("/api/movies/", {"search": text}))


def test_an_unknown_ordering_stays_a_400_naming_it(api_client, catalogue):
    response = api_client.get("/api/movies/", {"search": "harbour", "ordering": "plot"})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_the_home_page_searches_the_same_way(client, catalogue):
    page = client.get("/movies/", {"search": "reykjav"}).content.decode()
    assert "Reykjavík Nights" in page
    assert "The Quiet Harbour" not in page


# --- PostgreSQL: phrases, exclusions, word starts ----------------------------------------


@postgres_only
def test_postgres_matches_word_starts_not_the_middle_of_words(api_client, catalogue):
    assert titles(api_client.get("/api/movies/", {"search": "arbour"})) == []


@postgres_only
def test_postgres_takes_quoted_phrases(api_client, catalogue):
    assert titles(api_client.get("/api/movies/", {"search": '"quiet harbour"'})) == [
        "The Quiet Harbour",
        "Ships",
    ]
    assert titles(api_client.get("/api/movies/", {"search": '"harbour quiet"'})) == []


@postgres_only
def test_postgres_excludes_minus_words(api_client, catalogue):
    assert titles(api_client.get("/api/movies/", {"search": "quiet -old"})) == ["The Quiet Harbour"]


@postgres_only
def test_postgres_ranks_a_title_with_more_query_words_higher(api_client):
    MovieFactory(title="Harbour", plot_summary="quiet quiet")
    MovieFactory(title="Quiet Harbour", plot_summary="")
    found = titles(api_client.get("/api/movies/", {"search": "quiet harbour"}))
    assert found == ["Quiet Harbour", "Harbour"]


# --- suggestions ---------------------------------------------------------------------------


def test_suggestions_need_two_characters(api_client, catalogue):
    assert api_client.get("/api/movies/suggest/", {"q": "r"}).json() == []
    assert api_client.get("/api/movies/suggest/", {"q": " r  "}).json() == []
    assert api_client.get("/api/movies/suggest/").json() == []


def test_suggestions_put_title_starts_first_then_word_starts(api_client):
    inside = MovieFactory(title="The Godfather", rating="4.9")
    start = MovieFactory(title="Godzilla", rating="2.0")
    MovieFactory(title="Plot only", plot_summary="A godfather.")
    response = api_client.get("/api/movies/suggest/", {"q": "GOD"})
    assert response.status_code == 200
    assert response.json() == [
        {"id": start.pk, "title": "Godzilla", "year": None, "image": None},
        {"id": inside.pk, "title": "The Godfather", "year": None, "image": None},
    ]


def test_suggestions_fold_accents(api_client, catalogue):
    assert [
        m["title"] for m in api_client.get("/api/movies/suggest/", {"q": "reykjav"}).json()
    ] == ["Reykjavík Nights"]


def test_suggestions_limit_defaults_to_8_and_is_capped_at_20(api_client):
    for n in range(25):
        MovieFactory(title=f"Harbour {n:02}")
    assert len(api_client.get("/api/movies/suggest/", {"q": "harb"}).json()) == 8
    assert len(api_client.get("/api/movies/suggest/", {"q": "harb", "limit": 3}).json()) == 3
    assert len(api_client.get("/api/movies/suggest/", {"q": "harb", "limit": 500}).json()) == 20
    huge = {"q": "harb", "limit": "9" * 30}
    assert len(api_client.get("/api/movies/suggest/", huge).json()) == 20


@pytest.mark.parametrize("limit", ["0", "-1", "x", "1.5"])
def test_a_bad_suggestion_limit_is_a_400_naming_it(api_client, limit):
    response = api_client.get("/api/movies/suggest/", {"q": "harb", "limit": limit})
    assert response.status_code == 400
    assert "limit" in response.json()


def test_suggestions_show_the_poster_as_an_absolute_url(api_client, catalogue):
    movie = MovieFactory(title="Poster Child", image="movies/p.png")
    assert api_client.get("/api/movies/suggest/", {"q": "poster"}).json() == [
        {
            "id": movie.pk,
            "title": "Poster Child",
            "year": None,
            "image": "http://testserver/media/movies/p.png",
        }
    ]


def test_suggestions_are_public_for_every_caller(
    api_client, user_client, other_client, admin_client_api, catalogue
):
    for client in (api_client, user_client, other_client, admin_client_api):
        response = client.get("/api/movies/suggest/", {"q": "ships"})
        assert response.status_code == 200
        assert [m["title"] for m in response.json()] == ["Ships"]


def test_suggestions_refuse_writes(admin_client_api):
    assert admin_client_api.post("/api/movies/suggest/", {"q": "x"}).status_code == 405


def test_a_full_list_of_suggestions_prepares_no_further_step(api_client, django_assert_num_queries):
    for n in range(8):
        MovieFactory(title=f"Harbour {n}")
    with django_assert_num_queries(1):  # titles starting with the text: nothing more
        assert len(api_client.get("/api/movies/suggest/", {"q": "harb"}).json()) == 8


def test_suggestions_take_a_constant_number_of_queries(api_client, django_assert_max_num_queries):
    for n in range(20):
        MovieFactory(title=f"Harbour {n}")
    with django_assert_max_num_queries(3):
        assert len(api_client.get("/api/movies/suggest/", {"q": "harb", "limit": 20}).json()) == 20


@postgres_only
def test_postgres_suggests_titles_a_typo_away(api_client):
    movie = MovieFactory(title="The Godfather")
    MovieFactory(title="Desert Run")
    assert [m["id"] for m in api_client.get("/api/movies/suggest/", {"q": "godfathr"}).json()] == [
        movie.pk
    ]


@postgres_only
def test_postgres_corrects_each_word_against_the_title_words(api_client):
    keeper = MovieFactory(title="The Lighthouse Keeper", rating="3.0")
    lighthouse = MovieFactory(title="Lighthouse", rating="4.0")
    MovieFactory(title="Silver Light", rating="5.0")  # "light" is like "lighthose", less so
    MovieFactory(title="Desert Run", plot_summary="A lighthouse keeper.")

    def suggest(q: str) -> list[int]:
        return [m["id"] for m in api_client.get("/api/movies/suggest/", {"q": q}).json()]

    assert suggest("lighthose kepper") == [keeper.pk]  # both words corrected
    assert suggest("lighthose") == [lighthouse.pk, keeper.pk]  # best rated first
    assert suggest("the lighthose") == [keeper.pk]  # "the" as typed, a word start
    # A renamed title brings its words (a trigger keeps the words table, whoever writes).
    services.movie_update(movie=lighthouse, title="Marmalade Sky")
    assert suggest("marmelade") == [lighthouse.pk]
    assert suggest("zzqxw") == []


SUGGESTIONS = "query($q: String!, $limit: Int) { searchSuggestions(q: $q, limit: $limit) { id title genres { name } } }"


def test_graphql_search_suggestions_use_the_same_selector(graphql, catalogue):
    result = graphql(SUGGESTIONS, {"q": "reykjav"}).json()
    assert "errors" not in result
    assert [m["title"] for m in result["data"]["searchSuggestions"]] == ["Reykjavík Nights"]
    assert graphql(SUGGESTIONS, {"q": "r"}).json()["data"]["searchSuggestions"] == []
    capped = graphql(SUGGESTIONS, {"q": "ships", "limit": 100}).json()
    assert "errors" not in capped
    refused = graphql(SUGGESTIONS, {"q": "ships", "limit": 0}).json()
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_selector_is_the_one_definition(catalogue):
    assert [movie.title for movie in selectors.movie_suggestions(q="quiet")] == [
        "The Quiet Harbour"
    ]


def test_actor_filter_matching_many_people_still_finds_all_their_movies(api_client):
    from movies.filters import KNOWN_IDS_MAX
    from movies.models import Actor

    people = Actor.objects.bulk_create(Actor(name=f"Sam {n}") for n in range(KNOWN_IDS_MAX + 1))
    first = MovieFactory(title="First", actors=[people[0]])
    last = MovieFactory(title="Last", actors=[people[-1]])
    MovieFactory(title="Nobody")
    response = api_client.get("/api/movies/", {"actor": "sam", "ordering": "title"})
    assert [movie["id"] for movie in response.json()["results"]] == [first.pk, last.pk]
