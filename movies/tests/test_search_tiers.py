"""Search without an ordering: title matches, then plot-only matches, each newest first
with ties by id (API.md), page after page, whichever way the database reads them.

On PostgreSQL a page reads only the tier(s) it falls in, each through its own
OFFSET/LIMIT (movies.models.MovieQuerySet.in_two_tiers): these tests compare every page
with the one full ORDER BY of the same queryset, for tiers small enough to be sorted
whole and (``TIER_SORT_MAX`` lowered) big enough to be read in the index's order.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from movies import models, selectors, services
from movies.models import Movie
from movies.tests.factories import MovieFactory

pytestmark = pytest.mark.django_db

GRAPHQL_PAGE = 'query($o: Int) { allMovies(search: "harbour", limit: 3, offset: $o) { title } }'


@pytest.fixture
def tiers():
    """5 title matches and 6 plot-only matches, created in a shuffled order, two of
    them at the same instant (the tie goes by id), and movies that do not match."""
    base = timezone.now() - datetime.timedelta(days=30)
    plan = [
        ("plot", 3), ("title", 1), ("plot", 9), ("none", 2), ("title", 7), ("plot", 4),
        ("title", 4), ("plot", 1), ("title", 12), ("plot", 12), ("none", 5), ("plot", 6),
        ("title", 12),
    ]  # fmt: skip
    for n, (kind, day) in enumerate(plan):
        movie = MovieFactory(
            title=f"Harbour {n}" if kind == "title" else f"Other {n}",
            plot_summary="A harbour at dawn." if kind == "plot" else "Nothing here.",
        )
        Movie.objects.filter(pk=movie.pk).update(created_at=base + datetime.timedelta(days=day))


def expected_titles() -> list[str]:
    """The promised order, from Python: title hits first, each tier newest first, ties by id."""
    movies = [m for m in Movie.objects.all() if "harbour" in (m.title + m.plot_summary).lower()]
    movies.sort(key=lambda m: ("harbour" not in m.title.lower(), -m.created_at.timestamp(), -m.pk))
    return [m.title for m in movies]


def all_pages(api_client, page_size: int) -> list[str]:
    found, page = [], 1
    while True:
        response = api_client.get(
            "/api/movies/", {"search": "harbour", "page_size": page_size, "page": page}
        )
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 11
        found += [movie["title"] for movie in body["results"]]
        if not body["next"]:
            return found
        page += 1


@pytest.mark.parametrize("page_size", [1, 2, 3, 5, 6, 20])
def test_every_page_keeps_title_matches_first_each_tier_newest_first(api_client, tiers, page_size):
    expected = expected_titles()
    assert expected[:5] == ["Harbour 12", "Harbour 8", "Harbour 4", "Harbour 6", "Harbour 1"]
    assert all_pages(api_client, page_size) == expected
    # The same order as the one ORDER BY of the whole queryset.
    whole = [movie.title for movie in selectors.movie_list(filters={"search": "harbour"})]
    assert whole == expected


def test_big_tiers_read_in_the_index_order_give_the_same_pages(api_client, tiers, monkeypatch):
    monkeypatch.setattr(models, "TIER_SORT_MAX", 2)
    expected = expected_titles()
    for page_size in (1, 3, 4, 7):
        assert all_pages(api_client, page_size) == expected


@pytest.mark.parametrize("offset", [0, 2, 3, 4, 5, 9, 10, 11, 40])
def test_graphql_offsets_cross_the_tiers(graphql, tiers, offset):
    result = graphql(GRAPHQL_PAGE, {"o": offset}).json()
    assert "errors" not in result
    found = [movie["title"] for movie in result["data"]["allMovies"]]
    assert found == expected_titles()[offset : offset + 3]


def test_the_pages_list_in_the_same_order(client, tiers):
    response = client.get("/movies/", {"search": "harbour"})
    assert [movie.title for movie in response.context["movies"]] == expected_titles()


def test_an_explicit_ordering_replaces_the_tiers(api_client, tiers):
    response = api_client.get("/api/movies/", {"search": "harbour", "ordering": "-created_at"})
    found = [movie["title"] for movie in response.json()["results"]]
    assert "Other 9" in found[:3]  # a plot-only match among the newest


def test_a_search_without_a_match_reads_no_page(api_client, tiers, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # count, and at most the capped tier counts
        response = api_client.get("/api/movies/", {"search": "zzqx"})
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's bounded page")
def test_postgres_reads_a_page_through_each_tiers_own_limit(tiers):
    queryset = selectors.movie_list(filters={"search": "harbour"})
    sql = str(queryset[:3].query)
    assert "UNION ALL" not in sql  # page 1 lies in the title tier: only that tier is read
    assert "LIMIT 3" in sql
    sql = str(queryset[4:7].query)  # crosses from titles to plots
    assert "UNION ALL" in sql
    assert "OFFSET 4" in sql  # the title tier from its 5th row
    sql = str(queryset[8:10].query)  # plots only, from their 4th row
    assert "UNION ALL" not in sql
    assert "OFFSET 3" in sql


@pytest.mark.django_db(transaction=True)
def test_a_write_moving_a_movie_between_tiers_is_paged_at_once(api_client, settings):
    settings.CATALOGUE_COUNT_CACHE = True  # the capped tier counts kept, with real commits
    plot_only = services.movie_create(title="Alpha", plot_summary="A harbour at night.")
    services.movie_create(title="Harbour Lights")

    def page(size: int, number: int) -> list[str]:
        params = {"search": "harbour", "page_size": size, "page": number}
        return [m["title"] for m in api_client.get("/api/movies/", params).json()["results"]]

    assert page(1, 1) == ["Harbour Lights"]
    assert page(1, 2) == ["Alpha"]
    services.movie_update(movie=plot_only, title="Harbour Alpha")
    assert page(1, 1) == ["Harbour Lights"]
    assert page(1, 2) == ["Harbour Alpha"]  # now a title match: 2 in the title tier


# --- Relevance inside a tier (PostgreSQL: ts_rank) -----------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL ranks a tier with ts_rank"
)

# search=harbour: the order promised on PostgreSQL. The title tier by ts_rank of the title
# (normalization 2: a title that is mostly "harbour" first), the plot tier by ts_rank of the
# stored vector; equal ranks newest first, then the higher id. Each tier's newest movie is
# the least relevant, so newest-first would give another order.
RANKED = [
    "Harbour",  # day 1: the whole title
    "New Harbour",  # day 5, created after "Old Harbour": same rank and instant, higher id
    "Old Harbour",  # day 5
    "The Harbour",  # day 2
    "A Long Way Back To The Harbour",  # day 9, the newest title match, the least relevant
    "Other 1",  # day 1: "harbour" four times in a short plot
    "Other 3",  # day 8: same plot as Other 2, newer
    "Other 2",  # day 3
    "Other 4",  # day 10, the newest: once in a long plot
]


@pytest.fixture
def ranked():
    base = timezone.now() - datetime.timedelta(days=30)
    same_instant = base + datetime.timedelta(days=5)
    plan = [
        ("A Long Way Back To The Harbour", "", 9),
        ("Other 4", "Years later a tired old sailor walks slowly back home, at last, "
         "along the shore to the harbour he left as a boy.", 10),
        ("The Harbour", "", 2),
        ("Other 2", "A harbour at dawn.", 3),
        ("Old Harbour", "", 5),
        ("Harbour", "", 1),
        ("Other 1", "Harbour, harbour, harbour: the harbour.", 1),
        ("New Harbour", "", 5),
        ("Other 3", "A harbour at dawn.", 8),
        ("Unrelated", "Nothing here.", 4),
    ]  # fmt: skip
    for title, plot, day in plan:
        movie = MovieFactory(title=title, plot_summary=plot)
        created = same_instant if day == 5 else base + datetime.timedelta(days=day)
        Movie.objects.filter(pk=movie.pk).update(created_at=created)


def ranked_pages(api_client, page_size: int, **params) -> list[str]:
    found, page = [], 1
    while True:
        query = {"search": "harbour", "page_size": page_size, "page": page, **params}
        body = api_client.get("/api/movies/", query).json()
        assert body["count"] == len(RANKED)
        found += [movie["title"] for movie in body["results"]]
        if not body["next"]:
            return found
        page += 1


@postgres_only
def test_the_title_tier_ranks_a_title_that_is_mostly_the_query_first(api_client, ranked):
    first_page = ranked_pages(api_client, 20)[:5]
    assert first_page == RANKED[:5]
    assert first_page.index("Harbour") < first_page.index("A Long Way Back To The Harbour")


@postgres_only
def test_the_plot_tier_is_ranked_too(api_client, ranked):
    assert ranked_pages(api_client, 20)[5:] == RANKED[5:]


@postgres_only
def test_in_the_plot_tier_a_query_word_in_the_title_weighs_more(api_client):
    # Neither title holds both words: both are plot-tier matches. "quiet" in the title
    # (weight A) ranks above "quiet" in the plot (weight B), though the other is newer.
    older = MovieFactory(title="Quiet Days", plot_summary="the harbour")
    Movie.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(1))
    MovieFactory(title="Days", plot_summary="the quiet harbour")
    found = [
        m["title"]
        for m in api_client.get("/api/movies/", {"search": "quiet harbour"}).json()["results"]
    ]
    assert found == ["Quiet Days", "Days"]


@postgres_only
@pytest.mark.parametrize("page_size", [1, 2, 3, 4, 5, 7, 20])
def test_ranked_pages_are_the_same_order_whatever_the_page_size(api_client, ranked, page_size):
    assert ranked_pages(api_client, page_size) == RANKED
    # Iterated whole (one ORDER BY), the same order.
    whole = [movie.title for movie in selectors.movie_list(filters={"search": "harbour"})]
    assert whole == RANKED


@postgres_only
@pytest.mark.parametrize("offset", [0, 1, 3, 4, 5, 6, 8, 9, 30])
def test_ranked_graphql_offsets_cross_the_tiers(graphql, ranked, offset):
    result = graphql(GRAPHQL_PAGE, {"o": offset}).json()
    assert "errors" not in result
    found = [movie["title"] for movie in result["data"]["allMovies"]]
    assert found == RANKED[offset : offset + 3]


@postgres_only
def test_an_ordering_given_overrides_relevance(api_client, ranked):
    newest = ranked_pages(api_client, 4, ordering="-created_at")
    assert newest[:3] == ["Other 4", "A Long Way Back To The Harbour", "Other 3"]
    by_title = ranked_pages(api_client, 4, ordering="title")
    assert by_title == sorted(RANKED)


@postgres_only
def test_a_tier_too_big_to_sort_stays_newest_first(api_client, ranked, monkeypatch):
    monkeypatch.setattr(models, "TIER_SORT_MAX", 3)  # both tiers (5 and 4 rows) are "big"
    newest_first = [
        "A Long Way Back To The Harbour", "New Harbour", "Old Harbour", "The Harbour", "Harbour",
        "Other 4", "Other 3", "Other 2", "Other 1",
    ]  # fmt: skip
    for page_size in (1, 2, 3, 4, 6, 20):
        assert ranked_pages(api_client, page_size) == newest_first


@postgres_only
def test_only_the_small_tier_is_ranked_when_the_other_is_big(api_client, ranked, monkeypatch):
    monkeypatch.setattr(models, "TIER_SORT_MAX", 4)  # 5 title matches: big; 4 plot: small
    expected = [
        "A Long Way Back To The Harbour", "New Harbour", "Old Harbour", "The Harbour", "Harbour",
        *RANKED[5:],
    ]  # fmt: skip
    for page_size in (1, 2, 3, 4, 6, 20):
        assert ranked_pages(api_client, page_size) == expected


def vector_matches_in_page(search: str) -> int:
    """How many times the SQL of page 1 (in the title tier) matches the whole vector: once
    in the page's own WHERE, once more if the title tier's read repeats it."""
    sql = str(selectors.movie_list(filters={"search": search})[:3].query)
    assert "UNION ALL" not in sql  # page 1 lies in the title tier alone
    return sql.count('"search_vector" @@')


@postgres_only
def test_the_title_tier_is_read_without_the_whole_vector_match_it_implies(api_client, ranked):
    # Every title match matches the whole vector: the small title tier's read leaves that
    # out (the planner would intersect both GIN indexes), and the pages are the same.
    assert vector_matches_in_page("harbour") == 1
    assert ranked_pages(api_client, 3) == RANKED


@postgres_only
def test_an_exclusion_still_applies_inside_the_title_tier(api_client, ranked):
    MovieFactory(title="Harbour Lights", plot_summary="A dawn patrol.")
    assert vector_matches_in_page("harbour -dawn") == 2  # the exclusion is in that match
    found = ranked_pages_of(api_client, "harbour -dawn")
    assert "Harbour Lights" not in found  # a title match whose plot holds "dawn"
    assert found == [title for title in RANKED if title not in ("Other 2", "Other 3")]


@postgres_only
def test_a_big_title_tier_keeps_the_whole_vector_match(ranked, monkeypatch):
    monkeypatch.setattr(models, "TIER_SORT_MAX", 3)  # read in the index's order: kept
    assert vector_matches_in_page("harbour") == 2


def ranked_pages_of(api_client, search: str) -> list[str]:
    body = api_client.get("/api/movies/", {"search": search, "page_size": 100}).json()
    return [movie["title"] for movie in body["results"]]
