"""GraphQL's lean read path: only the columns a document selects, the same answers.

``movies.schema.prefetch`` reads, for each type, only the columns its selected fields
need (``COLUMNS``), in the list's own queryset and in every prefetch. The reference is
the same document with ``COLUMNS`` emptied, which reads every column (the path before
issue 13): the answers must be equal, for movies with every kind of value.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from movies.models import Movie
from movies.schema import prefetch

from .factories import MovieFactory
from .graphql_responses import ok

pytestmark = pytest.mark.django_db

EVERY_MOVIE_FIELD = """
fragment Every on Movie {
  id title plotSummary imageUrl rating createdAt releaseDate year runtime
  genres { id name }
  actors { id name }
  directors { id name }
  cast { actor { id name } character order }
  membersRating { average count }
  similar(limit: 2) { id title }
}
"""

DOCUMENTS = {
    "allMovies": EVERY_MOVIE_FIELD + "query { allMovies(limit: 100) { ...Every } }",
    "movie": EVERY_MOVIE_FIELD + "query One($id: ID!) { movie(id: $id) { ...Every } }",
    "allGenres": EVERY_MOVIE_FIELD
    + "query { allGenres { id name movies(limit: 4) { ...Every } } }",
    "actor": EVERY_MOVIE_FIELD
    + """query Actor($actor: ID!) { actor(id: $actor) {
        id name movies(limit: 10) { ...Every } directed(limit: 10) { ...Every } } }""",
    "aliases and a partial selection": """
query {
  a: allMovies(limit: 100) { title cast { order } }
  b: allMovies(limit: 100) { id ... on Movie { year actors { name } } cast { character } }
}
""",
}

ACCENTS = "Reykjavík, Señor “Ölmez” — 東京"


def _variables(movies) -> dict:
    accents = next(movie for movie in movies if movie.title == ACCENTS)
    ken = accents.directors.get(name="渡辺 謙")
    return {"id": str(accents.pk), "actor": str(ken.pk)}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_answers_match_the_full_read_for_every_kind_of_value(
    graphql, movies_of_every_kind, monkeypatch, name
):
    document, variables = DOCUMENTS[name], _variables(movies_of_every_kind)
    variables = {key: value for key, value in variables.items() if f"${key}" in document}

    lean = ok(graphql(document, variables))
    monkeypatch.setattr(prefetch, "COLUMNS", {})  # every column, as before
    full = ok(graphql(document, variables))

    assert lean == full
    assert all(lean.values())  # something was compared


def test_every_kind_of_value_reads_right(graphql, movies_of_every_kind):
    """Not only equal to the full read: right, value by value."""
    variables = _variables(movies_of_every_kind)
    movie = ok(graphql(DOCUMENTS["movie"], {"id": variables["id"]}))["movie"]

    assert movie["title"] == ACCENTS
    assert movie["plotSummary"] == 'Line one\nLine "two"\u2028and <three> & \\ four'
    assert movie["imageUrl"] is None
    assert movie["rating"] == 0.0
    assert (movie["releaseDate"], movie["year"], movie["runtime"]) == ("1994-09-23", 1994, 142)
    assert movie["membersRating"] == {"average": 3.75, "count": 12}
    assert [g["name"] for g in movie["genres"]] == ["Ciné-vérité"]
    assert [d["name"] for d in movie["directors"]] == ["Ana Núñez", "渡辺 謙"]
    assert [(c["actor"]["name"], c["character"], c["order"]) for c in movie["cast"]] == [
        ("Zoë Ångström", "Þóra", 0),
        ("渡辺 謙", "", 1),
        ("Ana Núñez", "La “Señora”", 2),
    ]
    assert [a["name"] for a in movie["actors"]] == ["Zoë Ångström", "渡辺 謙", "Ana Núñez"]

    listed = {m["title"]: m for m in ok(graphql(DOCUMENTS["allMovies"]))["allMovies"]}
    assert listed["With a poster"]["imageUrl"].startswith("http://testserver/")
    assert listed["Nobody in it"]["cast"] == []
    assert listed["Nobody in it"]["plotSummary"] == ""
    assert listed["Plain"]["releaseDate"] is None
    assert listed["Plain"]["year"] is None
    assert listed["Plain"]["membersRating"] == {"average": None, "count": 0}


def _selects(queries, table: str) -> list[str]:
    return [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]
    ]


def test_only_the_selected_columns_are_read(graphql, movies_of_every_kind):
    with CaptureQueriesContext(connection) as context:
        ok(graphql("{ allMovies { id title actors { name } } }"))

    (movies,) = _selects(context.captured_queries, "movies_movie")
    assert '"title"' in movies
    for column in ("plot_summary", "image", "rating", "runtime", "members_rating_average"):
        assert f'"{column}"' not in movies
    (lines,) = _selects(context.captured_queries, "movies_castmember")
    assert '"movies_person"."name"' in lines
    assert '"character"' not in lines
    assert "tmdb_id" not in lines
    # Nothing the document does not select: no genres, no directors.
    assert len(context.captured_queries) == 2


def test_a_field_without_known_columns_reads_every_column(graphql, monkeypatch):
    """A field another app adds to ``Movie`` without saying which columns it reads:
    the movie is read whole, as before, rather than one query per movie later."""
    MovieFactory.create_batch(3)
    monkeypatch.setitem(prefetch.COLUMNS, "Movie", {"id": ()})  # "title" unknown

    with CaptureQueriesContext(connection) as context:
        data = ok(graphql("{ allMovies { id title } }"))

    assert len(data["allMovies"]) == 3
    assert len(context.captured_queries) == 1
    assert '"plot_summary"' in context.captured_queries[0]["sql"]


@pytest.mark.parametrize("count", [1, 25])
def test_partial_selections_stay_in_constant_queries(
    graphql, django_assert_num_queries, movies_of_every_kind, count
):
    MovieFactory.create_batch(count)
    assert Movie.objects.count() == count + len(movies_of_every_kind)

    # a: movies, cast lines (with people); b: movies, cast lines: no deferred column
    # is ever loaded one movie at a time.
    with django_assert_num_queries(4):
        ok(graphql(DOCUMENTS["aliases and a partial selection"]))
