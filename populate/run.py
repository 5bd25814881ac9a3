"""One run: read what the site holds, then create only what is missing."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from tqdm import tqdm

from .backends import Backend, ExistingMovie
from .data import GENRES, PEOPLE, MovieSpec, match_key
from .posters import draw_poster


@dataclass
class Tally:
    created: int = 0
    existing: int = 0


@dataclass
class Summary:
    genres: Tally = field(default_factory=Tally)
    people: Tally = field(default_factory=Tally)
    movies: Tally = field(default_factory=Tally)
    posters: int = 0


def populate(
    backend: Backend,
    movies: Sequence[MovieSpec],
    *,
    posters: bool = True,
    progress: bool | None = None,
) -> Summary:
    """Make sure every genre, person and movie exists; create only what is missing.

    A movie already there (same title) is left as it is, except that it gets its
    poster if it has none (say, after a run without posters or one cut short).
    """
    summary = Summary()
    with tqdm(
        total=len(GENRES) + len(PEOPLE) + len(movies),
        desc="reading the catalogue",
        unit="item",
        file=sys.stderr,
        disable=None if progress is None else not progress,
        dynamic_ncols=True,
    ) as bar:
        genre_ids = backend.genres()
        actor_ids = backend.actors()
        movie_ids = backend.movies()

        bar.set_description("genres")
        for name in GENRES:
            if match_key(name) in genre_ids:
                summary.genres.existing += 1
            else:
                genre_ids[match_key(name)] = backend.create_genre(name)
                summary.genres.created += 1
            bar.update()

        bar.set_description("people")
        for name in PEOPLE:  # an actor record is a person: directors too
            if match_key(name) in actor_ids:
                summary.people.existing += 1
            else:
                actor_ids[match_key(name)] = backend.create_actor(name)
                summary.people.created += 1
            bar.update()

        bar.set_description("movies")
        for spec in movies:
            existing = movie_ids.get(match_key(spec.title))
            if existing is not None:
                summary.movies.existing += 1
                if posters and not existing.has_image:
                    backend.attach_poster(existing.id, spec, draw_poster(spec))
                    summary.posters += 1
            else:
                poster = draw_poster(spec) if posters else None
                movie_id = backend.create_movie(
                    spec,
                    [genre_ids[match_key(name)] for name in spec.genres],
                    actor_ids,
                    poster,
                )
                movie_ids[match_key(spec.title)] = ExistingMovie(movie_id, bool(poster))
                summary.movies.created += 1
                summary.posters += bool(poster)
            bar.update()
        bar.set_description("done")
    return summary
