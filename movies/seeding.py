"""A synthetic but plausible catalogue, for benchmarks and demos at scale.

``seed_catalogue`` (the management command) writes what :class:`CatalogueGenerator`
yields: on PostgreSQL with ``COPY`` (a million movies in minutes), elsewhere with
``bulk_create`` batches. Deterministic for a given seed. Word frequencies are
uneven on purpose, as in real plots: a role such as "detective" is in about one
plot in a hundred, not in every tenth one.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal


def _split(text: str) -> list[str]:
    return text.split("|") if "|" in text else text.split()


GENRES = [
    "Action", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Documentary",
    "Drama", "Family", "Fantasy", "History", "Horror", "Music", "Musical", "Mystery",
    "Romance", "Science Fiction", "Sport", "Thriller", "Western",
]  # fmt: skip

FIRST_NAMES = _split(
    "Ada Alba Anders Ana Amara Björn Carmen Chen Chiara Dalia Dmitri Elif Emil Esther Farah "
    "Felix Freya Gael Greta Hana Hugo Ines Ingrid Isaac Ivo Jana Joaquín Jonas Kaito Kasia "
    "Lars Leila Lena Luca Maren Marta Mateo Mei Milan Nadia Nico Noor Olga Omar Pablo Priya "
    "Rafael Rosa Ruth Sami Sofía Stellan Tariq Thea Tomás Una Valentina Vera Yara Zoltán Zoë"
)
LAST_NAMES = _split(
    "Abara Andersen Becker Brennan Castillo Chowdhury Dąbrowski Dubois Eriksson Ferreira "
    "Fischer García Gómez Haddad Hansen Horvat Ibáñez Ivanova Jensen Kowalski Kim Larsen "
    "López Marchetti Moreau Müller Nakamura Novák Okafor Olsen Ortiz Papadopoulos Petrov "
    "Quinn Rossi Russo Santos Schmidt Silva Sørensen Suzuki Tanaka Thorsen Varga Walsh Weber "
    "Yilmaz Zhang Þórsdóttir Øberg"
)

ADJECTIVES = _split(
    "quiet silent last lost hidden broken golden silver dark bright cold burning endless "
    "distant forgotten wild secret crimson northern southern eastern western little long "
    "final first hollow iron paper glass velvet frozen sleeping restless stolen narrow "
    "empty open bitter sweet strange gentle savage lonely pale scarlet electric midnight "
    "winter summer autumn spring sunken crooked fallen rising wandering"
)
NOUNS = _split(
    "harbour river city house road garden mountain island station bridge tower forest "
    "desert ocean valley mirror letter promise secret storm fire shadow light heart "
    "crown kingdom empire border frontier horizon engine machine signal archive theatre "
    "hotel circus orchard vineyard lighthouse factory prison palace cathedral market "
    "voyage journey return silence echo dream memory winter summer season night morning "
    "afternoon evening war peace game hunt chase escape heist trial verdict witness "
    "stranger family brother sister daughter son mother father friend enemy lover"
)
PLACES = _split(
    "Reykjavík Lisbon Kraków Marseille Tromsø Valparaíso Zürich Kyoto Lagos Oaxaca "
    "Istanbul Tbilisi Dublin Napoli Göteborg Montréal Bogotá Hanoi Cádiz Plovdiv Sevilla "
    "Mumbai Nairobi Córdoba Bergen Tallinn Ljubljana Salvador Hokkaidō Århus"
)
ROLES = _split(
    "detective nurse pilot teacher farmer fisherman sailor soldier painter writer poet "
    "singer dancer boxer chef baker butcher tailor smuggler thief forger banker lawyer "
    "judge priest monk nun doctor surgeon scientist astronaut engineer mechanic driver "
    "courier postman journalist photographer editor actor director producer composer "
    "violinist pianist drummer clown magician acrobat gambler hustler spy diplomat "
    "senator mayor sheriff ranger hunter trapper miner lumberjack blacksmith carpenter "
    "architect gardener florist librarian archivist historian professor student orphan "
    "widow widower heiress prince princess king queen knight squire pirate captain "
    "admiral general colonel sergeant rookie veteran refugee immigrant runaway drifter "
    "nomad hermit prophet witch wizard vampire ghost robot android cyborg alien "
    "mathematician chess player grandmother grandfather twin neighbour landlord tenant "
    "waitress bartender janitor caretaker lifeguard firefighter paramedic midwife"
)
VERBS = _split(
    "searches for|runs from|falls for|hides|protects|betrays|chases|remembers|inherits|"
    "discovers|loses|steals|builds|rebuilds|guards|follows|forgets|returns to|escapes from|"
    "defends|uncovers|buries|sells|buys back|dreams of|writes to|waits for|fights for"
)
OBJECTS = _split(
    "a stolen painting|an old map|a lost child|the family farm|a dying town|a forbidden love|"
    "a buried treasure|a broken promise|a missing sister|a secret letter|the last train|"
    "a forgotten song|a silent witness|a stranger's diary|an unpaid debt|a sunken ship|"
    "a crumbling hotel|the winning ticket|a runaway horse|a mysterious parcel|the old lighthouse|"
    "a rival gang|a cursed necklace|a faded photograph|the river crossing|a travelling circus"
)
TWISTS = _split(
    "Nothing is what it seems.|Old wounds open again.|Time is running out.|"
    "The truth has a price.|Winter is coming early this year.|Every choice has a cost.|"
    "Some doors should stay closed.|Love arrives at the worst moment.|"
    "The past refuses to stay buried.|A single night changes everything.|"
    "Friends become enemies, and enemies friends.|The sea keeps its secrets."
)
TITLE_PATTERNS = _split(
    "The {Adj} {Noun}|{Adj} {Noun}|The {Noun} of {Place}|{Noun} in {Place}|"
    "A {Adj} {Noun}|The {Role}|The {Role}'s {Noun}|{Place}|{Adj} {Noun} {n}|"
    "Return to {Place}|The Last {Role}|{Noun} and {Noun2}"
)

START = datetime(2015, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=365 * 11)


def _weighted(rng: random.Random, words: list[str]) -> str:
    # Zipf-like: the first words of a list are picked more often than the last.
    index = min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)
    return words[(index * 7) % len(words)] if index else rng.choice(words)


@dataclass
class SeedMovie:
    id: int
    title: str
    plot_summary: str
    rating: Decimal
    created_at: datetime


class CatalogueGenerator:
    """Movies, people and links, reproducible from ``seed``."""

    def __init__(self, *, seed: int = 1, movies: int, first_id: int = 1) -> None:
        self.rng = random.Random(seed)
        self.movies = movies
        self.first_id = first_id

    def actor_names(self, count: int) -> list[str]:
        names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        self.rng.shuffle(names)
        return [
            name if n < len(names) else f"{name} {n // len(names) + 1}"
            for n, name in ((n, names[n % len(names)]) for n in range(count))
        ]

    def title(self) -> str:
        rng = self.rng
        pattern = rng.choice(TITLE_PATTERNS)
        return pattern.format(
            Adj=_weighted(rng, ADJECTIVES).capitalize(),
            Noun=_weighted(rng, NOUNS).capitalize(),
            Noun2=_weighted(rng, NOUNS).capitalize(),
            Place=rng.choice(PLACES),
            Role=rng.choice(ROLES).title(),
            n=rng.randint(2, 4),
        )

    def plot(self) -> str:
        rng = self.rng
        role = rng.choice(ROLES)
        other = rng.choice(ROLES)
        place = rng.choice(PLACES)
        return (
            f"A {_weighted(rng, ADJECTIVES)} {role} in {place} {rng.choice(VERBS)} "
            f"{rng.choice(OBJECTS)}, helped by a {other} who knows the {_weighted(rng, NOUNS)} "
            f"better than anyone. {rng.choice(TWISTS)}"
        )

    def movies_iter(self) -> Iterator[SeedMovie]:
        rng = self.rng
        step = SPAN / max(self.movies, 1)
        for n in range(self.movies):
            yield SeedMovie(
                id=self.first_id + n,
                title=self.title()[:200],
                plot_summary=self.plot(),
                rating=Decimal(rng.randint(5, 50)) / 10,
                created_at=START + step * n + timedelta(seconds=rng.randint(0, 59)),
            )

    def links(self, movie_id: int, pool: list[int], count: int) -> list[int]:
        count = min(count, len(pool))
        # Popular people appear more often: a skewed pick, no duplicates in a movie.
        picked: set[int] = set()
        while len(picked) < count:
            index = min(int(self.rng.paretovariate(0.6)) - 1, len(pool) - 1)
            picked.add(pool[index] if index else self.rng.choice(pool))
        return sorted(picked)
