"""Ratings and reviews through the services: the rules, the movie's members' rating kept
from the ratings table, and the catalogue version moving on each change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.catalogue_version import catalogue_version
from movies.models import Movie
from users import selectors, services
from users.models import Rating

from .factories import MovieFactory, UserFactory

pytestmark = pytest.mark.django_db


def _members_rating(movie: Movie) -> tuple[Decimal | None, int]:
    movie.refresh_from_db()
    return movie.members_rating_average, movie.members_rating_count


def test_rating_creates_then_changes_and_keeps_the_movie_average(user, other_user):
    movie = MovieFactory()
    rating, created = services.rating_set(user=user, movie_id=movie.pk, score="4.5")
    assert created
    assert (rating.score, rating.review) == (Decimal("4.5"), "")
    assert _members_rating(movie) == (Decimal("4.50"), 1)

    services.rating_set(user=other_user, movie_id=movie.pk, score=2, review="Meh.")
    assert _members_rating(movie) == (Decimal("3.25"), 2)

    rating, created = services.rating_set(
        user=user, movie_id=movie.pk, score=1.0, review="Changed my mind", spoiler=True
    )
    assert not created
    assert (rating.score, rating.review, rating.spoiler) == (
        Decimal("1.0"),
        "Changed my mind",
        True,
    )
    assert Rating.objects.filter(movie=movie).count() == 2
    assert _members_rating(movie) == (Decimal("1.50"), 2)


def test_rating_delete_recomputes_and_is_harmless_twice(user, other_user):
    movie = MovieFactory()
    services.rating_set(user=user, movie_id=movie.pk, score="5")
    services.rating_set(user=other_user, movie_id=movie.pk, score="4")
    assert services.rating_delete(user=user, movie_id=movie.pk) is True
    assert _members_rating(movie) == (Decimal("4.00"), 1)
    assert services.rating_delete(user=user, movie_id=movie.pk) is False
    assert services.rating_delete(user=other_user, movie_id=str(movie.pk)) is True
    assert _members_rating(movie) == (None, 0)


def test_average_rounds_half_up_to_two_places(django_user_model):
    movie = MovieFactory()
    for index, score in enumerate(["5", "5", "4.5"]):
        member = UserFactory(username=f"rounder{index}")
        services.rating_set(user=member, movie_id=movie.pk, score=score)
    assert _members_rating(movie) == (Decimal("4.83"), 3)


@pytest.mark.parametrize(
    "score",
    ["0", "0.0", "5.5", "-1", "4.25", "3.3", "abc", "", "NaN", "Infinity", True, None, 6, [4]],
)
def test_scores_off_the_grid_or_out_of_range_are_refused(user, score):
    movie = MovieFactory()
    with pytest.raises(ValidationError) as error:
        services.rating_set(user=user, movie_id=movie.pk, score=score)
    assert set(error.value.message_dict) == {"score"}
    assert not Rating.objects.exists()
    assert _members_rating(movie) == (None, 0)


@pytest.mark.parametrize("score", ["0.5", 0.5, "5", 5, "5.0", " 3.5 ", 2])
def test_every_half_step_from_half_to_five_is_taken(user, score):
    movie = MovieFactory()
    rating, _ = services.rating_set(user=user, movie_id=movie.pk, score=score)
    assert rating.score == Decimal(str(score).strip())


def test_review_of_5000_characters_is_taken_5001_refused(user):
    movie = MovieFactory()
    services.rating_set(user=user, movie_id=movie.pk, score=3, review="x" * 5000)
    with pytest.raises(ValidationError) as error:
        services.rating_set(user=user, movie_id=movie.pk, score=3, review="x" * 5001)
    assert set(error.value.message_dict) == {"review"}
    assert len(Rating.objects.get().review) == 5000


def test_review_with_a_nul_character_is_refused_not_a_database_error(user):
    movie = MovieFactory()
    with pytest.raises(ValidationError) as error:
        services.rating_set(user=user, movie_id=movie.pk, score=3, review="bad\x00byte")
    assert set(error.value.message_dict) == {"review"}


@pytest.mark.parametrize("movie_id", [0, -1, 999999, 2**64, "abc", None])
def test_unknown_movie_is_refused_naming_movie_id(user, movie_id):
    with pytest.raises(ValidationError) as error:
        services.rating_set(user=user, movie_id=movie_id, score=3)
    assert set(error.value.message_dict) == {"movie_id"}


def test_every_bad_field_is_named_at_once(user):
    with pytest.raises(ValidationError) as error:
        services.rating_set(user=user, movie_id=0, score="9", review="x" * 5001, spoiler="yes")
    assert set(error.value.message_dict) == {"movie_id", "score", "review", "spoiler"}


def test_database_refuses_what_the_service_would(user):
    movie = MovieFactory()
    for fields in ({"score": Decimal("4.3")}, {"score": Decimal("0.0")}, {"review": "x" * 5001}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Rating.objects.create(user=user, movie=movie, **{"score": Decimal("3"), **fields})
    Rating.objects.create(user=user, movie=movie, score=Decimal("3"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(user=user, movie=movie, score=Decimal("4"))


def test_each_change_moves_the_catalogue_version_after_commit(
    user, django_capture_on_commit_callbacks
):
    movie = MovieFactory()
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_set(user=user, movie_id=movie.pk, score=3)
    after_set = catalogue_version()
    assert after_set != before
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_delete(user=user, movie_id=movie.pk)
    assert catalogue_version() != after_set


def test_a_refused_rating_does_not_move_the_catalogue_version(
    user, django_capture_on_commit_callbacks
):
    movie = MovieFactory()
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.rating_set(user=user, movie_id=movie.pk, score=7)
    assert catalogue_version() == before


def test_review_list_hides_scores_alone_and_hidden_reviews_except_for_their_author(
    user, other_user
):
    movie = MovieFactory()
    mine, _ = services.rating_set(user=user, movie_id=movie.pk, score=3, review="Mine")
    services.rating_set(user=other_user, movie_id=movie.pk, score=4)  # a score alone
    Rating.objects.filter(pk=mine.pk).update(hidden=True)
    assert list(selectors.review_list(movie_id=movie.pk)) == []
    assert list(selectors.review_list(movie_id=movie.pk, viewer=other_user)) == []
    assert list(selectors.review_list(movie_id=movie.pk, viewer=user)) == [mine]


def test_a_hidden_review_still_counts_in_the_members_rating(user, other_user):
    movie = MovieFactory()
    rating, _ = services.rating_set(user=user, movie_id=movie.pk, score=1, review="Harsh")
    Rating.objects.filter(pk=rating.pk).update(hidden=True)
    services.rating_set(user=other_user, movie_id=movie.pk, score=5)
    assert _members_rating(movie) == (Decimal("3.00"), 2)


def test_histogram_has_ten_buckets_in_one_query(user, other_user, django_assert_num_queries):
    movie = MovieFactory()
    services.rating_set(user=user, movie_id=movie.pk, score="4.5")
    services.rating_set(user=other_user, movie_id=movie.pk, score="4.5")
    services.rating_set(user=UserFactory(username="third"), movie_id=movie.pk, score="1")
    with django_assert_num_queries(1):
        buckets = selectors.score_histogram(movie_id=movie.pk)
    assert [bucket["score"] for bucket in buckets] == [Decimal(n) / 2 for n in range(1, 11)]
    counts = {str(bucket["score"]): (bucket["count"], bucket["percent"]) for bucket in buckets}
    assert (counts["4.5"], counts["1.0"], counts["3.0"]) == ((2, 100), (1, 50), (0, 0))
