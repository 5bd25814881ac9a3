"""Writes to the catalogue. REST, GraphQL, the admin pages and the populate script go through here.

Every function validates what it is given and raises Django's ``ValidationError``
keyed by field, so each API can turn it into its own error shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.ids import clean_ids
from core.sentinels import UNSET

from .images import poster_process
from .models import RATING_MAX, RATING_MIN, Actor, Genre, Movie


def _clean_rating(rating: Decimal | float | str | int) -> Decimal:
    try:
        value = Decimal(str(rating))
    except (InvalidOperation, ValueError):
        raise ValidationError({"rating": ["Enter a number."]}) from None
    if not value.is_finite() or not (RATING_MIN <= value <= RATING_MAX):
        raise ValidationError({"rating": ["The rating must be between 0.0 and 5.0."]})
    if value != value.quantize(Decimal("0.1")):
        raise ValidationError({"rating": ["Use at most one decimal place."]})
    return value.quantize(Decimal("0.1"))


def _no_nul(value: str, field: str) -> str:
    """Refuse NUL characters as Django's forms and DRF do: PostgreSQL cannot store them
    (a 500 there), so a caller that skips the form layer (GraphQL) must hear it here."""
    if "\x00" in value:
        raise ValidationError({field: ["Null characters are not allowed."]})
    return value


def _clean_plot(plot_summary: str | None) -> str:
    return _no_nul(plot_summary or "", "plot_summary")


def _clean_title(title: str) -> str:
    title = _no_nul((title or "").strip(), "title")
    if not title:
        raise ValidationError({"title": ["This field may not be blank."]})
    if len(title) > 200:
        raise ValidationError({"title": ["Ensure this field has no more than 200 characters."]})
    return title


def movie_validate(
    *,
    title: str = UNSET,
    plot_summary: str = UNSET,
    rating: Decimal | float | str = UNSET,
    genres: Iterable[int] = UNSET,
    actors: Iterable[int] = UNSET,
    image=UNSET,
) -> dict[str, Any]:
    """The given fields as ``movie_create`` / ``movie_update`` would store them, without
    writing anything; ``ValidationError`` names every bad field at once. For forms that
    show the services' rules before they call them (the admin)."""
    cleaners = {
        "title": _clean_title,
        "plot_summary": _clean_plot,
        "rating": _clean_rating,
        "genres": lambda ids: clean_ids(Genre, ids, "genres"),
        "actors": lambda ids: clean_ids(Actor, ids, "actors"),
        "image": lambda upload: poster_process(upload) if upload else None,
    }
    given = {
        "title": title,
        "plot_summary": plot_summary,
        "rating": rating,
        "genres": genres,
        "actors": actors,
        "image": image,
    }
    cleaned: dict[str, Any] = {}
    errors: dict[str, list] = {}
    for name, value in given.items():
        if value is UNSET:
            continue
        try:
            cleaned[name] = cleaners[name](value)
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _delete_file_on_commit(name: str) -> None:
    if not name:
        return
    storage = Movie._meta.get_field("image").storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def movie_create(
    *,
    title: str,
    plot_summary: str = "",
    rating: Decimal | float | str = Decimal("0.0"),
    genres: Iterable[int] = (),
    actors: Iterable[int] = (),
    image=None,
) -> Movie:
    """Create a movie with its genres, actors and optional poster, all or nothing."""
    movie = Movie(
        title=_clean_title(title),
        plot_summary=_clean_plot(plot_summary),
        rating=_clean_rating(rating),
    )
    genre_ids = clean_ids(Genre, genres, "genres")
    actor_ids = clean_ids(Actor, actors, "actors")
    poster = poster_process(image) if image else None
    if poster is not None:
        movie.image.save(poster.name, poster, save=False)
    try:
        movie.save()
        movie.genres.set(genre_ids)
        movie.actors.set(actor_ids)
    except Exception:
        if poster is not None:
            movie.image.storage.delete(movie.image.name)
        raise
    return movie


@transaction.atomic
def movie_update(
    *,
    movie: Movie,
    title: str = UNSET,
    plot_summary: str = UNSET,
    rating: Decimal | float | str = UNSET,
    genres: Iterable[int] = UNSET,
    actors: Iterable[int] = UNSET,
    image=UNSET,
) -> Movie:
    """Change the given fields of ``movie``; fields left ``UNSET`` stay as they are.

    ``image=None`` removes the poster; the old file is deleted once the change commits.
    """
    if title is not UNSET:
        movie.title = _clean_title(title)
    if plot_summary is not UNSET:
        movie.plot_summary = _clean_plot(plot_summary)
    if rating is not UNSET:
        movie.rating = _clean_rating(rating)
    genre_ids = clean_ids(Genre, genres, "genres") if genres is not UNSET else None
    actor_ids = clean_ids(Actor, actors, "actors") if actors is not UNSET else None
    uploaded = ""
    if image is not UNSET:
        old_name = movie.image.name
        if image:
            poster = poster_process(image)
            movie.image.save(poster.name, poster, save=False)
            uploaded = movie.image.name
        else:
            movie.image = ""
        _delete_file_on_commit(old_name)
    try:
        movie.save()
        if genre_ids is not None:
            movie.genres.set(genre_ids)
        if actor_ids is not None:
            movie.actors.set(actor_ids)
    except Exception:
        if uploaded:  # the change is rolled back: the new poster would be an orphan
            movie.image.storage.delete(uploaded)
        raise
    return movie


@transaction.atomic
def movie_delete(*, movie: Movie) -> None:
    _delete_file_on_commit(movie.image.name)
    movie.delete()


def _clean_name(name: str, *, max_length: int) -> str:
    name = _no_nul(" ".join((name or "").split()), "name")
    if not name:
        raise ValidationError({"name": ["This field may not be blank."]})
    if len(name) > max_length:
        raise ValidationError(
            {"name": [f"Ensure this field has no more than {max_length} characters."]}
        )
    return name


def _genre_name_free(name: str, *, exclude_id: int | None = None) -> None:
    clash = Genre.objects.filter(name__iexact=name)
    if exclude_id is not None:
        clash = clash.exclude(id=exclude_id)
    if clash.exists():
        raise ValidationError({"name": ["A genre with this name already exists."]})


def _save_genre(genre: Genre) -> Genre:
    try:
        with transaction.atomic():
            genre.save()
    except IntegrityError:
        raise ValidationError({"name": ["A genre with this name already exists."]}) from None
    return genre


def genre_validate(*, name: str, genre: Genre | None = None) -> str:
    """``name`` as ``genre_create`` / ``genre_update`` would store it, without writing."""
    name = _clean_name(name, max_length=100)
    _genre_name_free(name, exclude_id=genre.pk if genre is not None else None)
    return name


def actor_validate(*, name: str) -> str:
    """``name`` as ``actor_create`` / ``actor_update`` would store it, without writing."""
    return _clean_name(name, max_length=200)


def genre_create(*, name: str) -> Genre:
    """Create a genre; names are unique ignoring case."""
    name = _clean_name(name, max_length=100)
    _genre_name_free(name)
    return _save_genre(Genre(name=name))


def genre_update(*, genre: Genre, name: str) -> Genre:
    name = _clean_name(name, max_length=100)
    _genre_name_free(name, exclude_id=genre.id)
    genre.name = name
    return _save_genre(genre)


def genre_delete(*, genre: Genre) -> None:
    genre.delete()


def actor_create(*, name: str) -> Actor:
    return Actor.objects.create(name=_clean_name(name, max_length=200))


def actor_update(*, actor: Actor, name: str) -> Actor:
    actor.name = _clean_name(name, max_length=200)
    actor.save(update_fields=["name"])
    return actor


def actor_delete(*, actor: Actor) -> None:
    actor.delete()
