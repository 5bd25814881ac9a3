"""Migration 0003 keeps the catalogue: actors become people, and each movie's actors
become its cast in their old order (by name, then id) with empty characters."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("movies", "0002_search_indexes")]
AFTER = [("movies", "0003_people_cast_details")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_actors_become_the_cast_in_their_old_order_and_back():
    old = migrate(BEFORE)
    Actor = old.get_model("movies", "Actor")
    Movie = old.get_model("movies", "Movie")
    zoe = Actor.objects.create(name="Zoe Quill")
    abe = Actor.objects.create(name="Abe Marsh")
    abe_too = Actor.objects.create(name="Abe Marsh")  # a namesake: ties go by id
    lone = Actor.objects.create(name="Lone Wolf")
    storm = Movie.objects.create(title="Storm", rating="4.0")
    storm.actors.set([zoe, abe_too, abe])
    quiet = Movie.objects.create(title="Quiet", rating="2.0")
    Movie.objects.create(title="Empty", rating="1.0")

    new = migrate(AFTER)
    Person = new.get_model("movies", "Person")
    CastMember = new.get_model("movies", "CastMember")
    # the same rows, the same ids
    assert sorted(Person.objects.values_list("id", "name")) == sorted(
        [
            (zoe.pk, "Zoe Quill"),
            (abe.pk, "Abe Marsh"),
            (abe_too.pk, "Abe Marsh"),
            (lone.pk, "Lone Wolf"),
        ]
    )
    lines = list(
        CastMember.objects.filter(movie_id=storm.pk)
        .order_by("order", "id")
        .values_list("person_id", "character", "order")
    )
    assert lines == [(abe.pk, "", 0), (abe_too.pk, "", 1), (zoe.pk, "", 2)]
    assert not CastMember.objects.filter(movie_id=quiet.pk).exists()
    NewMovie = new.get_model("movies", "Movie")
    assert NewMovie.objects.get(pk=storm.pk).runtime is None
    assert NewMovie.objects.get(pk=storm.pk).members_rating_count == 0

    back = migrate(BEFORE)
    OldMovie = back.get_model("movies", "Movie")
    assert set(OldMovie.objects.get(pk=storm.pk).actors.values_list("id", flat=True)) == {
        zoe.pk,
        abe.pk,
        abe_too.pk,
    }
    migrate(migrate_latest())


def migrate_latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
