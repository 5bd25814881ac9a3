from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from core.catalogue_version import KEY, bump_catalogue_version, catalogue_version


def test_the_version_is_stable_until_a_bump():
    assert catalogue_version() == catalogue_version()


@pytest.mark.django_db(transaction=True)
def test_a_bump_moves_the_version_only_once_the_write_commits():
    before = catalogue_version()
    with transaction.atomic():
        bump_catalogue_version()
        assert catalogue_version() == before
    assert catalogue_version() > before


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_the_version_alone():
    before = catalogue_version()

    def write_then_fail():
        with transaction.atomic():
            bump_catalogue_version()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert catalogue_version() == before


@pytest.mark.django_db(transaction=True)
def test_a_lost_key_never_comes_back_as_an_old_version():
    first = catalogue_version()
    cache.delete(KEY)
    bump_catalogue_version()
    assert catalogue_version() > first
