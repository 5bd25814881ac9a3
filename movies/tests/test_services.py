"""Unit tests of the catalogue's writes (movies/services.py), called directly as REST,
GraphQL and the admin call them: what is stored, what is refused (keyed by field), and
that a refused write leaves nothing behind, rows or files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from movies import services
from movies.models import Actor, Genre, Movie

from .factories import ActorFactory, GenreFactory, MovieFactory
from .images import image_upload

pytestmark = pytest.mark.django_db


def refused_fields(call, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return sorted(caught.value.message_dict)


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def poster_files(settings, movie: Movie) -> list[Path]:
    """The poster of ``movie`` and its three WebP sizes, as files."""
    root = Path(settings.MEDIA_ROOT)
    names = [movie.image.name, *(entry["name"] for entry in movie.image_sizes.values())]
    assert len(names) == 4
    return sorted(root / name for name in names)


# ---------------------------------------------------------------- movie_create


def test_a_movie_is_created_with_its_genres_actors_and_a_clean_title():
    drama, crime = GenreFactory(name="Drama"), GenreFactory(name="Crime")
    pacino = ActorFactory(name="Al Pacino")

    movie = services.movie_create(
        title="  Heat  ",
        plot_summary="A thief and a detective.",
        rating="4.5",
        genres=[drama.pk, str(crime.pk), drama.pk],  # ids as numbers or strings, repeats once
        actors=[pacino.pk],
    )

    movie.refresh_from_db()
    assert movie.title == "Heat"
    assert movie.plot_summary == "A thief and a detective."
    assert movie.rating == Decimal("4.5")
    assert set(movie.genres.all()) == {drama, crime}
    assert list(movie.actors.all()) == [pacino]
    assert not movie.image


def test_a_movie_needs_only_a_title():
    movie = services.movie_create(title="Untitled Project")
    assert (movie.plot_summary, movie.rating) == ("", Decimal("0.0"))
    assert not movie.genres.exists()


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("3", Decimal("3.0")),
        (3, Decimal("3.0")),
        (4.5, Decimal("4.5")),
        (Decimal("0.0"), Decimal("0.0")),
        ("5.0", Decimal("5.0")),
        ("2.50", Decimal("2.5")),
    ],
)
def test_ratings_are_stored_with_one_decimal(given, stored):
    assert services.movie_create(title="Rated", rating=given).rating == stored


@pytest.mark.parametrize(
    "rating", ["abc", "", "5.1", "-0.1", "4.25", "NaN", "Infinity", "1e400", None]
)
def test_a_bad_rating_is_refused_on_the_rating(rating):
    assert refused_fields(services.movie_create, title="Rated", rating=rating) == ["rating"]
    assert not Movie.objects.exists()


@pytest.mark.parametrize(
    ("title", "field"),
    [
        ("", "title"),
        ("   ", "title"),
        ("x" * 201, "title"),
        ("Bad\x00Title", "title"),
    ],
    ids=["empty", "spaces", "too-long", "nul"],
)
def test_a_bad_title_is_refused_on_the_title(title, field):
    assert refused_fields(services.movie_create, title=title) == [field]
    assert not Movie.objects.exists()


def test_a_title_of_exactly_200_characters_is_kept():
    assert len(services.movie_create(title="x" * 200).title) == 200


def test_a_nul_in_the_plot_is_refused_on_the_plot():
    assert refused_fields(services.movie_create, title="Ok", plot_summary="a\x00b") == [
        "plot_summary"
    ]


@pytest.mark.parametrize(
    "ids",
    [
        ["drama"],
        [None],
        [999_999],
        [0],
        [-1],
        [2**63],  # past the largest id a row can have
        [18446744073709551616],
    ],
    ids=["word", "none", "unknown", "zero", "negative", "bigint+1", "uint64+1"],
)
@pytest.mark.parametrize("field", ["genres", "actors"])
def test_ids_that_name_no_row_are_refused_on_their_field(field, ids):
    assert refused_fields(services.movie_create, title="Ok", **{field: ids}) == [field]
    assert not Movie.objects.exists()


def test_the_refusal_lists_the_unknown_ids():
    drama = GenreFactory()
    with pytest.raises(ValidationError) as caught:
        services.movie_create(title="Ok", genres=[drama.pk, 999_998, 999_999])
    assert caught.value.message_dict == {"genres": ["Unknown id(s): 999998, 999999."]}


def test_a_poster_is_checked_re_encoded_and_stored(settings):
    movie = services.movie_create(title="Posted", image=image_upload("my poster.png"))

    assert movie.image.name.startswith("movies/")
    assert movie.image.name.endswith(".png")
    assert "my poster" not in movie.image.name
    assert media_files(settings) == poster_files(settings, movie)


def test_a_bad_poster_is_refused_and_nothing_is_stored(settings):
    gif = image_upload("p.gif", fmt="GIF")
    assert refused_fields(services.movie_create, title="Posted", image=gif) == ["image"]
    assert not Movie.objects.exists()
    assert media_files(settings) == []


def test_a_refused_movie_with_a_good_poster_leaves_no_file(settings):
    fields = refused_fields(
        services.movie_create, title="Posted", actors=[999_999], image=image_upload()
    )
    assert fields == ["actors"]
    assert not Movie.objects.exists()
    assert media_files(settings) == []


# ---------------------------------------------------------------- movie_update


def test_an_update_changes_only_the_fields_it_is_given():
    drama, crime = GenreFactory(), GenreFactory()
    actor = ActorFactory()
    movie = MovieFactory(
        title="Old", plot_summary="Plot", rating=Decimal("2.0"), genres=[drama], actors=[actor]
    )

    services.movie_update(movie=movie, rating="4.0")

    movie.refresh_from_db()
    assert (movie.title, movie.plot_summary, movie.rating) == ("Old", "Plot", Decimal("4.0"))
    assert list(movie.genres.all()) == [drama]
    assert list(movie.actors.all()) == [actor]

    services.movie_update(movie=movie, title=" New ", genres=[crime.pk], actors=[])

    movie.refresh_from_db()
    assert movie.title == "New"
    assert list(movie.genres.all()) == [crime]  # a given list replaces the old one
    assert not movie.actors.exists()


def test_a_refused_update_changes_nothing():
    drama = GenreFactory()
    movie = MovieFactory(title="Kept", rating=Decimal("2.0"), genres=[drama])

    fields = refused_fields(
        services.movie_update, movie=movie, title="Changed", genres=[999_999], rating="1.0"
    )

    assert fields == ["genres"]
    movie = Movie.objects.get(pk=movie.pk)
    assert (movie.title, movie.rating) == ("Kept", Decimal("2.0"))
    assert list(movie.genres.all()) == [drama]


def test_replacing_a_poster_deletes_the_old_file_once_the_change_commits(
    settings, django_capture_on_commit_callbacks
):
    movie = services.movie_create(title="Posted", image=image_upload())
    old = Path(settings.MEDIA_ROOT) / movie.image.name

    with django_capture_on_commit_callbacks(execute=True):
        services.movie_update(movie=movie, image=image_upload("new.jpg", fmt="JPEG"))

    movie.refresh_from_db()
    assert movie.image.name.endswith(".jpg")
    assert media_files(settings) == poster_files(settings, movie)
    assert not old.exists()


def test_image_none_removes_the_poster_and_its_file(settings, django_capture_on_commit_callbacks):
    movie = services.movie_create(title="Posted", image=image_upload())

    with django_capture_on_commit_callbacks(execute=True):
        services.movie_update(movie=movie, image=None)

    movie.refresh_from_db()
    assert not movie.image
    assert media_files(settings) == []


def test_an_update_rolled_back_keeps_the_old_poster_file(
    settings, django_capture_on_commit_callbacks
):
    movie = services.movie_create(title="Posted", image=image_upload())
    name = movie.image.name

    def remove_the_poster_then_fail() -> None:
        with transaction.atomic():
            services.movie_update(movie=movie, image=None)
            raise RuntimeError("the caller's transaction fails after the update")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="fails after the update"),
    ):
        remove_the_poster_then_fail()

    assert callbacks == []  # the deletion was never scheduled past the rollback
    assert (Path(settings.MEDIA_ROOT) / name).exists()
    assert Movie.objects.get(pk=movie.pk).image.name == name


# ---------------------------------------------------------------- movie_delete


def test_deleting_a_movie_deletes_its_poster_once_committed(
    settings, django_capture_on_commit_callbacks
):
    movie = services.movie_create(title="Posted", image=image_upload())
    genre = GenreFactory()
    movie.genres.add(genre)

    with django_capture_on_commit_callbacks(execute=True):
        services.movie_delete(movie=movie)

    assert not Movie.objects.exists()
    assert Genre.objects.filter(pk=genre.pk).exists()  # the genre outlives the movie
    assert media_files(settings) == []


# ---------------------------------------------------------------- genres and actors


def test_a_genre_name_is_trimmed_and_its_spaces_collapsed():
    assert services.genre_create(name="  Science \t  Fiction ").name == "Science Fiction"


@pytest.mark.parametrize("name", ["drama", "DRAMA", " Drama "])
def test_genre_names_are_unique_ignoring_case(name):
    services.genre_create(name="Drama")
    assert refused_fields(services.genre_create, name=name) == ["name"]
    assert Genre.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["", "   ", "x" * 101, "Dr\x00ama"], ids=["empty", "spaces", "too-long", "nul"]
)
def test_a_bad_genre_name_is_refused_on_the_name(name):
    assert refused_fields(services.genre_create, name=name) == ["name"]
    assert not Genre.objects.exists()


def test_a_genre_may_change_the_case_of_its_own_name_but_not_take_another():
    drama = services.genre_create(name="Drama")
    services.genre_create(name="Crime")

    assert services.genre_update(genre=drama, name="DRAMA").name == "DRAMA"
    assert refused_fields(services.genre_update, genre=drama, name="crime") == ["name"]
    assert Genre.objects.get(pk=drama.pk).name == "DRAMA"


def test_deleting_a_genre_takes_it_off_its_movies():
    drama = GenreFactory()
    movie = MovieFactory(genres=[drama])

    services.genre_delete(genre=drama)

    assert Movie.objects.filter(pk=movie.pk).exists()
    assert not movie.genres.exists()


def test_an_actor_name_is_trimmed_and_may_repeat():
    first = services.actor_create(name="  Michael   Caine ")
    second = services.actor_create(name="Michael Caine")  # two people may share a name
    assert first.name == second.name == "Michael Caine"
    assert Actor.objects.count() == 2


@pytest.mark.parametrize(
    "name", ["", "   ", "x" * 201, "Al\x00Pacino"], ids=["empty", "spaces", "too-long", "nul"]
)
def test_a_bad_actor_name_is_refused_on_the_name(name):
    assert refused_fields(services.actor_create, name=name) == ["name"]
    actor = ActorFactory(name="Kept")
    assert refused_fields(services.actor_update, actor=actor, name=name) == ["name"]
    assert Actor.objects.get(pk=actor.pk).name == "Kept"


def test_an_actor_name_of_exactly_200_characters_is_kept():
    assert len(services.actor_create(name="x" * 200).name) == 200


def test_renaming_and_deleting_an_actor():
    actor = ActorFactory(name="Old Name")
    movie = MovieFactory(actors=[actor])

    services.actor_update(actor=actor, name=" New  Name ")
    assert Actor.objects.get(pk=actor.pk).name == "New Name"

    services.actor_delete(actor=actor)
    assert not Actor.objects.exists()
    assert not movie.actors.exists()
