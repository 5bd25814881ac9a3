"""The movie resource over REST: shape, validation, filters, ordering, pagination, posters."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from movies.models import Genre, Movie

from .factories import ActorFactory, GenreFactory, MovieFactory
from .images import image_upload

pytestmark = pytest.mark.django_db

URL = "/api/movies/"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [movie["title"] for movie in response.json()["results"]]


# --- Reading -------------------------------------------------------------------------------


def test_movie_is_read_with_nested_genres_and_actors(api_client):
    drama = GenreFactory(name="Drama")
    streep = ActorFactory(name="Meryl Streep")
    movie = MovieFactory(
        title="The Quiet Harbour", rating=Decimal("4.5"), genres=[drama], actors=[streep]
    )

    body = api_client.get(f"{URL}{movie.pk}/").json()

    assert body == {
        "id": movie.pk,
        "title": "The Quiet Harbour",
        "plot_summary": movie.plot_summary,
        "image": None,
        "image_sizes": None,
        "rating": 4.5,
        "genres": [{"id": drama.pk, "name": "Drama"}],
        "actors": [{"id": streep.pk, "name": "Meryl Streep"}],
        "created_at": movie.created_at.isoformat().replace("+00:00", "Z"),
        "release_date": None,
        "year": None,
        "runtime": None,
        "directors": [],
        "cast": [{"id": streep.pk, "name": "Meryl Streep", "character": "", "order": 0}],
        "members_rating": {"average": None, "count": 0},
    }


def test_list_is_paginated_with_links(api_client):
    MovieFactory.create_batch(25)

    first = api_client.get(URL).json()
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"].endswith("/api/movies/?page=2")

    second = api_client.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert second["next"] is None


def test_page_size_is_honoured_and_capped_at_100(api_client):
    MovieFactory.create_batch(105)
    assert len(api_client.get(URL, {"page_size": 7}).json()["results"]) == 7
    assert len(api_client.get(URL, {"page_size": 500}).json()["results"]) == 100


def test_page_past_the_end_is_404(api_client):
    MovieFactory()
    response = api_client.get(URL, {"page": 9})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_default_order_is_newest_first_with_ties_broken_by_id(api_client):
    movies = MovieFactory.create_batch(3)
    Movie.objects.update(created_at=movies[0].created_at)  # all tied
    assert titles(api_client.get(URL)) == [m.title for m in reversed(movies)]


@pytest.mark.parametrize("count", [1, 60])
def test_list_costs_the_same_number_of_queries_however_long(
    api_client, django_assert_num_queries, count
):
    genres = GenreFactory.create_batch(3)
    actors = ActorFactory.create_batch(4)
    directors = ActorFactory.create_batch(2)
    MovieFactory.create_batch(count, genres=genres, actors=actors, directors=directors)
    # count, page of movies, their genres, their directors, their cast with its people
    with django_assert_num_queries(5):
        response = api_client.get(URL, {"page_size": 100})
    assert len(response.json()["results"]) == count
    assert all(len(m["genres"]) == 3 and len(m["actors"]) == 4 for m in response.json()["results"])


@pytest.mark.parametrize("url", ["/api/movies/genres/", "/api/movies/actors/"])
def test_genre_and_actor_lists_cost_two_queries(api_client, django_assert_num_queries, url):
    GenreFactory.create_batch(30)
    ActorFactory.create_batch(30)
    with django_assert_num_queries(2):
        assert api_client.get(url).status_code == 200


# --- Filters and ordering ------------------------------------------------------------------


@pytest.fixture
def catalogue():
    drama = GenreFactory(name="Drama")
    comedy = GenreFactory(name="Comedy")
    leo = ActorFactory(name="Leonardo DiCaprio")
    meryl = ActorFactory(name="Meryl Streep")
    return {
        "harbour": MovieFactory(
            title="The Quiet Harbour",
            plot_summary="A lighthouse keeper waits.",
            rating=Decimal("4.5"),
            genres=[drama],
            actors=[meryl],
        ),
        "storm": MovieFactory(
            title="Storm Over Lisbon",
            plot_summary="Two rivals share a harbour.",
            rating=Decimal("3.0"),
            genres=[drama, comedy],
            actors=[leo, meryl],
        ),
        "laugh": MovieFactory(
            title="Laugh Track",
            plot_summary="A sitcom writer loses the plot.",
            rating=Decimal("1.5"),
            genres=[comedy],
            actors=[leo],
        ),
        "drama": drama,
        "comedy": comedy,
        "leo": leo,
        "meryl": meryl,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "HARBOUR"}, {"The Quiet Harbour", "Storm Over Lisbon"}),  # title or plot
        ({"title": "harbour"}, {"The Quiet Harbour"}),
        ({"genre": "drama"}, {"The Quiet Harbour", "Storm Over Lisbon"}),
        ({"genre": "COMEDY"}, {"Storm Over Lisbon", "Laugh Track"}),
        ({"actor": "dicap"}, {"Storm Over Lisbon", "Laugh Track"}),
        ({"min_rating": "3"}, {"The Quiet Harbour", "Storm Over Lisbon"}),
        ({"max_rating": "3.0"}, {"Storm Over Lisbon", "Laugh Track"}),
        ({"min_rating": "2", "max_rating": "4"}, {"Storm Over Lisbon"}),
        ({"genre": "comedy", "actor": "streep"}, {"Storm Over Lisbon"}),
        ({"search": "nothing like this"}, set()),
        ({"genre": "Western"}, set()),
    ],
)
def test_filters(api_client, catalogue, params, expected):
    assert set(titles(api_client.get(URL, params))) == expected


def test_genre_and_actor_filters_take_ids(api_client, catalogue):
    by_genre = titles(api_client.get(URL, {"genre": catalogue["comedy"].pk}))
    assert set(by_genre) == {"Storm Over Lisbon", "Laugh Track"}
    by_actor = titles(api_client.get(URL, {"actor": catalogue["meryl"].pk}))
    assert set(by_actor) == {"The Quiet Harbour", "Storm Over Lisbon"}


@pytest.mark.parametrize("param", ["genre", "actor"])
@pytest.mark.parametrize(
    "value",
    ["²", "１", str(2**63), "9" * 5000],
    ids=["superscript-two", "fullwidth-one", "2**63", "5000-digits"],
)
def test_id_like_genre_and_actor_values_that_are_no_id_are_names(
    api_client, catalogue, param, value
):
    # "²".isdigit() is true but int("²") fails; 2**63 is beyond a bigint; 5000 digits
    # are beyond Python's int() limit. None is an id, so they only match as names.
    response = api_client.get(URL, {param: value})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_genre_named_like_a_number_matches_by_name(api_client):
    genre = GenreFactory(name="²")
    MovieFactory(title="Squared", genres=[genre])
    assert titles(api_client.get(URL, {"genre": "²"})) == ["Squared"]


def test_a_movie_matching_several_actors_is_listed_once(api_client, catalogue):
    # "e" is in both Leonardo DiCaprio and Meryl Streep, both in Storm Over Lisbon.
    response = api_client.get(URL, {"actor": "e"})
    assert sorted(titles(response)) == ["Laugh Track", "Storm Over Lisbon", "The Quiet Harbour"]
    assert response.json()["count"] == 3


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["Laugh Track", "Storm Over Lisbon", "The Quiet Harbour"]),
        ("-title", ["The Quiet Harbour", "Storm Over Lisbon", "Laugh Track"]),
        ("rating", ["Laugh Track", "Storm Over Lisbon", "The Quiet Harbour"]),
        ("-rating", ["The Quiet Harbour", "Storm Over Lisbon", "Laugh Track"]),
        ("created_at", ["The Quiet Harbour", "Storm Over Lisbon", "Laugh Track"]),
        ("-created_at", ["Laugh Track", "Storm Over Lisbon", "The Quiet Harbour"]),
    ],
)
def test_ordering(api_client, catalogue, ordering, expected):
    assert titles(api_client.get(URL, {"ordering": ordering})) == expected


def test_ordering_ties_are_broken_by_id(api_client):
    movies = MovieFactory.create_batch(4, rating=Decimal("2.0"))
    ids = [m.pk for m in movies]
    assert [m["id"] for m in api_client.get(URL, {"ordering": "rating"}).json()["results"]] == ids
    descending = api_client.get(URL, {"ordering": "-rating"}).json()["results"]
    assert [m["id"] for m in descending] == ids[::-1]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_rating": "lots"}, "min_rating"),
        ({"max_rating": "x"}, "max_rating"),
        ({"ordering": "plot_summary"}, "ordering"),
    ],
)
def test_bad_filter_values_are_400_naming_the_field(api_client, catalogue, params, field):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


# --- Writing -------------------------------------------------------------------------------


def test_admin_creates_a_movie_with_ids_and_reads_it_back_nested(admin_client_api):
    drama = GenreFactory(name="Drama")
    leo, meryl = ActorFactory(name="Leonardo DiCaprio"), ActorFactory(name="Meryl Streep")

    response = admin_client_api.post(
        URL,
        {
            "title": "Harbour Lights",
            "plot_summary": "Night falls.",
            "rating": 3.7,
            "genres": [drama.pk],
            "actors": [meryl.pk, leo.pk],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["rating"] == 3.7
    assert body["genres"] == [{"id": drama.pk, "name": "Drama"}]
    # actors are the cast in billing order: the order they were sent in
    assert body["actors"] == [
        {"id": meryl.pk, "name": "Meryl Streep"},
        {"id": leo.pk, "name": "Leonardo DiCaprio"},
    ]
    movie = Movie.objects.get(pk=body["id"])
    assert movie.rating == Decimal("3.7")
    assert list(movie.actors.values_list("name", flat=True)) == [
        "Meryl Streep",
        "Leonardo DiCaprio",
    ]


def test_patch_replaces_relations_only_when_given(admin_client_api):
    drama, comedy = GenreFactory(name="Drama"), GenreFactory(name="Comedy")
    actor = ActorFactory()
    movie = MovieFactory(genres=[drama], actors=[actor])

    admin_client_api.patch(f"{URL}{movie.pk}/", {"rating": 2.5}, format="json")
    assert list(movie.genres.all()) == [drama]
    assert list(movie.actors.all()) == [actor]

    response = admin_client_api.patch(f"{URL}{movie.pk}/", {"genres": [comedy.pk]}, format="json")
    assert response.json()["genres"] == [{"id": comedy.pk, "name": "Comedy"}]
    assert list(movie.actors.all()) == [actor]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Ok", "rating": 5.1}, "rating"),
        ({"title": "Ok", "rating": -0.1}, "rating"),
        ({"title": "Ok", "rating": 4.25}, "rating"),
        ({"title": "Ok", "rating": "high"}, "rating"),
        ({"title": "Ok", "genres": [999]}, "genres"),
        ({"title": "Ok", "actors": [999]}, "actors"),
        ({"title": "Ok", "genres": "drama"}, "genres"),
    ],
)
def test_invalid_movie_is_400_naming_the_field_and_nothing_is_written(
    admin_client_api, body, field
):
    response = admin_client_api.post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Movie.objects.count() == 0


def test_an_unknown_id_among_good_ones_writes_nothing(admin_client_api):
    good = GenreFactory()
    movie = MovieFactory(title="Before", genres=[good])
    response = admin_client_api.put(
        f"{URL}{movie.pk}/", {"title": "After", "genres": [good.pk, 999]}, format="json"
    )
    assert response.status_code == 400
    assert "genres" in response.json()
    movie.refresh_from_db()
    assert movie.title == "Before"


def test_rating_bounds_are_accepted(admin_client_api):
    for rating in (0, 0.0, 5, 5.0):
        response = admin_client_api.post(URL, {"title": "Edge", "rating": rating}, format="json")
        assert response.status_code == 201
        assert response.json()["rating"] == float(rating)


def test_malformed_json_is_400(admin_client_api):
    response = admin_client_api.generic(
        "POST", URL, data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


# --- Genres and actors ---------------------------------------------------------------------


def test_genre_names_are_unique_ignoring_case(admin_client_api):
    GenreFactory(name="Drama")
    response = admin_client_api.post("/api/movies/genres/", {"name": "dRAMA"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["A genre with this name already exists."]}
    assert Genre.objects.count() == 1


def test_renaming_a_genre_to_its_own_name_in_another_case_is_fine(admin_client_api):
    genre = GenreFactory(name="drama")
    response = admin_client_api.put(
        f"/api/movies/genres/{genre.pk}/", {"name": "Drama"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Drama"


def test_renaming_a_genre_onto_another_is_refused(admin_client_api):
    GenreFactory(name="Drama")
    comedy = GenreFactory(name="Comedy")
    response = admin_client_api.patch(
        f"/api/movies/genres/{comedy.pk}/", {"name": "DRAMA"}, format="json"
    )
    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize("url", ["/api/movies/genres/", "/api/movies/actors/"])
@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "   "}])
def test_blank_names_are_refused(admin_client_api, url, body):
    response = admin_client_api.post(url, body, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize("url", ["/api/movies/genres/", "/api/movies/actors/"])
def test_name_filter_is_a_case_insensitive_substring(api_client, url):
    GenreFactory(name="Science Fiction")
    GenreFactory(name="Drama")
    ActorFactory(name="Science Guy")
    ActorFactory(name="Meryl Streep")
    names = [row["name"] for row in api_client.get(url, {"name": "SCIENCE"}).json()["results"]]
    assert len(names) == 1
    assert "Science" in names[0]


def test_deleting_a_genre_keeps_its_movies(admin_client_api):
    genre = GenreFactory()
    movie = MovieFactory(genres=[genre])
    assert admin_client_api.delete(f"/api/movies/genres/{genre.pk}/").status_code == 204
    assert Movie.objects.filter(pk=movie.pk).exists()
    assert movie.genres.count() == 0


# --- Posters -------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "ext"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_multipart_upload_with_a_poster(admin_client_api, settings, fmt, ext):
    genre_a, genre_b = GenreFactory(), GenreFactory()
    response = admin_client_api.post(
        URL,
        {
            "title": "With Poster",
            "rating": "4.0",
            "genres": [genre_a.pk, genre_b.pk],  # repeated fields in multipart
            "image": image_upload(f"poster.{ext}", fmt=fmt),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["image"].startswith("http://testserver/media/movies/")
    assert body["image"].endswith(f".{ext}")
    assert {g["id"] for g in body["genres"]} == {genre_a.pk, genre_b.pk}
    stored = Movie.objects.get(pk=body["id"]).image
    with Image.open(stored.path) as image:
        assert image.format == fmt
        assert image.size == (40, 60)


def test_stored_poster_is_re_encoded_without_metadata(admin_client_api):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "secret GPS-ish description"
    Image.new("RGB", (30, 30), "blue").save(buffer, format="JPEG", exif=exif.tobytes())
    upload = SimpleUploadedFile("p.jpg", buffer.getvalue() + b"TRAILING-BYTES", "image/jpeg")

    response = admin_client_api.post(URL, {"title": "Meta", "image": upload}, format="multipart")

    assert response.status_code == 201, response.json()
    stored = Movie.objects.get(pk=response.json()["id"]).image
    data = stored.read()
    assert b"secret GPS-ish" not in data
    assert b"TRAILING-BYTES" not in data


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("notes.png", b"this is not an image at all", "image/png"),
        SimpleUploadedFile("empty.png", b"", "image/png"),
    ],
    ids=["text", "empty"],
)
def test_a_file_that_is_not_an_image_is_refused(admin_client_api, upload):
    response = admin_client_api.post(URL, {"title": "Bad", "image": upload}, format="multipart")
    assert response.status_code == 400
    assert "image" in response.json()
    assert Movie.objects.count() == 0


def test_an_image_format_we_do_not_take_is_refused(admin_client_api):
    response = admin_client_api.post(
        URL, {"title": "Gif", "image": image_upload("p.gif", fmt="GIF")}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["image"] == ["Upload a PNG, JPEG or WebP image."]


def test_a_poster_over_the_size_limit_is_refused(admin_client_api, settings):
    settings.POSTER_MAX_BYTES = 1024
    big = image_upload("big.png", size=(300, 300))
    response = admin_client_api.post(URL, {"title": "Big", "image": big}, format="multipart")
    assert response.status_code == 400
    assert "too large" in response.json()["image"][0]
    assert Movie.objects.count() == 0


def test_a_small_file_that_decodes_to_a_huge_bitmap_is_refused(admin_client_api, settings):
    # A 10000×10000 single-colour PNG compresses to a few KB but is 100 megapixels.
    buffer = io.BytesIO()
    Image.new("1", (10000, 10000)).save(buffer, format="PNG", optimize=True)
    assert len(buffer.getvalue()) < 100_000
    bomb = SimpleUploadedFile("bomb.png", buffer.getvalue(), "image/png")

    response = admin_client_api.post(URL, {"title": "Bomb", "image": bomb}, format="multipart")

    assert response.status_code == 400
    assert "pixels" in response.json()["image"][0]


def test_poster_can_be_replaced_and_removed_and_old_files_go(
    admin_client_api, settings, django_capture_on_commit_callbacks
):
    created = admin_client_api.post(
        URL, {"title": "P", "image": image_upload()}, format="multipart"
    ).json()
    movie = Movie.objects.get(pk=created["id"])
    first_path = movie.image.path

    with django_capture_on_commit_callbacks(execute=True):
        admin_client_api.patch(
            f"{URL}{movie.pk}/", {"image": image_upload("b.png")}, format="multipart"
        )
    movie.refresh_from_db()
    assert movie.image.path != first_path
    assert not (settings.MEDIA_ROOT / "movies" / first_path.split("/")[-1]).exists()

    second_path = movie.image.path
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_api.patch(f"{URL}{movie.pk}/", {"image": None}, format="json")
    assert response.status_code == 200
    assert response.json()["image"] is None
    assert not (settings.MEDIA_ROOT / "movies" / second_path.split("/")[-1]).exists()


def test_deleting_a_movie_removes_its_poster(admin_client_api, django_capture_on_commit_callbacks):
    created = admin_client_api.post(
        URL, {"title": "P", "image": image_upload()}, format="multipart"
    ).json()
    path = Movie.objects.get(pk=created["id"]).image.path
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client_api.delete(f"{URL}{created['id']}/").status_code == 204
    assert not Path(path).exists()


def test_put_without_optional_fields_leaves_them_unchanged(admin_client_api):
    genre = GenreFactory()
    movie = MovieFactory(plot_summary="Kept", rating=Decimal("4.0"), genres=[genre])
    response = admin_client_api.put(f"{URL}{movie.pk}/", {"title": "New"}, format="json")
    assert response.status_code == 200
    movie.refresh_from_db()
    assert (movie.title, movie.plot_summary, movie.rating) == ("New", "Kept", Decimal("4.0"))
    assert list(movie.genres.all()) == [genre]


def test_put_without_a_title_is_400(admin_client_api):
    movie = MovieFactory()
    response = admin_client_api.put(f"{URL}{movie.pk}/", {"rating": 1.0}, format="json")
    assert response.status_code == 400
    assert "title" in response.json()
