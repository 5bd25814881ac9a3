"""Factories for accounts (and the few movies the lists need)."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from movies.models import Movie
from users.models import UserProfile

PASSWORD = "a-long-enough passphrase 42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    is_active = True
    password = factory.django.Password(PASSWORD)


class UserProfileFactory(factory.django.DjangoModelFactory):
    """A verified member: an active user whose number was proved."""

    class Meta:
        model = UserProfile

    user = factory.SubFactory(UserFactory)
    phone_number = factory.Sequence(lambda n: f"+1415555{n % 10000:04d}")
    phone_verified_at = factory.LazyFunction(timezone.now)


class PendingProfileFactory(UserProfileFactory):
    """A registration waiting for its code: an inactive user, number not yet proved."""

    user = factory.SubFactory(UserFactory, is_active=False)
    phone_verified_at = None


class MovieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Movie

    title = factory.Sequence(lambda n: f"Movie {n:03d}")
    plot_summary = "A plot."
    rating = Decimal("3.5")
