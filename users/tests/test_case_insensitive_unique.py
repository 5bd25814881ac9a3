"""Usernames and emails are unique ignoring case in the database itself (migration
``users.0002``), so two registrations racing with ``RaceUser`` and ``raceuser`` make
one account, and the loser gets the same "taken" 400 as a late registration."""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from users import services

from .factories import PASSWORD, UserFactory

User = get_user_model()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"username": "RaceUser"}, {"username": "raceuser"}),
        ({"email": "Race@Example.com"}, {"email": "race@example.COM"}),
    ],
)
def test_the_database_refuses_a_case_variant(first, second):
    UserFactory(**{"username": "one", "email": "one@example.com", **first})
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(**{"username": "two", "email": "two@example.com", **second})


@pytest.mark.django_db
def test_empty_emails_do_not_clash():
    User.objects.create_user("first", email="")
    User.objects.create_user("second", email="")
    assert User.objects.filter(email="").count() == 2


def _register_like_a_client(**data):
    """One registration; SQLite's "database is locked" is retried as a client would."""
    for _ in range(300):
        try:
            return services.user_register(password=PASSWORD, **data)
        except ValidationError as exc:
            return exc
        except OperationalError:
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


def _race(registrations: list[dict]) -> list[object]:
    barrier = threading.Barrier(len(registrations))
    outcomes: list[object] = []
    lock = threading.Lock()

    def contender(data):
        try:
            barrier.wait(timeout=10)
            outcome = _register_like_a_client(**data)
        except Exception as exc:
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=contender, args=(data,)) for data in registrations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_differing_in_case_make_one_account():
    outcomes = _race(
        [
            {"username": "RaceUser", "email": "a@example.com", "phone_number": "+14155550101"},
            {"username": "raceuser", "email": "b@example.com", "phone_number": "+14155550102"},
        ]
    )

    assert User.objects.filter(username__iexact="raceuser").count() == 1
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ValidationError), errors
    assert errors[0].message_dict == {"username": [services.USERNAME_TAKEN_MESSAGE]}


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_with_one_email_make_one_account():
    outcomes = _race(
        [
            {"username": "first", "email": "Same@Example.com", "phone_number": "+14155550101"},
            {"username": "second", "email": "same@example.com", "phone_number": "+14155550102"},
        ]
    )

    assert User.objects.filter(email__iexact="same@example.com").count() == 1
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ValidationError), errors
    assert errors[0].message_dict == {"email": [services.EMAIL_TAKEN_MESSAGE]}


def test_the_race_loser_gets_the_taken_400_from_the_integrity_error(db, monkeypatch):
    """The interleaving the threads above may or may not hit, replayed: the checks see
    no account (the rival has not committed yet), then the rival's account appears
    before our INSERT, which the database refuses."""
    from users.services import registration

    rivals = []

    def checks_before_the_rival_commits():
        if not rivals:
            rivals.append(UserFactory(username="RACEUSER", email="rival@example.com"))
        return User.objects.none()

    monkeypatch.setattr(
        registration.User.objects, "select_for_update", checks_before_the_rival_commits
    )

    with pytest.raises(ValidationError) as excinfo:
        services.user_register(
            username="raceuser",
            email="carol@example.com",
            password=PASSWORD,
            phone_number="+14155550123",
        )

    assert rivals  # the rival came in between
    assert excinfo.value.message_dict == {"username": [services.USERNAME_TAKEN_MESSAGE]}


@pytest.mark.django_db(transaction=True)
def test_the_migration_lists_existing_clashes_instead_of_failing_blindly():
    executor = MigrationExecutor(connection)
    executor.migrate([("users", "0001_initial")])
    try:
        User.objects.create(username="Dup", email="x@example.com")
        User.objects.create(username="dup", email="X@example.com")
        User.objects.create(username="fine", email="")
        User.objects.create(username="alsofine", email="")

        executor = MigrationExecutor(connection)
        with pytest.raises(RuntimeError) as excinfo:
            executor.migrate([("users", "0002_auth_user_lower_unique")])

        message = str(excinfo.value)
        assert "username: 'Dup', 'dup'" in message
        assert "email: 'X@example.com', 'x@example.com'" in message
        assert "fine" not in message
    finally:
        # Plain SQL: the ORM's delete would also look for rows of the models that refer to
        # users (ratings, tickets), whose tables do not exist at users.0001.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM auth_user")
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
