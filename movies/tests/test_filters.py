"""Unit tests of the catalogue's FilterSets (movies/filters.py), used directly as REST,
GraphQL and the pages use them: which movies, genres and actors match, in which order,
and which values are refused (keyed by the parameter) instead of failing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from movies.filters import ActorFilter, GenreFilter, MovieFilter
from movies.models import Actor, Genre, Movie

from .factories import ActorFactory, GenreFactory, MovieFactory

pytestmark = pytest.mark.django_db


def movies(**params) -> list[str]:
    """Titles of the movies matching ``params``, in the filter's order."""
    filterset = MovieFilter(params, queryset=Movie.objects.order_by("id"))
    assert filterset.is_valid(), filterset.errors
    return [movie.title for movie in filterset.qs]


def errors(**params) -> dict:
    filterset = MovieFilter(params, queryset=Movie.objects.all())
    assert not filterset.is_valid()
    return dict(filterset.errors)


@pytest.fixture
def catalogue():
    drama = GenreFactory(name="Drama")
    crime = GenreFactory(name="Crime")
    pacino = ActorFactory(name="Al Pacino")
    de_niro = ActorFactory(name="Robert De Niro")
    MovieFactory(
        title="Heat",
        plot_summary="A thief and a detective in Los Angeles.",
        rating=Decimal("4.5"),
        genres=[drama, crime],
        actors=[pacino, de_niro],
    )
    MovieFactory(
        title="The Irishman",
        plot_summary="A hitman looks back.",
        rating=Decimal("4.0"),
        genres=[crime],
        actors=[de_niro, pacino],
    )
    MovieFactory(
        title="Scent of a Woman",
        plot_summary="A blind colonel and a student.",
        rating=Decimal("3.5"),
        genres=[drama],
        actors=[pacino],
    )
    MovieFactory(title="Untitled", plot_summary="", rating=Decimal("1.0"))
    return {"drama": drama, "crime": crime, "pacino": pacino, "de_niro": de_niro}


def test_no_parameters_match_every_movie(catalogue):
    assert movies() == ["Heat", "The Irishman", "Scent of a Woman", "Untitled"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("heat", ["Heat"]),  # the title, ignoring case
        ("DETECTIVE", ["Heat"]),  # the plot
        (" a ", ["Heat", "The Irishman", "Scent of a Woman"]),  # surrounding spaces dropped
        ("   ", ["Heat", "The Irishman", "Scent of a Woman", "Untitled"]),  # blank: all
        ("nowhere", []),
    ],
)
def test_search_matches_the_title_or_the_plot(catalogue, search, expected):
    # which movies match; their order (by relevance) is the search's own tests' matter
    assert sorted(movies(search=search)) == sorted(expected)


def test_title_matches_a_part_of_the_title_only(catalogue):
    assert movies(title="IRISH") == ["The Irishman"]
    assert movies(title="detective") == []


def test_genre_by_id_or_by_whole_name_ignoring_case(catalogue):
    assert movies(genre=str(catalogue["drama"].pk)) == ["Heat", "Scent of a Woman"]
    assert movies(genre="crime") == ["Heat", "The Irishman"]
    assert movies(genre="Cri") == []  # a name matches whole, not in part


def test_a_genre_named_like_a_number_matches_by_name_or_by_id(catalogue):
    # A number no genre has as its id (ids keep growing across tests on PostgreSQL).
    number = str(Genre.objects.order_by("-id").first().id + 1000)
    numbered = GenreFactory(name=number)
    MovieFactory(title="Dystopia", genres=[numbered])
    assert movies(genre=number) == ["Dystopia"]  # matched by its name
    assert movies(genre=str(numbered.pk)) == ["Dystopia"]  # and by its id
    catalogue["drama"].name = str(numbered.pk)  # a name that is another genre's id:
    catalogue["drama"].save()  # either matches
    assert movies(genre=str(numbered.pk)) == ["Heat", "Scent of a Woman", "Dystopia"]


def test_a_movie_matching_through_two_genres_or_actors_is_listed_once(catalogue):
    GenreFactory(name="crime drama")  # only contains the name: not a match for genre=Drama
    assert movies(actor="o") == ["Heat", "The Irishman", "Scent of a Woman"]  # Pacino, De Niro
    assert movies(genre="Drama") == ["Heat", "Scent of a Woman"]


def test_actor_by_id_or_by_a_part_of_the_name(catalogue):
    assert movies(actor=str(catalogue["de_niro"].pk)) == ["Heat", "The Irishman"]
    assert movies(actor="pacino") == ["Heat", "The Irishman", "Scent of a Woman"]
    assert movies(actor="Streep") == []


@pytest.mark.parametrize(
    "value",
    ["99999999999999999999", "9223372036854775808", "²", "1" * 5000, "-1"],
    ids=["beyond-bigint", "bigint+1", "superscript-two", "5000-digits", "negative"],
)
def test_values_that_cannot_be_ids_are_names_and_never_fail(catalogue, value):
    assert movies(genre=value) == []
    assert movies(actor=value) == []


def test_ratings_between_bounds_inclusive(catalogue):
    assert movies(min_rating="4.0") == ["Heat", "The Irishman"]
    assert movies(max_rating="3.5") == ["Scent of a Woman", "Untitled"]
    assert movies(min_rating="3.5", max_rating="4.0") == ["The Irishman", "Scent of a Woman"]
    assert movies(min_rating="4.6") == []


@pytest.mark.parametrize("name", ["min_rating", "max_rating"])
@pytest.mark.parametrize("value", ["high", "4,5", "NaN"])
def test_a_rating_that_is_not_a_number_is_refused_naming_the_parameter(catalogue, name, value):
    assert list(errors(**{name: value})) == [name]


def test_filters_combine(catalogue):
    assert movies(genre="Drama", actor="De Niro", min_rating="4") == ["Heat"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["Heat", "Scent of a Woman", "The Irishman", "Untitled"]),
        ("-title", ["Untitled", "The Irishman", "Scent of a Woman", "Heat"]),
        ("rating", ["Untitled", "Scent of a Woman", "The Irishman", "Heat"]),
        ("-rating", ["Heat", "The Irishman", "Scent of a Woman", "Untitled"]),
    ],
)
def test_ordering_by_title_or_rating(catalogue, ordering, expected):
    assert movies(ordering=ordering) == expected


@pytest.mark.parametrize(("ordering", "reverse"), [("rating", False), ("-rating", True)])
def test_ties_break_by_id_in_the_same_direction(ordering, reverse):
    made = [MovieFactory(title=f"Tie {n}", rating=Decimal("3.0")).pk for n in range(4)]
    filterset = MovieFilter({"ordering": ordering}, queryset=Movie.objects.order_by("-title"))
    assert filterset.is_valid()
    assert [movie.pk for movie in filterset.qs] == sorted(made, reverse=reverse)


def test_ordering_by_creation_breaks_ties_by_id():
    made = [MovieFactory(title=f"Same moment {n}").pk for n in range(3)]
    Movie.objects.update(created_at=Movie.objects.get(pk=made[0]).created_at)
    assert [m.pk for m in MovieFilter({"ordering": "created_at"}).qs] == made
    assert [m.pk for m in MovieFilter({"ordering": "-created_at"}).qs] == made[::-1]


@pytest.mark.parametrize("ordering", ["plot_summary", "id", "-popularity", "title,rating"])
def test_an_unknown_ordering_is_refused_naming_the_parameter(catalogue, ordering):
    assert list(errors(ordering=ordering)) == ["ordering"]


def test_genres_and_actors_match_a_part_of_the_name_ignoring_case(catalogue):
    GenreFactory(name="Science Fiction")
    genres = GenreFilter({"name": "FIC"}, queryset=Genre.objects.all()).qs
    assert [genre.name for genre in genres] == ["Science Fiction"]
    actors = ActorFilter({"name": "de ni"}, queryset=Actor.objects.all()).qs
    assert [actor.name for actor in actors] == ["Robert De Niro"]
    everyone = ActorFilter({}, queryset=Actor.objects.all()).qs
    assert {actor.name for actor in everyone} == {"Al Pacino", "Robert De Niro"}
