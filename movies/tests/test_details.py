"""Movie details (issue 14): release date, runtime, directors and a cast in billing order,
over REST, GraphQL, the admin and the pages; filters and orderings; query counts."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.catalogue_version import catalogue_version
from movies import services
from movies.models import CastMember, Movie

from .factories import GenreFactory, MovieFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = "/api/movies/"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [movie["title"] for movie in response.json()["results"]]


def cast_of(movie: Movie) -> list[tuple[str, str, int]]:
    return [(line.person.name, line.character, line.order) for line in movie.billed_cast]


@pytest.fixture
def people():
    return {
        name: PersonFactory(name=name)
        for name in ("Ada Brennan", "Meryl Streep", "Michael Caine", "Tom Hardy")
    }


# --- REST: reading -------------------------------------------------------------------------


def test_movie_reads_its_details(api_client, people):
    movie = MovieFactory(
        title="The Quiet Harbour",
        release_date=datetime.date(1994, 9, 23),
        runtime=142,
        directors=[people["Ada Brennan"]],
        cast=[(people["Tom Hardy"], "Harbour master"), (people["Meryl Streep"], "")],
    )
    Movie.objects.filter(pk=movie.pk).update(
        members_rating_average=Decimal("3.80"), members_rating_count=12
    )

    body = api_client.get(f"{URL}{movie.pk}/").json()

    assert body["release_date"] == "1994-09-23"
    assert body["year"] == 1994
    assert body["runtime"] == 142
    assert body["directors"] == [{"id": people["Ada Brennan"].pk, "name": "Ada Brennan"}]
    # actors: the cast in billing order, not by name
    assert body["actors"] == [
        {"id": people["Tom Hardy"].pk, "name": "Tom Hardy"},
        {"id": people["Meryl Streep"].pk, "name": "Meryl Streep"},
    ]
    assert body["cast"] == [
        {
            "id": people["Tom Hardy"].pk,
            "name": "Tom Hardy",
            "character": "Harbour master",
            "order": 0,
        },
        {"id": people["Meryl Streep"].pk, "name": "Meryl Streep", "character": "", "order": 1},
    ]
    assert body["members_rating"] == {"average": 3.8, "count": 12}


@pytest.mark.parametrize("count", [1, 40])
def test_list_with_details_costs_the_same_queries(api_client, django_assert_num_queries, count):
    people = PersonFactory.create_batch(6)
    for _ in range(count):
        MovieFactory(
            genres=GenreFactory.create_batch(2),
            directors=people[:2],
            cast=[(person, f"Role {i}") for i, person in enumerate(people)],
        )
    with django_assert_num_queries(5):  # count, page, genres, directors, cast with people
        response = api_client.get(URL, {"page_size": 100})
    results = response.json()["results"]
    assert len(results) == count
    assert all(len(m["cast"]) == 6 and len(m["directors"]) == 2 for m in results)


# --- REST: writing -------------------------------------------------------------------------


def test_admin_creates_a_movie_with_its_details(
    admin_client_api, people, django_capture_on_commit_callbacks
):
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_api.post(
            URL,
            {
                "title": "Harbour Lights",
                "release_date": "2001-05-04",
                "runtime": 97,
                "directors": [people["Ada Brennan"].pk],
                "cast": [
                    {"actor": people["Michael Caine"].pk, "character": "Old sailor", "order": 1},
                    {"actor": people["Meryl Streep"].pk, "character": "Keeper", "order": 0},
                ],
            },
            format="json",
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["year"], body["runtime"]) == (2001, 97)
    assert [line["name"] for line in body["cast"]] == ["Meryl Streep", "Michael Caine"]
    assert [line["character"] for line in body["cast"]] == ["Keeper", "Old sailor"]
    movie = Movie.objects.get(pk=body["id"])
    assert movie.release_date == datetime.date(2001, 5, 4)
    assert list(movie.directors.all()) == [people["Ada Brennan"]]
    assert catalogue_version() != before


def test_cast_replaces_the_cast_and_actors_replace_it_with_empty_characters(
    admin_client_api, people
):
    movie = MovieFactory(cast=[(people["Tom Hardy"], "Captain")])

    response = admin_client_api.patch(
        f"{URL}{movie.pk}/",
        {"cast": [{"actor": people["Meryl Streep"].pk, "character": "Keeper"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert cast_of(movie) == [("Meryl Streep", "Keeper", 0)]

    ids = [people["Tom Hardy"].pk, people["Ada Brennan"].pk]
    response = admin_client_api.patch(f"{URL}{movie.pk}/", {"actors": ids}, format="json")
    assert response.status_code == 200, response.json()
    assert cast_of(movie) == [("Tom Hardy", "", 0), ("Ada Brennan", "", 1)]
    assert [a["name"] for a in response.json()["actors"]] == ["Tom Hardy", "Ada Brennan"]


def test_patch_without_cast_keeps_the_cast_and_null_clears_date_and_runtime(
    admin_client_api, people
):
    movie = MovieFactory(
        cast=[(people["Tom Hardy"], "Captain")],
        release_date=datetime.date(1990, 1, 1),
        runtime=90,
    )
    response = admin_client_api.patch(
        f"{URL}{movie.pk}/", {"release_date": None, "runtime": None}, format="json"
    )
    assert response.status_code == 200, response.json()
    movie.refresh_from_db()
    assert (movie.release_date, movie.runtime) == (None, None)
    assert cast_of(movie) == [("Tom Hardy", "Captain", 0)]


def test_multipart_writes_take_date_runtime_directors_and_actors(admin_client_api, people):
    response = admin_client_api.post(
        URL,
        {
            "title": "Multipart",
            "release_date": "1975-06-20",
            "runtime": "124",
            "directors": [people["Ada Brennan"].pk],
            "actors": [people["Tom Hardy"].pk, people["Meryl Streep"].pk],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    movie = Movie.objects.get(title="Multipart")
    assert (movie.release_date, movie.runtime) == (datetime.date(1975, 6, 20), 124)
    assert cast_of(movie) == [("Tom Hardy", "", 0), ("Meryl Streep", "", 1)]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"runtime": 0}, "runtime"),
        ({"runtime": 1001}, "runtime"),
        ({"runtime": "long"}, "runtime"),
        ({"release_date": "2023-02-30"}, "release_date"),
        ({"release_date": "yesterday"}, "release_date"),
        ({"directors": [999999]}, "directors"),
        ({"cast": [{"actor": 999999, "character": "Ghost"}]}, "cast"),
        ({"cast": [{"actor": "x"}]}, "cast"),
        ({"cast": [{"actor": 1, "order": -1}]}, "cast"),
        ({"cast": [{"actor": 1, "character": "x" * 201}]}, "cast"),
        ({"cast": {"actor": 1}}, "cast"),
        ({"cast": "nope"}, "cast"),
    ],
)
def test_bad_details_are_a_400_naming_the_field(admin_client_api, body, field):
    PersonFactory(pk=1)
    response = admin_client_api.post(URL, {"title": "Bad", **body}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Movie.objects.exists()


def test_the_same_person_twice_in_the_cast_is_a_400(admin_client_api, people):
    person = people["Tom Hardy"]
    movie = MovieFactory(cast=[(person, "Kept")])
    response = admin_client_api.patch(
        f"{URL}{movie.pk}/",
        {"cast": [{"actor": person.pk, "character": "A"}, {"actor": person.pk}]},
        format="json",
    )
    assert response.status_code == 400
    assert "already in the cast" in response.json()["cast"][0]
    assert cast_of(movie) == [("Tom Hardy", "Kept", 0)]


def test_cast_and_actors_together_are_refused(admin_client_api, people):
    pk = people["Tom Hardy"].pk
    response = admin_client_api.post(
        URL, {"title": "Both", "actors": [pk], "cast": [{"actor": pk}]}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["cast"]


def test_cast_in_a_multipart_form_is_refused_with_a_message(admin_client_api, people):
    response = admin_client_api.post(
        URL, {"title": "Form", "cast": '[{"actor": 1}]'}, format="multipart"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["cast"][0]


@pytest.mark.parametrize("role", ["anonymous", "user", "other"])
def test_only_admins_write_details(api_client, user, other_user, role, people):
    movie = MovieFactory(runtime=90)
    if role != "anonymous":
        api_client.force_authenticate({"user": user, "other": other_user}[role])
    response = api_client.patch(f"{URL}{movie.pk}/", {"runtime": 100}, format="json")
    assert response.status_code == (401 if role == "anonymous" else 403)
    movie.refresh_from_db()
    assert movie.runtime == 90


def test_a_failed_write_changes_nothing_and_bumps_no_version(people):
    movie = MovieFactory(title="Kept", cast=[(people["Tom Hardy"], "Captain")], runtime=90)
    before = catalogue_version()
    with pytest.raises(services.ValidationError):
        services.movie_update(
            movie=movie, title="Changed", runtime=5000, cast=[{"actor": people["Ada Brennan"].pk}]
        )
    movie.refresh_from_db()
    assert (movie.title, movie.runtime) == ("Kept", 90)
    assert cast_of(movie) == [("Tom Hardy", "Captain", 0)]
    assert catalogue_version() == before


def test_tmdb_ids_are_unique(people):
    services.movie_create(title="One", tmdb_id=550)
    with pytest.raises(services.ValidationError) as error:
        services.movie_create(title="Two", tmdb_id=550)
    assert "tmdb_id" in error.value.message_dict
    services.actor_create(name="Someone", tmdb_id=287)
    with pytest.raises(services.ValidationError):
        services.actor_create(name="Someone else", tmdb_id=287)


# --- Filters and orderings ----------------------------------------------------------------


@pytest.fixture
def dated(people):
    ada, meryl = people["Ada Brennan"], people["Meryl Streep"]
    return {
        "old": MovieFactory(
            title="Old", release_date=datetime.date(1950, 12, 31), runtime=180, directors=[ada]
        ),
        "mid": MovieFactory(
            title="Mid", release_date=datetime.date(1994, 1, 1), runtime=90, directors=[meryl]
        ),
        "new": MovieFactory(
            title="New", release_date=datetime.date(2020, 6, 1), runtime=None, directors=[ada]
        ),
        "undated": MovieFactory(title="Undated", release_date=None, runtime=120),
    }


def test_director_filter_takes_an_id_or_part_of_a_name(api_client, dated, people):
    assert set(titles(api_client.get(URL, {"director": "brenn"}))) == {"Old", "New"}
    by_id = api_client.get(URL, {"director": people["Meryl Streep"].pk})
    assert titles(by_id) == ["Mid"]
    # an actor is not a director
    MovieFactory(title="Acted", actors=[people["Tom Hardy"]])
    assert titles(api_client.get(URL, {"director": "hardy"})) == []


def test_year_bounds_are_inclusive(api_client, dated):
    assert set(titles(api_client.get(URL, {"year_from": 1994}))) == {"Mid", "New"}
    assert set(titles(api_client.get(URL, {"year_to": 1950}))) == {"Old"}
    assert titles(api_client.get(URL, {"year_from": 1994, "year_to": 1994})) == ["Mid"]


@pytest.mark.parametrize("param", ["year_from", "year_to"])
@pytest.mark.parametrize("value", ["nineteen", "1994.5", "0", "10000"])
def test_bad_years_are_a_400_naming_the_parameter(api_client, param, value):
    response = api_client.get(URL, {param: value})
    assert response.status_code == 400
    assert list(response.json()) == [param]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("release_date", ["Old", "Mid", "New", "Undated"]),
        ("-release_date", ["New", "Mid", "Old", "Undated"]),
        ("runtime", ["Mid", "Undated", "Old", "New"]),
        ("-runtime", ["Old", "Undated", "Mid", "New"]),
    ],
)
def test_orderings_put_movies_without_the_value_last_both_ways(
    api_client, dated, ordering, expected
):
    assert titles(api_client.get(URL, {"ordering": ordering})) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"), [("members_rating", "ABCD"), ("-members_rating", "CBAD")]
)
def test_members_rating_ordering_nulls_last_and_ties_by_id(api_client, ordering, expected):
    averages = {"A": Decimal("2.50"), "B": Decimal("2.50"), "C": Decimal("4.00"), "D": None}
    for title, average in averages.items():
        movie = MovieFactory(title=title)
        Movie.objects.filter(pk=movie.pk).update(members_rating_average=average)
    got = "".join(titles(api_client.get(URL, {"ordering": ordering})))
    # ties break by id in the same direction as the ordering
    assert got == (expected if ordering == "members_rating" else "CBAD")


# --- GraphQL -------------------------------------------------------------------------------

MOVIE_DETAILS = """
query ($id: ID!) {
  movie(id: $id) {
    releaseDate year runtime
    directors { id name }
    actors { name }
    cast { actor { id name } character order }
    membersRating { average count }
  }
}
"""

ALL_MOVIES = """
query ($director: String, $yearFrom: Int, $yearTo: Int, $orderBy: String) {
  allMovies(director: $director, yearFrom: $yearFrom, yearTo: $yearTo, orderBy: $orderBy) {
    title
    cast { actor { name movies { title } } character }
    directors { name directed { title } }
  }
  moviesCount(director: $director, yearFrom: $yearFrom, yearTo: $yearTo)
}
"""

ACTOR_CREDITS = """
query ($id: ID!) { actor(id: $id) { name movies { title } directed { title } } }
"""

CREATE_MOVIE = """
mutation ($input: MovieInput!) {
  createMovie(input: $input) {
    movie { id releaseDate runtime directors { name } cast { actor { name } character order } }
  }
}
"""

UPDATE_MOVIE = """
mutation ($id: ID!, $input: MovieInput!) {
  updateMovie(id: $id, input: $input) { movie { cast { actor { name } character order } } }
}
"""


def _data(response) -> dict:
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def test_graphql_reads_the_details(graphql, people):
    movie = MovieFactory(
        release_date=datetime.date(1994, 9, 23),
        runtime=142,
        directors=[people["Ada Brennan"]],
        cast=[(people["Tom Hardy"], "Harbour master"), (people["Meryl Streep"], "")],
    )
    data = _data(graphql(MOVIE_DETAILS, {"id": str(movie.pk)}))["movie"]
    assert data["releaseDate"] == "1994-09-23"
    assert (data["year"], data["runtime"]) == (1994, 142)
    assert data["directors"] == [{"id": str(people["Ada Brennan"].pk), "name": "Ada Brennan"}]
    assert [a["name"] for a in data["actors"]] == ["Tom Hardy", "Meryl Streep"]
    assert data["cast"][0] == {
        "actor": {"id": str(people["Tom Hardy"].pk), "name": "Tom Hardy"},
        "character": "Harbour master",
        "order": 0,
    }
    assert data["membersRating"] == {"average": None, "count": 0}


def test_graphql_filters_and_orders_like_rest(graphql, dated):
    data = _data(graphql(ALL_MOVIES, {"director": "brennan", "orderBy": "-releaseDate"}))
    assert [m["title"] for m in data["allMovies"]] == ["New", "Old"]
    assert data["moviesCount"] == 2
    data = _data(graphql(ALL_MOVIES, {"yearFrom": 1951, "yearTo": 2000}))
    assert [m["title"] for m in data["allMovies"]] == ["Mid"]
    data = _data(graphql(ALL_MOVIES, {"orderBy": "runtime"}))
    assert [m["title"] for m in data["allMovies"]] == ["Mid", "Undated", "Old", "New"]


def test_graphql_bad_year_names_the_argument(graphql):
    response = graphql("query { allMovies(yearFrom: 0) { title } }")
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "yearFrom" in error["extensions"]["fields"]


@pytest.mark.parametrize("count", [1, 15])
def test_graphql_nested_credits_cost_the_same_queries(
    graphql, django_assert_num_queries, people, count
):
    for _ in range(count):
        MovieFactory(
            directors=[people["Ada Brennan"]],
            cast=[(people["Tom Hardy"], "A"), (people["Meryl Streep"], "B")],
        )
    # movies, directors, cast lines with their people; the cast's people's movies (a
    # page each), the directors' directed movies; moviesCount: 6 whatever the count
    # (no genres: the document selects none).
    with django_assert_num_queries(6):
        data = _data(graphql(ALL_MOVIES, {}))
    assert len(data["allMovies"]) == count


def test_actor_directed_lists_directing_credits(graphql, dated, people):
    data = _data(graphql(ACTOR_CREDITS, {"id": str(people["Ada Brennan"].pk)}))["actor"]
    assert {m["title"] for m in data["directed"]} == {"Old", "New"}
    assert data["movies"] == []


def test_graphql_creates_and_updates_the_details(graphql, admin_user, people):
    movie_input = {
        "title": "Made in GraphQL",
        "releaseDate": "2010-07-16",
        "runtime": 148,
        "directorIds": [str(people["Ada Brennan"].pk)],
        "cast": [
            {"actorId": str(people["Tom Hardy"].pk), "character": "Eames", "order": 2},
            {"actorId": str(people["Michael Caine"].pk), "character": "Miles", "order": 1},
        ],
    }
    movie = _data(graphql(CREATE_MOVIE, {"input": movie_input}, user=admin_user))["createMovie"][
        "movie"
    ]
    assert (movie["releaseDate"], movie["runtime"]) == ("2010-07-16", 148)
    assert [line["actor"]["name"] for line in movie["cast"]] == ["Michael Caine", "Tom Hardy"]

    updated = _data(
        graphql(
            UPDATE_MOVIE,
            {"id": movie["id"], "input": {"actorIds": [str(people["Meryl Streep"].pk)]}},
            user=admin_user,
        )
    )["updateMovie"]["movie"]
    assert updated["cast"] == [{"actor": {"name": "Meryl Streep"}, "character": "", "order": 0}]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"runtime": 0}, "runtime"),
        ({"runtime": 1001}, "runtime"),
        ({"directorIds": ["999999"]}, "directorIds"),
        ({"cast": [{"actorId": "999999"}]}, "cast"),
        ({"cast": [{"actorId": "1"}, {"actorId": "1"}]}, "cast"),
    ],
)
def test_graphql_bad_details_name_the_field(graphql, admin_user, extra, field):
    PersonFactory(pk=1)
    response = graphql(CREATE_MOVIE, {"input": {"title": "Bad", **extra}}, user=admin_user)
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert list(error["extensions"]["fields"]) == [field]
    assert not Movie.objects.exists()


def test_graphql_impossible_date_is_refused_naming_the_field(graphql, admin_user):
    response = graphql(
        CREATE_MOVIE, {"input": {"title": "Bad", "releaseDate": "2023-02-30"}}, user=admin_user
    )
    errors = response.json()["errors"]
    assert "releaseDate" in errors[0]["message"]
    assert not Movie.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "user", "other"])
def test_graphql_detail_writes_are_for_admins(graphql, user, other_user, role, people):
    movie = MovieFactory(runtime=90)
    response = graphql(
        UPDATE_MOVIE,
        {"id": str(movie.pk), "input": {"runtime": 100}},
        user={"user": user, "other": other_user}.get(role),
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    movie.refresh_from_db()
    assert movie.runtime == 90


# --- Admin ---------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))
    return client


def admin_form(*cast, **fields) -> dict:
    data = {
        "title": "Admin movie",
        "plot_summary": "",
        "rating": "3.0",
        "genres": [],
        "directors": [],
        "cast_members-TOTAL_FORMS": str(len(cast)),
        "cast_members-INITIAL_FORMS": "0",
        "cast_members-MIN_NUM_FORMS": "0",
        "cast_members-MAX_NUM_FORMS": "1000",
    }
    for index, (person, character, order) in enumerate(cast):
        data[f"cast_members-{index}-person"] = str(person.pk)
        data[f"cast_members-{index}-character"] = character
        data[f"cast_members-{index}-order"] = str(order)
    data.update(fields)
    return data


def test_admin_saves_details_and_the_cast_inline(superuser_client, people):
    response = superuser_client.post(
        reverse("admin:movies_movie_add"),
        admin_form(
            (people["Tom Hardy"], "Eames", 1),
            (people["Meryl Streep"], "  Keeper  ", 0),
            release_date="2010-07-16",
            runtime="148",
            directors=[people["Ada Brennan"].pk],
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    movie = Movie.objects.get()
    assert (movie.release_date, movie.runtime) == (datetime.date(2010, 7, 16), 148)
    assert list(movie.directors.all()) == [people["Ada Brennan"]]
    assert cast_of(movie) == [("Meryl Streep", "Keeper", 0), ("Tom Hardy", "Eames", 1)]


def test_admin_refuses_the_same_person_twice(superuser_client, people):
    person = people["Tom Hardy"]
    response = superuser_client.post(
        reverse("admin:movies_movie_add"), admin_form((person, "A", 0), (person, "B", 1))
    )
    assert response.status_code == 200
    assert not Movie.objects.exists()
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() or any(formset.errors)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"runtime": "0"}, "runtime"),
        ({"runtime": "1001"}, "runtime"),
        ({"release_date": "2023-02-30"}, "release_date"),
    ],
)
def test_admin_bad_details_are_form_errors(superuser_client, fields, field):
    response = superuser_client.post(reverse("admin:movies_movie_add"), admin_form(**fields))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Movie.objects.exists()


def test_admin_edits_the_cast_of_a_stored_movie(superuser_client, people):
    movie = MovieFactory(cast=[(people["Tom Hardy"], "Old part")])
    line = CastMember.objects.get()
    data = admin_form(title=movie.title)
    data.update(
        {
            "cast_members-TOTAL_FORMS": "2",
            "cast_members-INITIAL_FORMS": "1",
            "cast_members-0-id": str(line.pk),
            "cast_members-0-movie": str(movie.pk),
            "cast_members-0-person": str(people["Tom Hardy"].pk),
            "cast_members-0-character": "New part",
            "cast_members-0-order": "1",
            "cast_members-1-movie": str(movie.pk),
            "cast_members-1-person": str(people["Meryl Streep"].pk),
            "cast_members-1-character": "Lead",
            "cast_members-1-order": "0",
        }
    )
    response = superuser_client.post(reverse("admin:movies_movie_change", args=[movie.pk]), data)
    assert response.status_code == 302
    assert cast_of(movie) == [("Meryl Streep", "Lead", 0), ("Tom Hardy", "New part", 1)]


# --- Pages ---------------------------------------------------------------------------------


def test_movie_page_shows_facts_directors_and_cast_with_characters(client, people):
    drama = GenreFactory(name="Drama")
    movie = MovieFactory(
        title="The Quiet Harbour",
        release_date=datetime.date(1994, 9, 23),
        runtime=142,
        genres=[drama],
        directors=[people["Ada Brennan"]],
        cast=[(people["Tom Hardy"], "Harbour master"), (people["Meryl Streep"], "")],
    )
    page = client.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    start = page.index('class="movie-facts')
    facts = page[page.index(">", start) + 1 : page.index("</p>", start)]
    text = " ".join(
        re.sub(r"<span class=\"visually-hidden\">[^<]*</span>|<[^>]+>", "", facts).split()
    )
    assert text == "1994 · 2h 22m · Drama"
    for person in (people["Ada Brennan"], people["Tom Hardy"], people["Meryl Streep"]):
        assert (
            f'href="{reverse("movies:actor_detail", args=[person.pk])}">{person.name}</a>' in page
        )
    assert "Harbour master" in page
    # billing order, not names
    assert page.index("Tom Hardy") < page.index("Meryl Streep", page.index("cast-heading"))


def test_person_page_lists_acting_and_directing_credits_newest_first(client, people):
    ada = people["Ada Brennan"]
    MovieFactory(title="Directed Early", release_date=datetime.date(1980, 1, 1), directors=[ada])
    MovieFactory(title="Directed Late", release_date=datetime.date(2015, 1, 1), directors=[ada])
    MovieFactory(title="Directed Undated", directors=[ada])
    MovieFactory(title="Acted Old", release_date=datetime.date(1990, 1, 1), cast=[(ada, "Nun")])
    MovieFactory(title="Acted New", release_date=datetime.date(2020, 1, 1), cast=[(ada, "Spy")])

    response = client.get(reverse("movies:actor_detail", args=[ada.pk]))
    page = response.content.decode()

    assert [m.title for m in response.context["directed"]] == [
        "Directed Late",
        "Directed Early",
        "Directed Undated",
    ]
    assert [m.title for m in response.context["movies"]] == ["Acted New", "Acted Old"]
    assert (
        page.index("Directed Late") < page.index("Directed Early") < page.index("Directed Undated")
    )
    assert page.index("Acted New") < page.index("Acted Old")


def test_list_page_filters_by_director_and_years(client, dated):
    response = client.get(
        reverse("movies:list"), {"director": "brennan", "year_from": "2000", "year_to": "2030"}
    )
    assert [m.title for m in response.context["movies"]] == ["New"]
    bad = client.get(reverse("movies:list"), {"year_from": "soon"})
    assert bad.status_code == 200
    assert "year_from" in bad.context["form"].errors


# --- TMDB ids (the importer's key) ---------------------------------------------------------


def test_tmdb_ids_are_written_over_rest_found_by_filter_and_never_shown(admin_client_api):
    person = admin_client_api.post(
        "/api/movies/actors/", {"name": "Ada Brennan", "tmdb_id": 287}, format="json"
    )
    assert person.status_code == 201, person.json()
    assert person.json() == {"id": person.json()["id"], "name": "Ada Brennan"}
    movie = admin_client_api.post(URL, {"title": "Imported", "tmdb_id": 550}, format="json")
    assert movie.status_code == 201, movie.json()
    assert "tmdb_id" not in movie.json()

    assert titles(admin_client_api.get(URL, {"tmdb_id": 550})) == ["Imported"]
    found = admin_client_api.get("/api/movies/actors/", {"tmdb_id": 287}).json()["results"]
    assert [p["name"] for p in found] == ["Ada Brennan"]

    again = admin_client_api.post(URL, {"title": "Again", "tmdb_id": 550}, format="json")
    assert again.status_code == 400
    assert list(again.json()) == ["tmdb_id"]
    twin = admin_client_api.post(
        "/api/movies/actors/", {"name": "Twin", "tmdb_id": 287}, format="json"
    )
    assert twin.status_code == 400
    assert list(twin.json()) == ["tmdb_id"]


def test_suggestions_carry_the_release_year(api_client):
    MovieFactory(title="Godzilla", release_date=datetime.date(1954, 11, 3))
    body = api_client.get("/api/movies/suggest/", {"q": "godz"}).json()
    assert [(s["title"], s["year"]) for s in body] == [("Godzilla", 1954)]
