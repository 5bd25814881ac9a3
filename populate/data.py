"""What populate_movies.py fills a site with: 13 genres, 15 actors and generated movies.

Everything here is plain data and a seeded generator: no network, no drawing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

GENRES: tuple[str, ...] = (
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Horror",
    "Mystery",
    "Romance",
    "Science Fiction",
    "Thriller",
)

ACTORS: tuple[str, ...] = (
    "Leonardo DiCaprio",
    "Meryl Streep",
    "Denzel Washington",
    "Cate Blanchett",
    "Tom Hanks",
    "Viola Davis",
    "Morgan Freeman",
    "Natalie Portman",
    "Joaquin Phoenix",
    "Scarlett Johansson",
    "Daniel Day-Lewis",
    "Frances McDormand",
    "Brad Pitt",
    "Kate Winslet",
    "Samuel L. Jackson",
)


@dataclass(frozen=True)
class MovieSpec:
    """One generated movie, described by names so it can be matched against any site."""

    title: str
    plot_summary: str
    rating: str  # one decimal, "0.5" to "5.0": exact in multipart and in JSON
    genres: tuple[str, ...]
    actors: tuple[str, ...]
    colours: tuple[tuple[int, int, int], tuple[int, int, int]]


_ADJECTIVES = (
    "Quiet", "Crimson", "Silent", "Broken", "Golden", "Hidden", "Last", "Burning",
    "Frozen", "Distant", "Hollow", "Electric", "Wandering", "Forgotten", "Midnight",
    "Iron", "Velvet", "Restless", "Shattered", "Endless", "Scarlet", "Lonely", "Wild",
    "Paper", "Glass", "Secret", "Sleeping", "Northern", "Bitter", "Radiant",
)  # fmt: skip
_NOUNS = (
    "Harbour", "Kingdom", "Witness", "Garden", "Signal", "Orchard", "Frontier", "Mirror",
    "Lighthouse", "Promise", "Station", "Empire", "River", "Machine", "Citadel", "Voyage",
    "Archive", "Horizon", "Carnival", "Island", "Cathedral", "Labyrinth", "Summer",
    "Orbit", "Shadow", "Crown", "Compass", "Tide", "Ember", "Winter",
)  # fmt: skip
_PLACES = (
    "Lisbon", "the Moon", "Marrakesh", "the North Sea", "Kyoto", "Patagonia", "Vienna",
    "the Sahara", "Havana", "Reykjavik", "Bombay", "the Yukon", "Naples", "Atlantis",
    "Mars", "Montreal", "the Outback", "Istanbul", "Saint Petersburg", "Valparaíso",
)  # fmt: skip
_FIRST_NAMES = (
    "Ada", "Tomas", "Ines", "Kofi", "Mira", "Elias", "June", "Rafael", "Noor", "Oskar",
    "Lena", "Hugo", "Priya", "Jonah", "Esme", "Mateo", "Sana", "Felix", "Ivy", "Arlo",
)  # fmt: skip


def _article(noun: str) -> str:
    return f"{'An' if noun[0] in 'AEIOU' else 'A'} {noun}"


_TITLE_PATTERNS: tuple[Callable[[random.Random], str], ...] = (
    lambda r: f"The {r.choice(_ADJECTIVES)} {r.choice(_NOUNS)}",
    lambda r: f"{r.choice(_NOUNS)} of the {r.choice(_ADJECTIVES)} {r.choice(_NOUNS)}",
    lambda r: f"{r.choice(_ADJECTIVES)} {r.choice(_NOUNS)}",
    lambda r: f"{_article(r.choice(_NOUNS))} in {r.choice(_PLACES)}",
    lambda r: f"Return to {r.choice(_PLACES)}",
    lambda r: f"{r.choice(_FIRST_NAMES)}'s {r.choice(_NOUNS)}",
    lambda r: f"Beyond the {r.choice(_ADJECTIVES)} {r.choice(_NOUNS)}",
    lambda r: f"Letters from {r.choice(_PLACES)}",
    lambda r: f"Last Train to {r.choice(_PLACES)}",
)
_ROLES = (
    "a retired detective", "a young cartographer", "a disgraced surgeon", "a night-shift nurse",
    "a washed-up jazz pianist", "an ambitious journalist", "a reluctant heir",
    "a lighthouse keeper", "a runaway bride", "a small-town mechanic", "an astronaut",
    "a forger with a conscience", "a grieving widower", "a teenage chess prodigy",
    "a smuggler", "a village schoolteacher",
)  # fmt: skip
_INCITING = (
    "finds a letter that was never meant to be delivered",
    "inherits a house that appears on no map",
    "witnesses a crime nobody else will admit happened",
    "receives a radio signal from thirty years ago",
    "is hired to find a painting that does not exist",
    "wakes up with a stranger's memories",
    "stumbles on a plot to flood the city",
    "agrees to one last job",
    "answers a phone that has been disconnected for a decade",
    "discovers that the family business is a front",
)  # fmt: skip
_COMPLICATIONS = (
    "Every clue leads back to {ally}, who has been lying from the start.",
    "Helped by {ally}, an old rival with nothing left to lose, the search turns dangerous.",
    "But {ally} wants the same secret, and will do anything to keep it buried.",
    "With {ally} at their side, they cross a country that seems to rearrange itself each night.",
    "Soon {ally} disappears, leaving only a map and a warning.",
    "As a storm closes in, {ally} reveals a truth that changes everything.",
)  # fmt: skip
_STAKES = (
    "Time is running out before the tide, and the past, come back in.",
    "What begins as a favour becomes a fight for the soul of a family.",
    "To save the people they love, they must first forgive themselves.",
    "The answer is closer to home than anyone dared to imagine.",
    "Nothing will be the same once the truth reaches the surface.",
    "A story of courage, loss and the strange mercy of second chances.",
    "Only one of them can walk away, and neither is ready to choose.",
)  # fmt: skip


def match_key(name: str) -> str:
    """How names and titles are matched: case and runs of spaces do not count."""
    return " ".join(name.split()).casefold()


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randint(20, 235), rng.randint(20, 235), rng.randint(20, 235))


def generate_movies(count: int, seed: int) -> list[MovieSpec]:
    """``count`` movies with unique titles; the same seed always gives the same movies,
    and a smaller count gives the first movies of a larger one."""
    rng = random.Random(seed)
    seen: set[str] = set()
    movies: list[MovieSpec] = []
    for _ in range(count):
        base = rng.choice(_TITLE_PATTERNS)(rng)
        for _attempt in range(20):
            if match_key(base) not in seen:
                break
            base = rng.choice(_TITLE_PATTERNS)(rng)
        title, sequel = base, 1
        while match_key(title) in seen:  # every pattern taken: it is a sequel
            sequel += 1
            title = f"{base} {sequel}"
        seen.add(match_key(title))
        hero, ally = rng.sample(_FIRST_NAMES, 2)
        plot = (
            f"{hero}, {rng.choice(_ROLES)} in {rng.choice(_PLACES)}, {rng.choice(_INCITING)}. "
            f"{rng.choice(_COMPLICATIONS).format(ally=ally)} {rng.choice(_STAKES)}"
        )
        movies.append(
            MovieSpec(
                title=title,
                plot_summary=plot,
                rating=f"{rng.randint(5, 50) / 10:.1f}",
                genres=tuple(rng.sample(GENRES, rng.randint(1, 3))),
                actors=tuple(rng.sample(ACTORS, rng.randint(2, 5))),
                colours=(_colour(rng), _colour(rng)),
            )
        )
    return movies
