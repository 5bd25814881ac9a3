"""Profiles and the members' lists (favorite, watched and watchlist movies).

THE rule of the lists: marking a movie watched takes it off the watchlist, whichever
way it is marked (the list buttons, a profile write, a diary entry)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.ids import clean_ids, parse_id
from core.permissions import is_admin
from core.sentinels import UNSET
from movies.models import Movie
from users.models import OtpCode, UserProfile

from .phone import PHONE_TAKEN_MESSAGE, phone_number_normalize

logger = logging.getLogger(__name__)

User = get_user_model()


def _movie_ids(ids: Iterable[int | str] | None, field: str) -> list[int]:
    return clean_ids(Movie, ids, field, noun="movie")


def _admin_phone(value: Any, *, exclude_profile_id: int | None) -> str | None:
    if value in (None, ""):
        return None
    phone = phone_number_normalize(value, for_sms=True)
    clash = UserProfile.objects.filter(phone_number=phone)
    if exclude_profile_id is not None:
        clash = clash.exclude(pk=exclude_profile_id)
    if clash.exists():
        raise ValidationError({"phone_number": [PHONE_TAKEN_MESSAGE]})
    return phone


def _same_phone(current: Any, value: Any) -> bool:
    if value in (None, ""):
        return not current
    try:
        return bool(current) and phone_number_normalize(value) == str(current)
    except ValidationError:
        return False


def _user_for_profile(value: Any, *, field: str = "user") -> AbstractBaseUser:
    try:
        pk = int(value.pk if isinstance(value, AbstractBaseUser) else value)
        return User.objects.get(pk=pk)
    except (TypeError, ValueError, User.DoesNotExist):
        raise ValidationError({field: ["Unknown user."]}) from None


def _verified_at_for(user: AbstractBaseUser, phone: str | None, now: datetime):
    """An administrator's number counts as verified for an active account; on an inactive
    one it makes a pending registration the owner finishes with an SMS code."""
    return now if phone and user.is_active else None


def profile_get_or_create(*, user: AbstractBaseUser) -> UserProfile:
    """The user's profile, made empty if the account has none yet (accounts made by
    ``createsuperuser`` or the admin start without one)."""
    profile, _ = UserProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_create(
    *,
    by: AbstractBaseUser,
    user: AbstractBaseUser | int | None = None,
    phone_number: str | None = None,
    favorite_movies: Iterable[int] = (),
    watched_movies: Iterable[int] = (),
    watchlist_movies: Iterable[int] = (),
    is_public: bool = False,
) -> UserProfile:
    """Make a profile: an admin for any account without one, anyone else for themselves
    only and without a phone number (numbers are proved by SMS at registration)."""
    admin = is_admin(by)
    owner = by if user is None else _user_for_profile(user)
    if not admin:
        if owner.pk != by.pk:
            raise ValidationError({"user": ["You can only create your own profile."]})
        if phone_number not in (None, ""):
            raise ValidationError(
                {"phone_number": ["Only an administrator can set the phone number."]}
            )
    if UserProfile.objects.filter(user=owner).exists():
        raise ValidationError({"user": ["This user already has a profile."]})
    phone = _admin_phone(phone_number, exclude_profile_id=None) if admin else None
    favorites = _movie_ids(favorite_movies, "favorite_movies")
    watched = _movie_ids(watched_movies, "watched_movies")
    watchlist = [pk for pk in _movie_ids(watchlist_movies, "watchlist_movies") if pk not in watched]
    try:
        with transaction.atomic():
            profile = UserProfile.objects.create(
                user=owner,
                phone_number=phone,
                phone_verified_at=_verified_at_for(owner, phone, timezone.now()),
                is_public=bool(is_public),
            )
    except IntegrityError:
        raise ValidationError({"user": ["This user already has a profile."]}) from None
    profile.favorite_movies.set(favorites)
    profile.watched_movies.set(watched)
    profile.watchlist_movies.set(watchlist)
    return profile


@transaction.atomic
def profile_update(
    *,
    profile: UserProfile,
    by: AbstractBaseUser,
    user: AbstractBaseUser | int = UNSET,
    phone_number: str | None = UNSET,
    favorite_movies: Iterable[int] = UNSET,
    watched_movies: Iterable[int] = UNSET,
    watchlist_movies: Iterable[int] = UNSET,
    is_public: bool = UNSET,
) -> UserProfile:
    """Change the given fields; ``UNSET`` ones stay. Only an admin may change
    ``phone_number`` or ``user`` (sending the current value back is accepted).
    Movies newly marked watched leave the watchlist, even one sent in it."""
    admin = is_admin(by)
    errors: dict[str, list[str]] = {}
    fields: list[str] = []
    if user is not UNSET:
        new_owner = _user_for_profile(user)
        if new_owner.pk != profile.user_id:
            if not admin:
                errors["user"] = ["Only an administrator can change the profile's user."]
            elif UserProfile.objects.filter(user=new_owner).exclude(pk=profile.pk).exists():
                errors["user"] = ["This user already has a profile."]
            else:
                profile.user = new_owner
                fields.append("user")
    if phone_number is not UNSET and not _same_phone(profile.phone_number, phone_number):
        if not admin:
            errors["phone_number"] = ["Only an administrator can change the phone number."]
        else:
            try:
                phone = _admin_phone(phone_number, exclude_profile_id=profile.pk)
            except ValidationError as exc:
                errors.update(exc.message_dict)
            else:
                profile.phone_number = phone
                profile.phone_verified_at = _verified_at_for(profile.user, phone, timezone.now())
                fields += ["phone_number", "phone_verified_at"]
    if is_public is not UNSET:
        profile.is_public = bool(is_public)
        fields.append("is_public")
    lists: dict[str, list[int] | None] = {
        "favorite_movies": None,
        "watched_movies": None,
        "watchlist_movies": None,
    }
    for field, ids in (
        ("favorite_movies", favorite_movies),
        ("watched_movies", watched_movies),
        ("watchlist_movies", watchlist_movies),
    ):
        if ids is UNSET:
            continue
        try:
            lists[field] = _movie_ids(ids, field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    favorites, watched = lists["favorite_movies"], lists["watched_movies"]
    watchlist = lists["watchlist_movies"]
    if errors:
        raise ValidationError(errors)
    if "phone_number" in fields:
        # A code sent to the old number must not verify the new one.
        OtpCode.objects.open().filter(user_id=profile.user_id).update(revoked_at=timezone.now())
    if fields:
        try:
            with transaction.atomic():
                profile.save(update_fields=[*fields, "updated_at"])
        except IntegrityError:
            raise ValidationError({"phone_number": [PHONE_TAKEN_MESSAGE]}) from None
    if favorites is not None:
        profile.favorite_movies.set(favorites)
    if watched is not None:
        newly_watched = set(watched) - set(profile.watched_movies.values_list("pk", flat=True))
        profile.watched_movies.set(watched)
        if watchlist is None:
            profile.watchlist_movies.remove(*newly_watched)
        else:
            watchlist = [pk for pk in watchlist if pk not in newly_watched]
    if watchlist is not None:
        profile.watchlist_movies.set(watchlist)
    if favorites is not None or watched is not None or watchlist is not None:
        UserProfile.objects.filter(pk=profile.pk).update(updated_at=timezone.now())
    return profile


@transaction.atomic
def profile_delete(*, profile: UserProfile, by: AbstractBaseUser) -> None:
    """Close the account the profile belongs to: the user, the profile and its lists go.

    Its refresh tokens stop working (a deleted user cannot refresh) and its access
    tokens are refused at once (the user no longer exists)."""
    user = profile.user
    logger.info("Account %s closed by account %s", user.pk, by.pk)
    user.delete()


def _movie_for_list(movie_id: int | str) -> int:
    """A movie id for the list buttons: numeric, and a movie (``core.ids.parse_id`` keeps
    ids beyond a bigint from the database, which SQLite cannot even bind)."""
    try:
        int(movie_id)
    except (TypeError, ValueError):
        raise ValidationError({"movie_id": ["Give a numeric movie id."]}) from None
    number = parse_id(movie_id)
    if number is None or not Movie.objects.filter(pk=number).exists():
        raise ValidationError({"movie_id": ["Unknown movie."]})
    return number


def _list_remove(related, movie_id: int | str) -> None:
    number = parse_id(movie_id)
    if number is not None:  # an id no movie can have is in no list: nothing to do
        related.remove(number)


def favorite_add(*, profile: UserProfile, movie_id: int) -> None:
    """Add a movie to the favorites; adding it again changes nothing."""
    profile.favorite_movies.add(_movie_for_list(movie_id))


def favorite_remove(*, profile: UserProfile, movie_id: int) -> None:
    """Remove a movie from the favorites; removing one that is not there changes nothing."""
    _list_remove(profile.favorite_movies, movie_id)


@transaction.atomic
def watched_add(*, profile: UserProfile, movie_id: int) -> None:
    """Mark a movie watched, which takes it off the watchlist; marking it again changes
    nothing."""
    number = _movie_for_list(movie_id)
    profile.watched_movies.add(number)
    profile.watchlist_movies.remove(number)


def watched_remove(*, profile: UserProfile, movie_id: int) -> None:
    """Unmark a watched movie; unmarking one that is not there changes nothing."""
    _list_remove(profile.watched_movies, movie_id)


def watchlist_add(*, profile: UserProfile, movie_id: int) -> None:
    """Put a movie on the watchlist; adding it again changes nothing. A movie already
    watched may go on it too (to see it again)."""
    profile.watchlist_movies.add(_movie_for_list(movie_id))


def watchlist_remove(*, profile: UserProfile, movie_id: int) -> None:
    """Take a movie off the watchlist; removing one that is not there changes nothing."""
    _list_remove(profile.watchlist_movies, movie_id)
