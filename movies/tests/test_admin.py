"""The movie admin saves and deletes through ``movies.services``: the same rules as the
APIs (titles, NUL characters, ratings, poster checks) and no orphaned poster files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from movies.models import Actor, Genre, Movie

from .factories import ActorFactory, GenreFactory, MovieFactory
from .images import image_upload

pytestmark = pytest.mark.django_db

ADD = reverse("admin:movies_movie_add")
ADMIN_NAMES = {"genre": "genre", "actor": "person"}  # actors are people
CHANGELIST = reverse("admin:movies_movie_changelist")


def change_url(movie: Movie) -> str:
    return reverse("admin:movies_movie_change", args=[movie.pk])


def delete_url(movie: Movie) -> str:
    return reverse("admin:movies_movie_delete", args=[movie.pk])


def cast_rows(*lines, initial: int = 0) -> dict:
    """The cast inline's POST data: ``(person, character, order)`` lines, plus the
    management form (``initial`` lines were already stored and are sent back with ids)."""
    data = {
        "cast_members-TOTAL_FORMS": str(len(lines)),
        "cast_members-INITIAL_FORMS": str(initial),
        "cast_members-MIN_NUM_FORMS": "0",
        "cast_members-MAX_NUM_FORMS": "1000",
    }
    for index, (person, character, order, *line_id) in enumerate(lines):
        data[f"cast_members-{index}-person"] = str(person.pk)
        data[f"cast_members-{index}-character"] = character
        data[f"cast_members-{index}-order"] = str(order)
        if line_id:
            data[f"cast_members-{index}-id"] = str(line_id[0])
    return data


def form_data(*cast, **fields) -> dict:
    data = {
        "title": "Arrival",
        "plot_summary": "",
        "rating": "4.5",
        "genres": [],
        "directors": [],
        **cast_rows(*cast),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT) / "movies"
    return sorted(path.name for path in root.iterdir()) if root.exists() else []


def with_sizes(name: str) -> list[str]:
    """A poster's file name and its three WebP sizes' (``movies.images``)."""
    stem = Path(name).stem
    return sorted([Path(name).name, *(f"{stem}-{width}.webp" for width in (185, 342, 780))])


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["anonymous", "user", "other", "admin"])
def test_only_admins_reach_the_movie_admin(client, user, other_user, django_user_model, role):
    people = {"user": user, "other": other_user}
    if role == "admin":
        people["admin"] = django_user_model.objects.create_superuser("boss", "b@example.com", "pw")
    if role in people:
        client.force_login(people[role])

    response = client.get(ADD)

    if role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_adding_a_movie_goes_through_the_service(
    superuser_client, django_capture_on_commit_callbacks
):
    drama, cast = GenreFactory(name="Drama"), ActorFactory(name="Amy Adams")

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            ADD,
            form_data(
                (cast, "Louise Banks", 0),
                title="  Arrival  ",
                genres=[drama.pk],
                image=image_upload("poster.png"),
            ),
        )

    assert response.status_code == 302, response.context["adminform"].form.errors
    movie = Movie.objects.get()
    assert movie.title == "Arrival"
    assert movie.rating == Decimal("4.5")
    assert list(movie.genres.all()) == [drama]
    assert [(line.person, line.character) for line in movie.billed_cast] == [(cast, "Louise Banks")]
    # Re-encoded by the service under a fresh name, not the upload's.
    assert movie.image.name.startswith("movies/")
    assert not movie.image.name.endswith("poster.png")
    assert stored_files() == with_sizes(movie.image.name)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "Bad\x00title"}, "title", "Null characters are not allowed."),
        ({"plot_summary": "nul\x00"}, "plot_summary", "Null characters are not allowed."),
        ({"title": "   "}, "title", "This field is required."),
        ({"rating": "4.25"}, "rating", "Ensure that there are no more than 2 digits in total."),
        ({"rating": "6"}, "rating", "The rating must be between 0.0 and 5.0."),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(superuser_client, fields, field, message):
    response = superuser_client.post(ADD, form_data(**fields))

    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field]
    assert not Movie.objects.exists()


def test_a_file_that_is_not_an_image_is_a_form_error(superuser_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("notes.png", b"not an image", content_type="image/png")

    response = superuser_client.post(ADD, form_data(image=upload))

    assert response.status_code == 200
    assert "image" in response.context["adminform"].form.errors
    assert not Movie.objects.exists()
    assert stored_files() == []


def test_replacing_the_poster_deletes_the_old_file(
    superuser_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(ADD, form_data(image=image_upload("first.png")))
    movie = Movie.objects.get()
    old_name = movie.image.name

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            change_url(movie),
            form_data(title="Arrival (2016)", image=image_upload("second.jpg", fmt="JPEG")),
        )

    assert response.status_code == 302
    movie.refresh_from_db()
    assert movie.title == "Arrival (2016)"
    assert movie.image.name != old_name
    assert movie.image.name.endswith(".jpg")
    assert stored_files() == with_sizes(movie.image.name)


def test_clearing_the_poster_deletes_its_file(superuser_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(ADD, form_data(image=image_upload()))
    movie = Movie.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(change_url(movie), form_data(**{"image-clear": "on"}))

    assert response.status_code == 302
    movie.refresh_from_db()
    assert movie.image.name == ""
    assert stored_files() == []


def test_changing_other_fields_keeps_the_poster_and_sets_relations(
    superuser_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(ADD, form_data(image=image_upload()))
    movie = Movie.objects.get()
    poster = movie.image.name
    comedy = GenreFactory(name="Comedy")

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            change_url(movie), form_data(rating="3.0", genres=[comedy.pk])
        )

    assert response.status_code == 302
    movie.refresh_from_db()
    assert (movie.rating, movie.image.name) == (Decimal("3.0"), poster)
    assert list(movie.genres.all()) == [comedy]
    assert stored_files() == with_sizes(poster)


def test_deleting_a_movie_deletes_its_poster(superuser_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(ADD, form_data(image=image_upload()))
    movie = Movie.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(delete_url(movie), {"post": "yes"})

    assert response.status_code == 302
    assert not Movie.objects.exists()
    assert stored_files() == []


def test_deleting_selected_movies_deletes_their_posters(
    superuser_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for title in ("One", "Two"):
            superuser_client.post(ADD, form_data(title=title, image=image_upload()))
    kept = MovieFactory(title="Kept")
    doomed = Movie.objects.exclude(pk=kept.pk)
    assert len(stored_files()) == 2 * 4  # two posters, each with three sizes

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            CHANGELIST,
            {
                "action": "delete_selected",
                "_selected_action": [movie.pk for movie in doomed],
                "post": "yes",
            },
        )

    assert response.status_code == 302
    assert list(Movie.objects.all()) == [kept]
    assert stored_files() == []


# --- Genres and actors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("genre", "  Science \t  fiction ", "Science fiction"),
        ("actor", " Amy   Adams ", "Amy Adams"),
    ],
)
def test_names_are_saved_through_the_service(superuser_client, kind, typed, stored):
    model = {"genre": Genre, "actor": Actor}[kind]

    response = superuser_client.post(
        reverse(f"admin:movies_{ADMIN_NAMES[kind]}_add"), {"name": typed}
    )

    assert response.status_code == 302
    assert model.objects.get().name == stored


@pytest.mark.parametrize(
    ("kind", "name", "message"),
    [
        ("genre", "dRAMA", "A genre with this name already exists."),
        ("genre", "Dr\x00ama", "Null characters are not allowed."),
        ("actor", "Amy\x00", "Null characters are not allowed."),
        ("actor", "   ", "This field is required."),
    ],
)
def test_bad_names_are_form_errors(superuser_client, kind, name, message):
    GenreFactory(name="Drama")

    response = superuser_client.post(
        reverse(f"admin:movies_{ADMIN_NAMES[kind]}_add"), {"name": name}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [message]


def test_renaming_a_genre_to_its_own_name_in_another_case_is_fine(superuser_client):
    genre = GenreFactory(name="Drama")

    response = superuser_client.post(
        reverse("admin:movies_genre_change", args=[genre.pk]), {"name": "DRAMA"}
    )

    assert response.status_code == 302
    genre.refresh_from_db()
    assert genre.name == "DRAMA"


def test_deleting_genres_and_actors_through_the_admin(superuser_client):
    genre, actor = GenreFactory(name="Noir"), ActorFactory(name="Ann")

    superuser_client.post(reverse("admin:movies_genre_delete", args=[genre.pk]), {"post": "yes"})
    superuser_client.post(
        reverse("admin:movies_person_changelist"),
        {"action": "delete_selected", "_selected_action": [actor.pk], "post": "yes"},
    )

    assert not Genre.objects.exists()
    assert not Actor.objects.exists()


# --- Titles and the rating filter (issue 16) ----------------------------------------------------


def test_admin_is_titled_with_the_site_name(superuser_client):
    page = superuser_client.get(reverse("admin:index")).content.decode()
    assert f"{settings.SITE_NAME} administration" in page
    assert "Django administration" not in page


def test_rating_filter_offers_ranges_not_every_value(superuser_client):
    for rating in ["1.2", "2.5", "3.3", "3.7", "4.1", "4.9"]:
        MovieFactory(title=f"Rated {rating}", rating=Decimal(rating))
    page = superuser_client.get(CHANGELIST).content.decode()
    assert "?rating_band=3-4" in page
    assert "rating__exact" not in page

    response = superuser_client.get(CHANGELIST, {"rating_band": "3-4"})
    shown = sorted(movie.title for movie in response.context["cl"].result_list)
    assert shown == ["Rated 3.3", "Rated 3.7"]
