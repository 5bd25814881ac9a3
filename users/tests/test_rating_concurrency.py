"""Thirty members rating one movie at once leave exactly the right average and count.

Each rating runs in its own thread and database connection. On PostgreSQL the service
queues them on the movie's row lock (``select_for_update``) and recomputes from the
ratings table after it; SQLite runs one writing transaction at a time, and a rating
that finds the database locked is retried as a client would retry a failed request.
"""

from __future__ import annotations

import threading
import time
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import OperationalError, connections

from users import services
from users.models import Rating

from .factories import MovieFactory, UserFactory

RATERS = 30


def _rate_like_a_client(**kwargs):
    for _ in range(500):
        try:
            return services.rating_set(**kwargs)
        except OperationalError:  # SQLite: "database is locked"
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_ratings_leave_the_exact_average_and_count():
    movie = MovieFactory()
    members = [UserFactory(username=f"rater{index}") for index in range(RATERS)]
    scores = [Decimal(1 + index % 10) / 2 for index in range(RATERS)]
    barrier = threading.Barrier(RATERS)
    failures: list[BaseException] = []

    def rate(member, score):
        try:
            barrier.wait(timeout=30)
            _rate_like_a_client(user=member, movie_id=movie.pk, score=str(score))
        except BaseException as exc:  # reported below, with the thread's error
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=rate, args=(member, score))
        for member, score in zip(members, scores, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    movie.refresh_from_db()
    expected = (sum(scores) / RATERS).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Rating.objects.filter(movie=movie).count() == RATERS
    assert movie.members_rating_count == RATERS
    assert movie.members_rating_average == expected


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_and_removals_keep_the_count_exact():
    movie = MovieFactory()
    members = [UserFactory(username=f"changer{index}") for index in range(10)]
    for member in members:
        services.rating_set(user=member, movie_id=movie.pk, score="3")
    barrier = threading.Barrier(len(members))
    failures: list[BaseException] = []

    def change(index, member):
        try:
            barrier.wait(timeout=30)
            for _ in range(500):
                try:
                    if index % 2:
                        services.rating_delete(user=member, movie_id=movie.pk)
                    else:
                        services.rating_set(user=member, movie_id=movie.pk, score="5")
                    break
                except OperationalError:
                    time.sleep(0.01)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change, args=pair) for pair in enumerate(members)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    movie.refresh_from_db()
    assert (movie.members_rating_average, movie.members_rating_count) == (Decimal("5.00"), 5)
