"""The catalogue over GraphQL: every query and filter, every mutation for every
kind of caller, errors that name the field, and lists in constant queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.graphql import PERMISSION_DENIED_MESSAGE
from movies.models import Actor, CastMember, Genre, Movie

from .factories import ActorFactory, GenreFactory, MovieFactory
from .graphql_responses import ok, only_error

pytestmark = pytest.mark.django_db

MOVIE_FIELDS = """
    id title plotSummary imageUrl rating createdAt
    genres { id name }
    actors { id name }
"""

ALL_MOVIES = f"""
query AllMovies(
  $search: String, $title: String, $genre: String, $actor: String,
  $minRating: Float, $maxRating: Float, $orderBy: String, $limit: Int, $offset: Int
) {{
  allMovies(
    search: $search, title: $title, genre: $genre, actor: $actor,
    minRating: $minRating, maxRating: $maxRating, orderBy: $orderBy,
    limit: $limit, offset: $offset
  ) {{ {MOVIE_FIELDS} }}
}}
"""

ALL_MOVIES_DEFAULT_PAGE = "{ allMovies { id } }"

ALL_MOVIES_TITLES = """
query Titles($orderBy: String, $limit: Int, $offset: Int) {
  allMovies(orderBy: $orderBy, limit: $limit, offset: $offset) { id title }
}
"""

MOVIES_COUNT = """
query Count(
  $search: String, $title: String, $genre: String, $actor: String,
  $minRating: Float, $maxRating: Float
) {
  moviesCount(
    search: $search, title: $title, genre: $genre, actor: $actor,
    minRating: $minRating, maxRating: $maxRating
  )
}
"""

MOVIE = f"query Movie($id: ID!) {{ movie(id: $id) {{ {MOVIE_FIELDS} }} }}"

ALL_GENRES = """
query Genres($name: String) { allGenres(name: $name) { id name movies { id title } } }
"""

ALL_ACTORS = """
query Actors($name: String) { allActors(name: $name) { id name movies { id title } } }
"""

GENRE = "query Genre($id: ID!) { genre(id: $id) { id name movies { id title } } }"

ACTOR = "query Actor($id: ID!) { actor(id: $id) { id name movies { id title } } }"

MOVIES_WITH_RELATIONS = """
query { allMovies(limit: 100) { id title genres { id name } actors { id name } } }
"""

GENRES_WITH_MOVIES = """
query { allGenres { id name movies { id title genres { name } actors { name } } } }
"""

ACTORS_WITH_MOVIES = """
query { allActors { id name movies { id title actors { name } } } }
"""

DEEP_THROUGH_FRAGMENTS = """
query {
  allGenres { ...GenreMovies }
  movie(id: "1") { genres { ...GenreMovies } }
}
fragment GenreMovies on Genre {
  name
  movies(limit: 5) { title ... on Movie { actors { name movies(limit: 2) { title } } } }
}
"""

CREATE_MOVIE = f"""
mutation CreateMovie($input: MovieInput!) {{
  createMovie(input: $input) {{ movie {{ {MOVIE_FIELDS} }} }}
}}
"""

UPDATE_MOVIE = f"""
mutation UpdateMovie($id: ID!, $input: MovieInput!) {{
  updateMovie(id: $id, input: $input) {{ movie {{ {MOVIE_FIELDS} }} }}
}}
"""

DELETE_MOVIE = "mutation DeleteMovie($id: ID!) { deleteMovie(id: $id) { ok id } }"

CREATE_GENRE = """
mutation CreateGenre($name: String!) { createGenre(name: $name) { genre { id name movies { id } } } }
"""

UPDATE_GENRE = """
mutation UpdateGenre($id: ID!, $name: String!) { updateGenre(id: $id, name: $name) { genre { id name } } }
"""

DELETE_GENRE = "mutation DeleteGenre($id: ID!) { deleteGenre(id: $id) { ok id } }"

CREATE_ACTOR = """
mutation CreateActor($name: String!) { createActor(name: $name) { actor { id name movies { id } } } }
"""

UPDATE_ACTOR = """
mutation UpdateActor($id: ID!, $name: String!) { updateActor(id: $id, name: $name) { actor { id name } } }
"""

DELETE_ACTOR = "mutation DeleteActor($id: ID!) { deleteActor(id: $id) { ok id } }"


def ids(movies: list[dict]) -> list[int]:
    return [int(movie["id"]) for movie in movies]


# --- Reading movies ---------------------------------------------------------------


def test_all_movies_gives_each_field_as_the_contract_says(graphql):
    drama, crime = GenreFactory(name="Drama"), GenreFactory(name="Crime")
    streep, caine = ActorFactory(name="Meryl Streep"), ActorFactory(name="Michael Caine")
    movie = MovieFactory(
        title="The Quiet Harbour",
        plot_summary="Boats.",
        rating=Decimal("4.5"),
        genres=[drama, crime],
        actors=[streep, caine],
    )

    [data] = ok(graphql(ALL_MOVIES))["allMovies"]

    assert data == {
        "id": str(movie.id),
        "title": "The Quiet Harbour",
        "plotSummary": "Boats.",
        "imageUrl": None,
        "rating": 4.5,
        "createdAt": movie.created_at.isoformat(),
        "genres": [{"id": str(crime.id), "name": "Crime"}, {"id": str(drama.id), "name": "Drama"}],
        "actors": [
            {"id": str(streep.id), "name": "Meryl Streep"},
            {"id": str(caine.id), "name": "Michael Caine"},
        ],
    }


def test_image_url_is_absolute(graphql):
    MovieFactory(image="movies/poster.png")

    [data] = ok(graphql(ALL_MOVIES))["allMovies"]

    assert data["imageUrl"] == "http://testserver/media/movies/poster.png"


def test_all_movies_are_newest_first_with_ties_broken_by_id(graphql):
    older, newer_a, newer_b = MovieFactory(), MovieFactory(), MovieFactory()
    now = timezone.now()
    Movie.objects.filter(pk=older.pk).update(created_at=now - dt.timedelta(days=1))
    Movie.objects.filter(pk__in=[newer_a.pk, newer_b.pk]).update(created_at=now)

    data = ok(graphql(ALL_MOVIES))["allMovies"]

    assert ids(data) == [newer_b.id, newer_a.id, older.id]


def test_search_matches_title_or_plot_ignoring_case(graphql):
    by_title = MovieFactory(title="Harbour Lights", plot_summary="A lighthouse.")
    by_plot = MovieFactory(title="Night Boat", plot_summary="Leaving the HARBOUR at dawn.")
    MovieFactory(title="Desert", plot_summary="Sand.")

    data = ok(graphql(ALL_MOVIES, {"search": "harbour"}))["allMovies"]

    assert sorted(ids(data)) == sorted([by_title.id, by_plot.id])


def test_title_matches_part_of_the_title_ignoring_case(graphql):
    match = MovieFactory(title="The Quiet Harbour")
    MovieFactory(title="Loud Streets", plot_summary="Quiet nights.")

    data = ok(graphql(ALL_MOVIES, {"title": "QUIET"}))["allMovies"]

    assert ids(data) == [match.id]


@pytest.mark.parametrize("by", ["id", "name", "name in other case"])
def test_genre_filter_takes_an_id_or_a_name(graphql, by):
    drama = GenreFactory(name="Drama")
    match = MovieFactory(genres=[drama])
    MovieFactory(genres=[GenreFactory(name="Comedy")])
    MovieFactory()
    value = {"id": str(drama.id), "name": "Drama", "name in other case": "dRAMA"}[by]

    data = ok(graphql(ALL_MOVIES, {"genre": value}))["allMovies"]

    assert ids(data) == [match.id]


def test_genre_name_must_match_whole(graphql):
    MovieFactory(genres=[GenreFactory(name="Drama")])

    assert ok(graphql(ALL_MOVIES, {"genre": "Dram"}))["allMovies"] == []


@pytest.mark.parametrize("by", ["id", "part of the name"])
def test_actor_filter_takes_an_id_or_part_of_a_name(graphql, by):
    streep = ActorFactory(name="Meryl Streep")
    match = MovieFactory(actors=[streep])
    MovieFactory(actors=[ActorFactory(name="Michael Caine")])
    value = {"id": str(streep.id), "part of the name": "streep"}[by]

    data = ok(graphql(ALL_MOVIES, {"actor": value}))["allMovies"]

    assert ids(data) == [match.id]


def test_rating_bounds_are_inclusive(graphql):
    low = MovieFactory(rating=Decimal("1.0"))
    mid = MovieFactory(rating=Decimal("3.5"))
    high = MovieFactory(rating=Decimal("5.0"))

    at_least = ok(graphql(ALL_MOVIES, {"minRating": 3.5}))["allMovies"]
    at_most = ok(graphql(ALL_MOVIES, {"maxRating": 3.5}))["allMovies"]
    between = ok(graphql(ALL_MOVIES, {"minRating": 1.5, "maxRating": 4.9}))["allMovies"]

    assert sorted(ids(at_least)) == [mid.id, high.id]
    assert sorted(ids(at_most)) == [low.id, mid.id]
    assert ids(between) == [mid.id]


def test_filters_combine(graphql):
    drama = GenreFactory(name="Drama")
    streep = ActorFactory(name="Meryl Streep")
    match = MovieFactory(title="Harbour", rating=Decimal("4.0"), genres=[drama], actors=[streep])
    MovieFactory(title="Harbour", rating=Decimal("2.0"), genres=[drama], actors=[streep])
    MovieFactory(title="Harbour", rating=Decimal("4.0"), genres=[drama])
    MovieFactory(title="Harbour", rating=Decimal("4.0"), actors=[streep])
    MovieFactory(title="Desert", rating=Decimal("4.0"), genres=[drama], actors=[streep])
    variables = {"search": "harb", "genre": "drama", "actor": "streep", "minRating": 3.0}

    data = ok(graphql(ALL_MOVIES, variables))["allMovies"]
    count = ok(graphql(MOVIES_COUNT, variables))["moviesCount"]

    assert ids(data) == [match.id]
    assert count == 1


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("title", ["A", "B", "C"]),
        ("-title", ["C", "B", "A"]),
        ("rating", ["B", "C", "A"]),
        ("-rating", ["A", "C", "B"]),
        ("created_at", ["C", "A", "B"]),
        ("-created_at", ["B", "A", "C"]),
        ("createdAt", ["C", "A", "B"]),
        ("-createdAt", ["B", "A", "C"]),
    ],
)
def test_order_by(graphql, order_by, expected):
    now = timezone.now()
    for title, rating, days_ago in [("A", "5.0", 1), ("B", "1.0", 0), ("C", "3.0", 2)]:
        movie = MovieFactory(title=title, rating=Decimal(rating))
        Movie.objects.filter(pk=movie.pk).update(created_at=now - dt.timedelta(days=days_ago))

    data = ok(graphql(ALL_MOVIES_TITLES, {"orderBy": order_by}))["allMovies"]

    assert [movie["title"] for movie in data] == expected


@pytest.mark.parametrize(("order_by", "descending"), [("rating", False), ("-rating", True)])
def test_order_by_breaks_ties_by_id(graphql, order_by, descending):
    movies = [MovieFactory(rating=Decimal("3.0")) for _ in range(3)]

    data = ok(graphql(ALL_MOVIES_TITLES, {"orderBy": order_by}))["allMovies"]

    assert ids(data) == sorted((movie.id for movie in movies), reverse=descending)


def test_an_unknown_order_names_the_order_by_argument(graphql):
    MovieFactory()

    error = only_error(graphql(ALL_MOVIES, {"orderBy": "budget"}))

    assert error["message"].startswith("orderBy: ")
    assert error["extensions"]["fields"] == {
        "orderBy": ["Select a valid choice. budget is not one of the available choices."]
    }


def test_limit_and_offset_page_through_the_movies(graphql):
    movies = [MovieFactory(title=f"Movie {n:02}") for n in range(25)]
    titles = [movie.title for movie in movies]

    default_page = ok(graphql(ALL_MOVIES_DEFAULT_PAGE))["allMovies"]
    first = ok(graphql(ALL_MOVIES_TITLES, {"orderBy": "title", "limit": 10}))["allMovies"]
    third = ok(graphql(ALL_MOVIES_TITLES, {"orderBy": "title", "limit": 10, "offset": 20}))[
        "allMovies"
    ]
    none = ok(graphql(ALL_MOVIES_TITLES, {"limit": 0}))["allMovies"]

    assert len(default_page) == 20
    assert [movie["title"] for movie in first] == titles[:10]
    assert [movie["title"] for movie in third] == titles[20:]
    assert none == []


def test_limit_may_be_at_most_100(graphql):
    for _ in range(3):
        MovieFactory()

    assert len(ok(graphql(ALL_MOVIES_TITLES, {"limit": 100}))["allMovies"]) == 3
    error = only_error(graphql(ALL_MOVIES_TITLES, {"limit": 101}))

    assert error["message"] == "limit: Ensure this value is between 0 and 100."
    assert error["extensions"]["fields"] == {"limit": ["Ensure this value is between 0 and 100."]}


@pytest.mark.parametrize(
    ("variables", "field"), [({"limit": -1}, "limit"), ({"offset": -1}, "offset")]
)
def test_negative_limit_or_offset_names_the_argument(graphql, variables, field):
    error = only_error(graphql(ALL_MOVIES_TITLES, variables))

    assert error["message"].startswith(f"{field}: ")


def test_movies_count_counts_all_matches_regardless_of_page(graphql):
    drama = GenreFactory(name="Drama")
    for _ in range(25):
        MovieFactory(genres=[drama], rating=Decimal("4.0"))
    MovieFactory(rating=Decimal("4.0"))

    assert ok(graphql(MOVIES_COUNT))["moviesCount"] == 26
    assert ok(graphql(MOVIES_COUNT, {"genre": "drama"}))["moviesCount"] == 25
    assert ok(graphql(MOVIES_COUNT, {"maxRating": 3.9}))["moviesCount"] == 0


@pytest.mark.parametrize(
    "filters",
    [
        {"search": "harbour"},
        {"title": "quiet"},
        {"genre": "drama"},
        {"actor": "streep"},
        {"min_rating": "3.5", "max_rating": "4.5"},
        {"ordering": "-rating"},
    ],
)
def test_filters_mean_the_same_as_in_rest(graphql, client, filters):
    drama = GenreFactory(name="Drama")
    streep = ActorFactory(name="Meryl Streep")
    MovieFactory(title="The Quiet Harbour", rating=Decimal("4.5"), genres=[drama])
    MovieFactory(title="Loud", plot_summary="harbour", rating=Decimal("3.5"), actors=[streep])
    MovieFactory(title="Quiet Desert", rating=Decimal("1.0"), genres=[drama], actors=[streep])
    MovieFactory(title="Other", rating=Decimal("5.0"))
    names = {"min_rating": "minRating", "max_rating": "maxRating", "ordering": "orderBy"}
    variables = {names.get(key, key): value for key, value in filters.items()}
    for key in ("minRating", "maxRating"):
        if key in variables:
            variables[key] = float(variables[key])

    rest = client.get("/api/movies/", filters).json()["results"]
    data = ok(graphql(ALL_MOVIES, variables))["allMovies"]

    assert ids(data) == [movie["id"] for movie in rest]
    assert ids(data)  # the fixture matches something for every filter


# --- One movie, genres and actors -------------------------------------------------


def test_movie_by_id(graphql):
    movie = MovieFactory(title="Found", genres=[GenreFactory(name="Drama")])

    data = ok(graphql(MOVIE, {"id": str(movie.id)}))["movie"]

    assert data["id"] == str(movie.id)
    assert data["title"] == "Found"
    assert data["genres"] == [{"id": str(movie.genres.get().id), "name": "Drama"}]


@pytest.mark.parametrize("movie_id", ["999999", "not-a-number", "99999999999999999999999"])
def test_movie_that_does_not_exist_is_null(graphql, movie_id):
    MovieFactory()

    assert ok(graphql(MOVIE, {"id": movie_id}))["movie"] is None


def test_all_genres_by_name_with_their_movies(graphql):
    drama = GenreFactory(name="Drama")
    GenreFactory(name="Comedy")
    melodrama = GenreFactory(name="Melodrama")
    old = MovieFactory(title="Old", genres=[drama])
    new = MovieFactory(title="New", genres=[drama, melodrama])
    Movie.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=1))

    everything = ok(graphql(ALL_GENRES))["allGenres"]
    named = ok(graphql(ALL_GENRES, {"name": "DRAMA"}))["allGenres"]

    assert [genre["name"] for genre in everything] == ["Comedy", "Drama", "Melodrama"]
    assert [genre["name"] for genre in named] == ["Drama", "Melodrama"]
    assert named[0]["movies"] == [
        {"id": str(new.id), "title": "New"},
        {"id": str(old.id), "title": "Old"},
    ]


def test_all_actors_by_name_with_their_movies(graphql):
    streep = ActorFactory(name="Meryl Streep")
    ActorFactory(name="Michael Caine")
    movie = MovieFactory(title="Doubt", actors=[streep])

    everything = ok(graphql(ALL_ACTORS))["allActors"]
    named = ok(graphql(ALL_ACTORS, {"name": "STREEP"}))["allActors"]

    assert [actor["name"] for actor in everything] == ["Meryl Streep", "Michael Caine"]
    assert named == [
        {
            "id": str(streep.id),
            "name": "Meryl Streep",
            "movies": [{"id": str(movie.id), "title": "Doubt"}],
        }
    ]


def test_genre_and_actor_by_id(graphql):
    drama, streep = GenreFactory(name="Drama"), ActorFactory(name="Meryl Streep")
    movie = MovieFactory(title="Doubt", genres=[drama], actors=[streep])
    movies = [{"id": str(movie.id), "title": "Doubt"}]

    genre = ok(graphql(GENRE, {"id": str(drama.id)}))["genre"]
    actor = ok(graphql(ACTOR, {"id": str(streep.id)}))["actor"]

    assert genre == {"id": str(drama.id), "name": "Drama", "movies": movies}
    assert actor == {"id": str(streep.id), "name": "Meryl Streep", "movies": movies}
    assert ok(graphql(GENRE, {"id": "999999"}))["genre"] is None
    assert ok(graphql(ACTOR, {"id": "x"}))["actor"] is None


# --- Lists in a constant number of queries ----------------------------------------


def _catalogue(movies: int) -> None:
    genres = GenreFactory.create_batch(3)
    actors = ActorFactory.create_batch(4)
    for _ in range(movies):
        MovieFactory(genres=genres, actors=actors)


@pytest.mark.parametrize("movies", [1, 100])
def test_all_movies_with_genres_and_actors_in_3_queries(graphql, django_assert_num_queries, movies):
    _catalogue(movies)

    # movies, their genres, their cast with its people (nothing the document does not select)
    with django_assert_num_queries(3):
        data = ok(graphql(MOVIES_WITH_RELATIONS))["allMovies"]

    assert len(data) == movies
    assert all(len(movie["genres"]) == 3 and len(movie["actors"]) == 4 for movie in data)


@pytest.mark.parametrize("movies", [1, 30])
def test_all_genres_with_movies_in_4_queries(graphql, django_assert_num_queries, movies):
    _catalogue(movies)

    with django_assert_num_queries(4):  # genres, movies, their genres, their actors
        data = ok(graphql(GENRES_WITH_MOVIES))["allGenres"]

    # A genre's movies come a page at a time: the default limit is 20.
    assert all(len(genre["movies"]) == min(movies, 20) for genre in data)


@pytest.mark.parametrize("movies", [1, 30])
def test_all_actors_with_movies_in_3_queries(graphql, django_assert_num_queries, movies):
    _catalogue(movies)

    with django_assert_num_queries(3):  # actors, movies, their actors
        data = ok(graphql(ACTORS_WITH_MOVIES))["allActors"]

    assert all(len(actor["movies"]) == min(movies, 20) for actor in data)


@pytest.mark.parametrize("movies", [1, 30])
def test_nesting_through_fragments_stays_constant(graphql, django_assert_num_queries, movies):
    _catalogue(movies)
    first = Movie.objects.order_by("id").first()
    document = DEEP_THROUGH_FRAGMENTS.replace('"1"', f'"{first.id}"')

    # allGenres: genres, movies, actors, movies (4); movie: movie, genres, then the
    # fragment's movies, actors, movies (5). Nothing the document does not select.
    with django_assert_num_queries(9):
        data = ok(graphql(document))

    assert len(data["allGenres"][0]["movies"]) == min(movies, 5)


def test_single_movie_with_relations_in_constant_queries(graphql, django_assert_num_queries):
    _catalogue(5)
    movie = Movie.objects.first()

    with django_assert_num_queries(3):  # the movie, its genres, its cast with the people
        ok(graphql(MOVIE, {"id": str(movie.id)}))


# --- Mutations: who may ----------------------------------------------------------


def _snapshot() -> dict:
    return {
        "movies": list(
            Movie.objects.order_by("id").values("id", "title", "rating", "plot_summary")
        ),
        "movie_genres": list(Movie.genres.through.objects.order_by("id").values()),
        "movie_cast": list(CastMember.objects.order_by("id").values()),
        "genres": list(Genre.objects.order_by("id").values()),
        "actors": list(Actor.objects.order_by("id").values()),
    }


def _mutations(movie: Movie, genre: Genre, actor: Actor) -> dict[str, tuple[str, dict]]:
    return {
        "createMovie": (CREATE_MOVIE, {"input": {"title": "New", "genreIds": [str(genre.id)]}}),
        "updateMovie": (UPDATE_MOVIE, {"id": str(movie.id), "input": {"title": "Changed"}}),
        "deleteMovie": (DELETE_MOVIE, {"id": str(movie.id)}),
        "createGenre": (CREATE_GENRE, {"name": "Western"}),
        "updateGenre": (UPDATE_GENRE, {"id": str(genre.id), "name": "Renamed"}),
        "deleteGenre": (DELETE_GENRE, {"id": str(genre.id)}),
        "createActor": (CREATE_ACTOR, {"name": "New Actor"}),
        "updateActor": (UPDATE_ACTOR, {"id": str(actor.id), "name": "Renamed"}),
        "deleteActor": (DELETE_ACTOR, {"id": str(actor.id)}),
    }


MUTATION_NAMES = [
    "createMovie",
    "updateMovie",
    "deleteMovie",
    "createGenre",
    "updateGenre",
    "deleteGenre",
    "createActor",
    "updateActor",
    "deleteActor",
]


@pytest.mark.parametrize("caller", ["anonymous", "user", "other_user"])
@pytest.mark.parametrize("mutation", MUTATION_NAMES)
def test_only_admins_may_mutate_and_nothing_changes_otherwise(graphql, request, caller, mutation):
    genre, actor = GenreFactory(name="Drama"), ActorFactory(name="Meryl Streep")
    movie = MovieFactory(title="Kept", genres=[genre], actors=[actor])
    document, variables = _mutations(movie, genre, actor)[mutation]
    user = None if caller == "anonymous" else request.getfixturevalue(caller)
    before = _snapshot()

    response = graphql(document, variables, user=user)

    error = only_error(response)
    assert error["message"] == PERMISSION_DENIED_MESSAGE
    assert error["path"] == [mutation]
    assert response.json()["data"] == {mutation: None}
    assert _snapshot() == before


def test_a_non_admin_is_refused_before_the_id_is_looked_up(graphql, user):
    """A non-admin learns nothing about which ids exist."""
    error = only_error(graphql(DELETE_MOVIE, {"id": "999999"}, user=user))

    assert error["message"] == PERMISSION_DENIED_MESSAGE


@pytest.mark.parametrize("mutation", MUTATION_NAMES)
def test_admins_may_run_every_mutation(graphql, admin_user, mutation):
    genre, actor = GenreFactory(name="Drama"), ActorFactory(name="Meryl Streep")
    movie = MovieFactory(title="Kept", genres=[genre], actors=[actor])
    document, variables = _mutations(movie, genre, actor)[mutation]
    before = _snapshot()

    data = ok(graphql(document, variables, user=admin_user))

    assert data[mutation] is not None
    assert _snapshot() != before


# --- Mutations: what they do ------------------------------------------------------


def test_create_movie_returns_it_nested(graphql, admin_user):
    drama, crime = GenreFactory(name="Drama"), GenreFactory(name="Crime")
    streep = ActorFactory(name="Meryl Streep")
    movie_input = {
        "title": "  The Quiet Harbour ",
        "plotSummary": "Boats.",
        "rating": 4.5,
        "genreIds": [str(drama.id), str(crime.id)],
        "actorIds": [str(streep.id)],
    }

    data = ok(graphql(CREATE_MOVIE, {"input": movie_input}, user=admin_user))["createMovie"]

    movie = Movie.objects.get()
    assert data["movie"]["id"] == str(movie.id)
    assert data["movie"]["title"] == "The Quiet Harbour"
    assert data["movie"]["rating"] == 4.5
    assert data["movie"]["plotSummary"] == "Boats."
    assert [genre["name"] for genre in data["movie"]["genres"]] == ["Crime", "Drama"]
    assert data["movie"]["actors"] == [{"id": str(streep.id), "name": "Meryl Streep"}]
    assert movie.rating == Decimal("4.5")
    assert set(movie.genres.all()) == {drama, crime}


def test_create_movie_needs_only_a_title(graphql, admin_user):
    data = ok(graphql(CREATE_MOVIE, {"input": {"title": "Bare"}}, user=admin_user))

    assert data["createMovie"]["movie"]["rating"] == 0.0
    assert data["createMovie"]["movie"]["genres"] == []
    assert Movie.objects.get().title == "Bare"


def test_update_movie_changes_only_the_fields_given(graphql, admin_user):
    drama, crime = GenreFactory(name="Drama"), GenreFactory(name="Crime")
    streep = ActorFactory(name="Meryl Streep")
    movie = MovieFactory(
        title="Kept",
        plot_summary="Kept plot.",
        rating=Decimal("2.0"),
        genres=[drama],
        actors=[streep],
    )
    movie_input = {"rating": 3.5, "genreIds": [str(crime.id)]}

    data = ok(graphql(UPDATE_MOVIE, {"id": str(movie.id), "input": movie_input}, user=admin_user))

    movie.refresh_from_db()
    assert data["updateMovie"]["movie"]["rating"] == 3.5
    assert data["updateMovie"]["movie"]["genres"] == [{"id": str(crime.id), "name": "Crime"}]
    assert (movie.title, movie.plot_summary, movie.rating) == ("Kept", "Kept plot.", Decimal("3.5"))
    assert list(movie.genres.all()) == [crime]
    assert list(movie.actors.all()) == [streep]


def test_update_movie_can_clear_its_relations(graphql, admin_user):
    movie = MovieFactory(genres=[GenreFactory()], actors=[ActorFactory()])

    ok(
        graphql(
            UPDATE_MOVIE,
            {"id": str(movie.id), "input": {"genreIds": [], "actorIds": []}},
            user=admin_user,
        )
    )

    assert not movie.genres.exists()
    assert not movie.actors.exists()


def test_delete_movie(graphql, admin_user):
    movie = MovieFactory()

    data = ok(graphql(DELETE_MOVIE, {"id": str(movie.id)}, user=admin_user))

    assert data["deleteMovie"] == {"ok": True, "id": str(movie.id)}
    assert not Movie.objects.exists()


def test_genre_mutations(graphql, admin_user):
    created = ok(graphql(CREATE_GENRE, {"name": "  Film   Noir "}, user=admin_user))["createGenre"]
    genre = Genre.objects.get()
    movie = MovieFactory(genres=[genre])
    renamed = ok(graphql(UPDATE_GENRE, {"id": str(genre.id), "name": "Noir"}, user=admin_user))
    deleted = ok(graphql(DELETE_GENRE, {"id": str(genre.id)}, user=admin_user))

    assert created == {"genre": {"id": str(genre.id), "name": "Film Noir", "movies": []}}
    assert renamed["updateGenre"] == {"genre": {"id": str(genre.id), "name": "Noir"}}
    assert deleted["deleteGenre"] == {"ok": True, "id": str(genre.id)}
    assert not Genre.objects.exists()
    assert Movie.objects.filter(pk=movie.pk).exists()


def test_actor_mutations(graphql, admin_user):
    created = ok(graphql(CREATE_ACTOR, {"name": "Meryl Streep"}, user=admin_user))["createActor"]
    actor = Actor.objects.get()
    movie = MovieFactory(actors=[actor])
    renamed = ok(graphql(UPDATE_ACTOR, {"id": str(actor.id), "name": "M. Streep"}, user=admin_user))
    deleted = ok(graphql(DELETE_ACTOR, {"id": str(actor.id)}, user=admin_user))

    assert created == {"actor": {"id": str(actor.id), "name": "Meryl Streep", "movies": []}}
    assert renamed["updateActor"] == {"actor": {"id": str(actor.id), "name": "M. Streep"}}
    assert deleted["deleteActor"] == {"ok": True, "id": str(actor.id)}
    assert not Actor.objects.exists()
    assert Movie.objects.filter(pk=movie.pk).exists()


# --- Mutations: bad input names the field, and changes nothing --------------------


@pytest.mark.parametrize(
    ("movie_input", "field", "message"),
    [
        ({"title": "X", "rating": 7}, "rating", "The rating must be between 0.0 and 5.0."),
        ({"title": "X", "rating": -0.5}, "rating", "The rating must be between 0.0 and 5.0."),
        ({"title": "X", "rating": 4.25}, "rating", "Use at most one decimal place."),
        ({"title": "X", "rating": None}, "rating", "Enter a number."),
        ({"title": "X", "genreIds": ["999999"]}, "genreIds", "Unknown id(s): 999999."),
        ({"title": "X", "genreIds": ["drama"]}, "genreIds", "Give a list of numeric ids."),
        ({"title": "X", "actorIds": ["999999"]}, "actorIds", "Unknown id(s): 999999."),
        (
            {"title": "X", "actorIds": ["99999999999999999999"]},
            "actorIds",
            "Unknown id(s): 99999999999999999999.",
        ),
        ({"title": "   "}, "title", "This field may not be blank."),
        ({"plotSummary": "No title."}, "title", "This field may not be blank."),
        ({"title": "x" * 201}, "title", "Ensure this field has no more than 200 characters."),
        # PostgreSQL cannot store NUL: the service refuses it (it was a 500 there).
        ({"title": "A\x00B"}, "title", "Null characters are not allowed."),
        ({"title": "X", "plotSummary": "\x00"}, "plotSummary", "Null characters are not allowed."),
    ],
)
def test_create_movie_with_bad_input_names_the_field(
    graphql, admin_user, movie_input, field, message
):
    error = only_error(graphql(CREATE_MOVIE, {"input": movie_input}, user=admin_user))

    assert error["message"] == f"{field}: {message}"
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "fields": {field: [message]}}
    assert not Movie.objects.exists()


def test_update_movie_with_bad_input_changes_nothing(graphql, admin_user):
    genre = GenreFactory()
    movie = MovieFactory(title="Kept", rating=Decimal("2.0"), genres=[genre])
    before = _snapshot()
    movie_input = {"title": "Changed", "rating": 9.0, "genreIds": []}

    error = only_error(
        graphql(UPDATE_MOVIE, {"id": str(movie.id), "input": movie_input}, user=admin_user)
    )

    assert error["message"].startswith("rating: ")
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (UPDATE_MOVIE, {"id": "999999", "input": {"title": "X"}}),
        (DELETE_MOVIE, {"id": "999999"}),
        (UPDATE_GENRE, {"id": "999999", "name": "X"}),
        (DELETE_GENRE, {"id": "abc"}),
        (UPDATE_ACTOR, {"id": "999999", "name": "X"}),
        (DELETE_ACTOR, {"id": "999999"}),
    ],
)
def test_unknown_id_names_the_id(graphql, admin_user, document, variables):
    error = only_error(graphql(document, variables, user=admin_user))

    assert error["message"].startswith("id: No ")
    assert error["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("name", ["drama", "DRAMA", " Drama "])
def test_genre_names_are_unique_ignoring_case(graphql, admin_user, name):
    GenreFactory(name="Drama")

    error = only_error(graphql(CREATE_GENRE, {"name": name}, user=admin_user))

    assert error["message"] == "name: A genre with this name already exists."
    assert Genre.objects.count() == 1


def test_renaming_a_genre_onto_another_is_refused(graphql, admin_user):
    GenreFactory(name="Drama")
    comedy = GenreFactory(name="Comedy")

    error = only_error(
        graphql(UPDATE_GENRE, {"id": str(comedy.id), "name": "drama"}, user=admin_user)
    )

    assert error["message"] == "name: A genre with this name already exists."
    comedy.refresh_from_db()
    assert comedy.name == "Comedy"


def test_a_genre_may_change_the_case_of_its_own_name(graphql, admin_user):
    drama = GenreFactory(name="drama")

    data = ok(graphql(UPDATE_GENRE, {"id": str(drama.id), "name": "Drama"}, user=admin_user))

    assert data["updateGenre"]["genre"]["name"] == "Drama"


@pytest.mark.parametrize(
    ("document", "name"),
    [
        (CREATE_GENRE, ""),
        (CREATE_ACTOR, "   "),
        (CREATE_GENRE, "x" * 101),
        (CREATE_ACTOR, "x" * 201),
        (CREATE_GENRE, "Dra\x00ma"),
        (CREATE_ACTOR, "\x00"),
    ],
)
def test_bad_names_are_refused_naming_the_field(graphql, admin_user, document, name):
    error = only_error(graphql(document, {"name": name}, user=admin_user))

    assert error["message"].startswith("name: ")
    assert error["extensions"]["fields"].keys() == {"name"}
    assert not Genre.objects.exists()
    assert not Actor.objects.exists()


def test_a_missing_required_argument_is_a_graphql_error(graphql, admin_user):
    response = graphql("mutation { createGenre { genre { id } } }", user=admin_user)

    assert response.status_code == 400
    assert (
        "argument 'name' of type 'String!' is required" in response.json()["errors"][0]["message"]
    )


# --- A genre's and an actor's movies, a page at a time ----------------------------

GENRE_MOVIES_PAGE = """
query Page($id: ID!, $limit: Int, $offset: Int) {
  genre(id: $id) { movies(limit: $limit, offset: $offset) { title } }
  actor(id: $id) { movies(limit: $limit, offset: $offset) { title } }
}
"""

GENRES_WITH_TWO_PAGES = """
{ allGenres { name first: movies(limit: 2) { title } next: movies(limit: 2, offset: 2) { title } } }
"""


def _titled_movies(count: int, **relations) -> list[str]:
    """``count`` movies, oldest first named M0, M1...; returns the titles newest first."""
    now = timezone.now()
    for n in range(count):
        movie = MovieFactory(title=f"M{n}", **relations)
        Movie.objects.filter(pk=movie.pk).update(created_at=now + dt.timedelta(minutes=n))
    return [f"M{n}" for n in reversed(range(count))]


def test_a_genres_and_an_actors_movies_come_a_page_at_a_time(graphql):
    genre, actor = GenreFactory(pk=7), ActorFactory(pk=7)
    titles = _titled_movies(25, genres=[genre], actors=[actor])

    default = ok(graphql(GENRE_MOVIES_PAGE, {"id": "7"}))
    page = ok(graphql(GENRE_MOVIES_PAGE, {"id": "7", "limit": 3, "offset": 4}))

    for kind in ("genre", "actor"):
        assert [m["title"] for m in default[kind]["movies"]] == titles[:20]
        assert [m["title"] for m in page[kind]["movies"]] == titles[4:7]


@pytest.mark.parametrize("genres", [1, 6])
def test_pages_of_each_genres_movies_in_constant_queries(
    graphql, django_assert_max_num_queries, genres
):
    all_genres = GenreFactory.create_batch(genres)
    titles = _titled_movies(5, genres=all_genres)

    with django_assert_max_num_queries(3):  # genres, then one window query per page
        data = ok(graphql(GENRES_WITH_TWO_PAGES))["allGenres"]

    assert len(data) == genres
    for genre in data:
        assert [m["title"] for m in genre["first"]] == titles[:2]
        assert [m["title"] for m in genre["next"]] == titles[2:4]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"limit": 101}, "limit: Ensure this value is between 0 and 100."),
        ({"limit": -1}, "limit: Ensure this value is between 0 and 100."),
        ({"offset": -1}, "offset: Ensure this value is greater than or equal to 0."),
    ],
)
def test_a_bad_page_of_a_genres_movies_names_the_argument(graphql, variables, message):
    GenreFactory(pk=7)
    ActorFactory(pk=7)

    response = graphql(GENRE_MOVIES_PAGE, {"id": "7", **variables})

    assert [error["message"] for error in response.json()["errors"]] == [message, message]


def test_a_literal_limit_over_the_cap_on_a_genres_movies_is_refused_before_running(graphql):
    response = graphql('{ genre(id: "1") { movies(limit: 101) { title } } }')

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "limit: Ensure this value is between 0 and 100."
    )


def test_a_page_of_no_movies_is_empty(graphql):
    genre = GenreFactory(pk=7)
    MovieFactory(genres=[genre])

    data = ok(graphql("{ allGenres { movies(limit: 0, offset: 1) { id } } }"))

    assert data == {"allGenres": [{"movies": []}]}
