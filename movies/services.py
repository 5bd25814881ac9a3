"""Writes to the catalogue. REST, GraphQL, the admin pages and the populate script go through here.

Every function validates what it is given and raises Django's ``ValidationError``
keyed by field, so each API can turn it into its own error shape.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.catalogue_version import bump_catalogue_version
from core.ids import MAX_ID, clean_ids, parse_id
from core.sentinels import UNSET

from .images import poster_process, save_poster_sizes, size_names
from .models import (
    RATING_MAX,
    RATING_MIN,
    RUNTIME_MAX,
    RUNTIME_MIN,
    CastMember,
    Genre,
    Movie,
    Person,
)

CHARACTER_MAX_LENGTH = 200
CAST_ORDER_MAX = 32767  # PositiveSmallIntegerField


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


def _clean_release_date(value: datetime.date | str | None) -> datetime.date | None:
    """A date, an ISO ``YYYY-MM-DD`` string, or ``None`` (unknown); an impossible date
    (``2023-02-30``) is refused naming the field."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(
        {"release_date": ["Enter a real date as YYYY-MM-DD (for example 1994-09-23)."]}
    )


def _clean_runtime(value: int | str | None) -> int | None:
    """Minutes from 1 to 1000, or ``None`` (unknown)."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        text = value.strip()
        value = int(text) if len(text) <= 9 else RUNTIME_MAX + 1
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({"runtime": ["Enter a whole number of minutes."]})
    if not RUNTIME_MIN <= value <= RUNTIME_MAX:
        raise ValidationError(
            {"runtime": [f"The runtime must be between {RUNTIME_MIN} and {RUNTIME_MAX} minutes."]}
        )
    return value


def _clean_cast(lines: Iterable[Any] | None) -> list[tuple[int, str, int]]:
    """``[{"actor": id, "character": str, "order": int}, ...]`` as ``(person_id,
    character, order)`` in the given order. ``character`` may be left out (``""``);
    ``order`` too (the line's place). One query to check the people exist. The same
    person twice, an unknown person, a bad character or order: ``{"cast": [...]}``."""

    def refuse(message: str) -> ValidationError:
        return ValidationError({"cast": [message]})

    if lines is None or isinstance(lines, str | bytes | Mapping):
        raise refuse('Give a list of {"actor": id, "character": "...", "order": n}.')
    cleaned: list[tuple[int, str, int]] = []
    seen: set[int] = set()
    for position, line in enumerate(lines):
        where = f"Line {position + 1}"
        if not isinstance(line, Mapping):
            raise refuse(f'{where}: give {{"actor": id, "character": "...", "order": n}}.')
        unknown_keys = set(line) - {"actor", "character", "order"}
        if unknown_keys:
            names = ", ".join(sorted(str(key) for key in unknown_keys))
            raise refuse(f"{where}: unknown key(s) {names}; use actor, character, order.")
        raw_id = line.get("actor")
        person_id = parse_id(raw_id)
        if person_id is None:
            if isinstance(raw_id, int) and not isinstance(raw_id, bool):
                raise refuse(f"{where}: unknown person id {raw_id}.")
            raise refuse(f"{where}: actor must be a person's id.")
        if person_id in seen:
            raise refuse(f"{where}: person {person_id} is already in the cast.")
        seen.add(person_id)
        character = line.get("character", "")
        if character is None:
            character = ""
        if not isinstance(character, str):
            raise refuse(f"{where}: character must be text.")
        character = _no_nul(" ".join(character.split()), "cast")
        if len(character) > CHARACTER_MAX_LENGTH:
            raise refuse(f"{where}: the character has more than {CHARACTER_MAX_LENGTH} characters.")
        order = line.get("order", position)
        if isinstance(order, str) and order.strip().isascii() and order.strip().isdigit():
            order = int(order.strip()) if len(order.strip()) < 10 else CAST_ORDER_MAX + 1
        if isinstance(order, bool) or not isinstance(order, int):
            raise refuse(f"{where}: order must be a whole number.")
        if not 0 <= order <= CAST_ORDER_MAX:
            raise refuse(f"{where}: order must be between 0 and {CAST_ORDER_MAX}.")
        cleaned.append((person_id, character, order))
    wanted = [person_id for person_id, _, _ in cleaned if person_id <= MAX_ID]
    found = set(Person.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [str(person_id) for person_id, _, _ in cleaned if person_id not in found]
    if missing:
        raise refuse(f"Unknown person id(s): {', '.join(missing)}.")
    return cleaned


def _cast_from_actors(ids: Iterable[Any]) -> list[tuple[int, str, int]]:
    """``actors`` (a list of ids) as a cast: empty characters, billed in the given order."""
    return [
        (person_id, "", order) for order, person_id in enumerate(clean_ids(Person, ids, "actors"))
    ]


def _clean_cast_arguments(actors: Any, cast: Any) -> list[tuple[int, str, int]] | None:
    """The cast to store from ``actors`` or ``cast`` (not both), or ``None`` for neither."""
    if actors is not UNSET and cast is not UNSET:
        raise ValidationError(
            {"cast": ["Send either cast or actors, not both: each replaces the cast."]}
        )
    if cast is not UNSET:
        return _clean_cast(cast)
    if actors is not UNSET:
        return _cast_from_actors(actors)
    return None


def _set_cast(movie: Movie, lines: list[tuple[int, str, int]]) -> None:
    """Replace the cast of ``movie``: one delete, one insert (ids follow the given order,
    so equal orders keep it)."""
    CastMember.objects.filter(movie=movie).delete()
    CastMember.objects.bulk_create(
        [
            CastMember(movie=movie, person_id=person_id, character=character, order=order)
            for person_id, character, order in lines
        ]
    )


def movie_validate(
    *,
    title: str = UNSET,
    plot_summary: str = UNSET,
    rating: Decimal | float | str = UNSET,
    genres: Iterable[int] = UNSET,
    actors: Iterable[int] = UNSET,
    cast: Iterable[Mapping[str, Any]] = UNSET,
    directors: Iterable[int] = UNSET,
    release_date: datetime.date | str | None = UNSET,
    runtime: int | None = UNSET,
    tmdb_id: int | None = UNSET,
    image=UNSET,
) -> dict[str, Any]:
    """The given fields as ``movie_create`` / ``movie_update`` would store them, without
    writing anything; ``ValidationError`` names every bad field at once. For forms that
    show the services' rules before they call them (the admin). ``actors`` and ``cast``
    come back as ``cast``: ``[(person_id, character, order), ...]``."""
    cleaners = {
        "title": _clean_title,
        "plot_summary": _clean_plot,
        "rating": _clean_rating,
        "genres": lambda ids: clean_ids(Genre, ids, "genres"),
        "directors": lambda ids: clean_ids(Person, ids, "directors"),
        "release_date": _clean_release_date,
        "runtime": _clean_runtime,
        "tmdb_id": lambda value: _clean_tmdb_id(value, Movie),
        "image": lambda upload: poster_process(upload) if upload else None,
    }
    given = {
        "title": title,
        "plot_summary": plot_summary,
        "rating": rating,
        "genres": genres,
        "directors": directors,
        "release_date": release_date,
        "runtime": runtime,
        "tmdb_id": tmdb_id,
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
    try:
        lines = _clean_cast_arguments(actors, cast)
        if lines is not None:
            cleaned["cast"] = lines
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_tmdb_id(value: int | None, model: type[Movie] | type[Person], exclude=None):
    """A TMDB id (a positive number, unique among ``model``'s rows) or ``None``."""
    if value is None or value == "":
        return None
    number = parse_id(value)
    if number is None or number > 2**31 - 1:
        raise ValidationError({"tmdb_id": ["Enter a positive whole number."]})
    clash = model.objects.filter(tmdb_id=number)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError({"tmdb_id": ["Another record already has this TMDB id."]})
    return number


def _delete_file_on_commit(name: str, sizes: dict | None = None) -> None:
    """Delete a poster and its sizes once the transaction commits."""
    names = [n for n in [name, *size_names(sizes)] if n]
    if not names:
        return
    storage = Movie._meta.get_field("image").storage

    def delete() -> None:
        for stored in names:
            storage.delete(stored)

    transaction.on_commit(delete)


def _delete_now(name: str, sizes: dict | None) -> None:
    storage = Movie._meta.get_field("image").storage
    for stored in [name, *size_names(sizes)]:
        if stored:
            storage.delete(stored)


@transaction.atomic
def movie_create(
    *,
    title: str,
    plot_summary: str = "",
    rating: Decimal | float | str = Decimal("0.0"),
    genres: Iterable[int] = (),
    actors: Iterable[int] = UNSET,
    cast: Iterable[Mapping[str, Any]] = UNSET,
    directors: Iterable[int] = (),
    release_date: datetime.date | str | None = None,
    runtime: int | None = None,
    tmdb_id: int | None = None,
    image=None,
) -> Movie:
    """Create a movie with its genres, cast, directors and optional poster, all or nothing.

    The cast comes from ``cast`` (lines with characters and billing order) or from
    ``actors`` (ids, billed in the given order with empty characters), not both.
    """
    errors: dict[str, list] = {}

    def collect(clean, *args):
        try:
            return clean(*args)
        except ValidationError as error:
            errors.update(error.error_dict)
            return None

    movie = Movie(
        title=collect(_clean_title, title),
        plot_summary=collect(_clean_plot, plot_summary),
        rating=collect(_clean_rating, rating),
        release_date=collect(_clean_release_date, release_date),
        runtime=collect(_clean_runtime, runtime),
        tmdb_id=collect(_clean_tmdb_id, tmdb_id, Movie),
    )
    genre_ids = collect(clean_ids, Genre, genres, "genres")
    director_ids = collect(clean_ids, Person, directors, "directors")
    lines = collect(_clean_cast_arguments, actors, cast)
    if errors:
        raise ValidationError(errors)
    poster = poster_process(image) if image else None
    if poster is not None:
        movie.image.save(poster.name, poster, save=False)
        try:
            movie.image_sizes = save_poster_sizes(movie.image)
        except Exception:
            _delete_now(movie.image.name, None)
            raise
    try:
        movie.save()
        movie.genres.set(genre_ids)
        movie.directors.set(director_ids)
        _set_cast(movie, lines or [])
    except Exception:
        if poster is not None:
            _delete_now(movie.image.name, movie.image_sizes)
        raise
    bump_catalogue_version()
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
    cast: Iterable[Mapping[str, Any]] = UNSET,
    directors: Iterable[int] = UNSET,
    release_date: datetime.date | str | None = UNSET,
    runtime: int | None = UNSET,
    tmdb_id: int | None = UNSET,
    image=UNSET,
) -> Movie:
    """Change the given fields of ``movie``; fields left ``UNSET`` stay as they are.

    ``cast`` or ``actors`` replaces the whole cast; ``release_date=None`` and
    ``runtime=None`` clear them. ``image=None`` removes the poster; the old file is
    deleted once the change commits.
    """
    errors: dict[str, list] = {}

    def collect(clean, *args):
        try:
            return clean(*args)
        except ValidationError as error:
            errors.update(error.error_dict)
            return None

    scalars = {
        "title": (title, _clean_title),
        "plot_summary": (plot_summary, _clean_plot),
        "rating": (rating, _clean_rating),
        "release_date": (release_date, _clean_release_date),
        "runtime": (runtime, _clean_runtime),
        "tmdb_id": (tmdb_id, lambda value: _clean_tmdb_id(value, Movie, movie)),
    }
    values = {
        name: collect(clean, value)
        for name, (value, clean) in scalars.items()
        if value is not UNSET
    }
    genre_ids = collect(clean_ids, Genre, genres, "genres") if genres is not UNSET else None
    director_ids = (
        collect(clean_ids, Person, directors, "directors") if directors is not UNSET else None
    )
    lines = collect(_clean_cast_arguments, actors, cast)
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(movie, name, value)
    uploaded = ""
    if image is not UNSET:
        old_name, old_sizes = movie.image.name, movie.image_sizes
        if image:
            poster = poster_process(image)
            movie.image.save(poster.name, poster, save=False)
            uploaded = movie.image.name
            try:
                movie.image_sizes = save_poster_sizes(movie.image)
            except Exception:
                _delete_now(uploaded, None)
                movie.image, movie.image_sizes = old_name, old_sizes
                raise
        else:
            movie.image, movie.image_sizes = "", None
        _delete_file_on_commit(old_name, old_sizes)
    try:
        movie.save()
        if genre_ids is not None:
            movie.genres.set(genre_ids)
        if director_ids is not None:
            movie.directors.set(director_ids)
        if lines is not None:
            _set_cast(movie, lines)
    except Exception:
        if uploaded:  # the change is rolled back: the new poster would be an orphan
            _delete_now(uploaded, movie.image_sizes)
        raise
    bump_catalogue_version()
    return movie


@transaction.atomic
def movie_delete(*, movie: Movie) -> None:
    _delete_file_on_commit(movie.image.name, movie.image_sizes)
    movie.delete()
    bump_catalogue_version()


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


@transaction.atomic
def genre_create(*, name: str) -> Genre:
    """Create a genre; names are unique ignoring case."""
    name = _clean_name(name, max_length=100)
    _genre_name_free(name)
    genre = _save_genre(Genre(name=name))
    bump_catalogue_version()
    return genre


@transaction.atomic
def genre_update(*, genre: Genre, name: str) -> Genre:
    name = _clean_name(name, max_length=100)
    _genre_name_free(name, exclude_id=genre.id)
    genre.name = name
    _save_genre(genre)
    bump_catalogue_version()
    return genre


@transaction.atomic
def genre_delete(*, genre: Genre) -> None:
    genre.delete()
    bump_catalogue_version()


@transaction.atomic
def actor_create(*, name: str, tmdb_id: int | None = None) -> Person:
    """Create a person (an "actor" over the APIs, whatever their credits)."""
    person = Person(name=_clean_name(name, max_length=200), tmdb_id=_clean_tmdb_id(tmdb_id, Person))
    person.save()
    bump_catalogue_version()
    return person


@transaction.atomic
def actor_update(*, actor: Person, name: str = UNSET, tmdb_id: int | None = UNSET) -> Person:
    fields = []
    if name is not UNSET:
        actor.name = _clean_name(name, max_length=200)
        fields.append("name")
    if tmdb_id is not UNSET:
        actor.tmdb_id = _clean_tmdb_id(tmdb_id, Person, actor)
        fields.append("tmdb_id")
    if fields:
        actor.save(update_fields=fields)
        bump_catalogue_version()
    return actor


@transaction.atomic
def actor_delete(*, actor: Person) -> None:
    actor.delete()
    bump_catalogue_version()
