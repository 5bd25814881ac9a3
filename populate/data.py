"""What populate_movies.py fills a site with: a fictional catalogue.

13 genres, a cast of fictional people (actors, directors, a few who do both) and
generated movies: a year from 1950 to 2026, a runtime, one or two directors, 4 to 8
billed cast members with characters, and a plot written from templates of the movie's
main genre. Every name here is invented. Everything is plain data and a seeded
generator: no network, no drawing.
"""

from __future__ import annotations

import datetime
import random
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

# Fictional people. Any likeness to a real person's name is a coincidence.
ACTORS: tuple[str, ...] = (
    "Ada Brennan", "Tomas Ekwall", "Ines Marlowe", "Kofi Adeyemi-Hart", "Mira Castellan",
    "Elias Thorne", "June Okafor", "Rafael Quintero-Vale", "Noor Haddadin", "Oskar Lindqvar",
    "Lena Vasquez-Rowe", "Hugo Penhallow", "Priya Ramaswell", "Jonah Achterberg",
    "Esme Calloway", "Mateo Arrizabal", "Sana Kiriyama", "Felix Dunmore", "Ivy Ostrander",
    "Arlo Fenwick", "Delphine Marchetti", "Caspian Wolde", "Maren Holloway",
    "Tobias Yarrow",
)  # fmt: skip
_ACTRESSES: tuple[str, ...] = (
    "Ada Brennan", "Ines Marlowe", "Mira Castellan", "June Okafor", "Noor Haddadin",
    "Lena Vasquez-Rowe", "Priya Ramaswell", "Esme Calloway", "Sana Kiriyama", "Ivy Ostrander",
    "Delphine Marchetti", "Maren Holloway",
)  # fmt: skip
# Three directors act too (the first three): one person, both kinds of credit.
DIRECTORS: tuple[str, ...] = (
    "Ada Brennan", "Hugo Penhallow", "Sana Kiriyama",
    "Wendell Ashcombe", "Rosalind Vey", "Idris Montclair", "Bettina Sorell",
    "Laszlo Quennell", "Aurelie Fontage", "Cyrus Blackwood", "Margit Elsner",
    "Teodor Vasko",
)  # fmt: skip
PEOPLE: tuple[str, ...] = ACTORS + tuple(name for name in DIRECTORS if name not in ACTORS)

FIRST_YEAR = 1950
LAST_RELEASE = datetime.date(2026, 10, 31)  # fixed, so a seed gives the same movies every year


@dataclass(frozen=True)
class CastLine:
    person: str
    character: str


@dataclass(frozen=True)
class MovieSpec:
    """One generated movie, described by names so it can be matched against any site."""

    title: str
    plot_summary: str
    rating: str  # one decimal, "0.5" to "5.0": exact in multipart and in JSON
    genres: tuple[str, ...]  # the main genre first: it chooses the poster's look
    cast: tuple[CastLine, ...]  # billing order
    directors: tuple[str, ...]
    release_date: str  # YYYY-MM-DD
    runtime: int  # minutes

    @property
    def actors(self) -> tuple[str, ...]:
        return tuple(line.person for line in self.cast)

    @property
    def year(self) -> int:
        return int(self.release_date[:4])


# The plots say "she" of the lead, so the lead's given name is one of the first group.
_GIVEN_HER = (
    "Agnes", "Cora", "Edda", "Greta", "Ilse", "Lorna", "Nell", "Pearl", "Rosa", "Thea",
    "Vera", "Yara", "Bea", "Dora", "Flora",
)  # fmt: skip
_GIVEN_HIS = (
    "Bram", "Dashiell", "Finn", "Hollis", "Jasper", "Kit", "Magnus", "Otto", "Quill", "Silas",
    "Ulric", "Walt", "Zeke", "Cal", "Emil",
)  # fmt: skip
_FAMILY = (
    "Harrow", "Lindell", "Marsh", "Oakes", "Pryce", "Quayle", "Roan", "Sable", "Tolliver",
    "Underhill", "Voss", "Wren", "Ashby", "Bellamy", "Crane", "Dacre", "Ellery", "Frost",
)  # fmt: skip


@dataclass(frozen=True)
class _GenreText:
    """How one genre's titles and plots are written; ``{x}`` fields are filled in."""

    titles: tuple[str, ...]
    words: tuple[str, ...]  # {w} in titles
    places: tuple[str, ...]  # {place}
    roles: tuple[str, ...]  # what the hero is
    openings: tuple[str, ...]  # what sets the story going
    turns: tuple[str, ...]  # {ally}: the second-billed character
    endings: tuple[str, ...]
    runtime: tuple[int, int]
    companions: tuple[str, ...]  # genres that go with it


_TEXT: dict[str, _GenreText] = {
    "Action": _GenreText(
        titles=("Hard {w}", "{w} Protocol", "Dead {w}", "Operation {w}", "The {w} Run"),
        words=("Steel", "Thunder", "Falcon", "Redline", "Blackout", "Vanguard", "Iron", "Rapid"),
        places=(
            "a flooded port city",
            "a mountain rail line",
            "a container terminal",
            "a border town",
        ),
        roles=(
            "a former bodyguard",
            "a getaway driver",
            "an off-duty marshal",
            "a demolition expert",
        ),
        openings=(
            "is pulled back in when a convoy carrying a witness is ambushed",
            "has one night to get a stolen hard drive across the city",
            "finds her old unit hunting her",
        ),
        turns=(
            "{ally}, a mechanic who owes her a favour, knows every back road.",
            "Only {ally}, the partner she walked out on, will still answer the phone.",
        ),
        endings=(
            "It ends on the roof of the tallest building in town.",
            "Every road out is closed, so they will have to make one.",
        ),
        runtime=(92, 138),
        companions=("Thriller", "Adventure", "Crime", "Science Fiction"),
    ),
    "Adventure": _GenreText(
        titles=("The {w} Expedition", "Beyond the {w}", "The Lost {w}", "Map of the {w}"),
        words=("Sunken", "Amber", "Northern", "Jade", "Salt", "Hidden", "Painted", "Copper"),
        places=(
            "the ice fields of the far north",
            "an uncharted river delta",
            "a chain of volcanic islands",
            "the high desert country",
        ),
        roles=("a mapmaker", "a ship's cook", "a disgraced museum curator", "a young pilot"),
        openings=(
            "finds her grandfather's journal describing a city no atlas shows",
            "signs on to a voyage nobody has come back from",
            "wins a battered seaplane in a card game",
        ),
        turns=(
            "{ally} joins the crew with a compass that never points north.",
            "With {ally}, a guide who speaks every language but her own, the trail gets colder.",
        ),
        endings=(
            "What they find is not what anyone was paid to bring home.",
            "The way back is longer than the way in.",
        ),
        runtime=(98, 152),
        companions=("Action", "Fantasy", "Comedy", "Drama"),
    ),
    "Animation": _GenreText(
        titles=("{w} and the Moon", "Little {w}", "The {w} Who Could Fly", "Button and {w}"),
        words=("Pip", "Bramble", "Marlo", "Tuppence", "Nutmeg", "Puddle", "Clover", "Sprocket"),
        places=(
            "a town of clockwork birds",
            "a lighthouse full of talking cats",
            "a forest where the seasons are painted",
            "a city under the floorboards",
        ),
        roles=("a small vixen", "a toy robot girl", "a shy young dragon", "a lost paper doll"),
        openings=(
            "sets out to find the star that fell into the garden",
            "wants more than anything to join the autumn parade",
            "wakes up one morning two sizes too big",
        ),
        turns=(
            "{ally}, a grumpy old owl, agrees to help, for a price.",
            "Along the way, {ally} teaches her that being brave can be quiet.",
        ),
        endings=(
            "Home turns out to be the best adventure of all.",
            "By spring, nobody in town is quite the same.",
        ),
        runtime=(74, 104),
        companions=("Comedy", "Adventure", "Fantasy"),
    ),
    "Comedy": _GenreText(
        titles=("Meet the {w}s", "{w} Weekend", "Too Many {w}s", "The {w} Job", "Best {w} Ever"),
        words=(
            "Wedding",
            "Neighbour",
            "Cousin",
            "Holiday",
            "Karaoke",
            "Substitute",
            "Pizza",
            "Goat",
        ),
        places=(
            "a seaside bed-and-breakfast",
            "a failing bowling alley",
            "a suburb with strict lawn rules",
            "a cruise liner's ballroom",
        ),
        roles=(
            "an overconfident wedding planner",
            "a dentist who hates teeth",
            "a retired magician",
            "a struggling food-truck owner",
        ),
        openings=(
            "promises her mother a fiancé by Sunday",
            "accidentally books two weddings on the same day",
            "inherits a goat and a grudge",
        ),
        turns=(
            "{ally}, the least reliable person she knows, offers to help.",
            "Things get worse when {ally} moves into the spare room.",
        ),
        endings=(
            "Nobody learns a lesson, but everybody dances.",
            "By the end, even the goat has a plan.",
        ),
        runtime=(84, 112),
        companions=("Romance", "Drama", "Crime"),
    ),
    "Crime": _GenreText(
        titles=("The {w} Affair", "Dirty {w}", "{w} Street", "The Long {w}", "A {w} for Nothing"),
        words=("Marlow", "Silver", "Harbour", "Velvet", "Midnight", "Cold", "Paper", "Counterfeit"),
        places=(
            "a rain-soaked harbour town",
            "the back rooms of a jazz club",
            "a city run by one family",
            "a motel off the interstate",
        ),
        roles=(
            "a tired detective",
            "a bookkeeper for the mob",
            "a young public defender",
            "a pickpocket",
        ),
        openings=(
            "is handed a case that everyone above her wants closed",
            "discovers the numbers in the ledger do not add up",
            "steals the wrong wallet",
        ),
        turns=(
            "{ally}, a crooked cop with a conscience, feeds her a name.",
            "The only witness is {ally}, and {ally} has reasons to lie.",
        ),
        endings=(
            "Getting out clean is no longer on the table.",
            "The truth costs more than anyone can pay.",
        ),
        runtime=(96, 148),
        companions=("Drama", "Thriller", "Mystery"),
    ),
    "Documentary": _GenreText(
        titles=("The {w} Years", "Voices of the {w}", "After the {w}", "Inside the {w}"),
        words=("Harvest", "River", "Orchestra", "Factory", "Tide", "Stadium", "Archive", "Glacier"),
        places=("a fishing village", "a city orchestra", "a family farm", "a rural hospital"),
        roles=("a filmmaker", "a retired teacher", "a photographer", "a radio host"),
        openings=(
            "spends a year following the people who keep one place alive",
            "returns to the town where she grew up with a camera",
            "opens a box of tapes nobody has played in forty years",
        ),
        turns=(
            "Interviews with {ally} and others trace how much has changed.",
            "Through {ally}'s letters, a forgotten story comes back.",
        ),
        endings=(
            "A portrait of work, weather and stubborn hope.",
            "What remains is a record of ordinary courage.",
        ),
        runtime=(72, 118),
        companions=("Drama",),
    ),
    "Drama": _GenreText(
        titles=("The {w}", "A {w} in Winter", "All the {w}", "Small {w}s", "The Last {w}"),
        words=(
            "Orchard",
            "Promise",
            "Inheritance",
            "Letter",
            "Harvest",
            "Silence",
            "Homecoming",
            "Summer",
        ),
        places=(
            "a coal town in decline",
            "a family vineyard",
            "a hospital ward at night",
            "a small island",
        ),
        roles=(
            "a widowed schoolteacher",
            "an ageing pianist",
            "a nurse on the night shift",
            "a daughter who never left",
        ),
        openings=(
            "must decide whether to sell the house her father built",
            "takes in a nephew she has never met",
            "gets a letter from the sister she has not spoken to in twenty years",
        ),
        turns=(
            "{ally} arrives with an offer, and a secret.",
            "A slow friendship with {ally} forces old wounds open.",
        ),
        endings=(
            "Forgiveness is harder than leaving, and braver.",
            "A story of family, loss and second chances.",
        ),
        runtime=(94, 158),
        companions=("Romance", "Crime", "Comedy", "Mystery"),
    ),
    "Fantasy": _GenreText(
        titles=("The {w} Crown", "Kingdom of {w}", "The {w} Gate", "Song of the {w}"),
        words=("Ash", "Thorn", "Ember", "Raven", "Winter", "Silver", "Moon", "Hollow"),
        places=(
            "a kingdom where magic is taxed",
            "the last forest of the old gods",
            "a city built on a sleeping giant",
            "a realm of endless autumn",
        ),
        roles=(
            "a blacksmith's apprentice",
            "an exiled princess",
            "a failed wizard",
            "a thief with a cursed hand",
        ),
        openings=(
            "learns she is the last who can read the old runes",
            "is chosen by a sword nobody wanted",
            "breaks a promise made to a dragon",
        ),
        turns=(
            "{ally}, a knight who has stopped believing in quests, agrees to ride with her.",
            "The witch {ally} offers help at a price paid in memories.",
        ),
        endings=(
            "The crown is not the prize she thought it was.",
            "To save the realm she must give up the magic that made her.",
        ),
        runtime=(102, 162),
        companions=("Adventure", "Action", "Romance", "Animation"),
    ),
    "Horror": _GenreText(
        titles=(
            "The {w}",
            "Don't Open the {w}",
            "{w} House",
            "It Came from the {w}",
            "Night of the {w}",
        ),
        words=("Cellar", "Hollow", "Attic", "Well", "Marsh", "Chapel", "Lodge", "Quarry"),
        places=(
            "a farmhouse at the edge of a marsh",
            "an empty ski lodge",
            "a boarding school closed for winter",
            "a village with no children",
        ),
        roles=(
            "a night-shift caretaker",
            "a grieving mother",
            "a paranormal sceptic",
            "a student on a dare",
        ),
        openings=(
            "hears knocking from inside the walls",
            "moves into a house that was cheap for a reason",
            "finds the same photograph in every room",
        ),
        turns=(
            "{ally}, the only neighbour, knows what happened here in 1962.",
            "When {ally} goes missing, the house starts to talk.",
        ),
        endings=("By dawn, not everyone will leave.", "Some doors are locked from the other side."),
        runtime=(82, 112),
        companions=("Thriller", "Mystery"),
    ),
    "Mystery": _GenreText(
        titles=("The {w} Case", "Who Killed {w}?", "The {w} Key", "Murder at {w} Hall"),
        words=(
            "Ashgrove",
            "Blackwater",
            "Kestrel",
            "Lindenfield",
            "Marigold",
            "Rook",
            "Whitlow",
            "Glass",
        ),
        places=(
            "a country house cut off by snow",
            "a sleeper train",
            "a seaside hotel",
            "a college in the fens",
        ),
        roles=(
            "a retired inspector",
            "a crossword setter",
            "a village postmistress",
            "an insurance investigator",
        ),
        openings=(
            "is the only guest who did not hear the shot",
            "notices the clock in the library is twelve minutes slow",
            "receives an anonymous letter naming a murder yet to happen",
        ),
        turns=(
            "Everyone has an alibi except {ally}, who has too many.",
            "{ally}, the late host's secretary, knows where the will is hidden.",
        ),
        endings=(
            "The answer was in the first room all along.",
            "Before the snow melts, someone will confess.",
        ),
        runtime=(88, 128),
        companions=("Crime", "Thriller", "Drama", "Comedy"),
    ),
    "Romance": _GenreText(
        titles=(
            "Love in {w}",
            "The {w} Summer",
            "{w} and Roses",
            "Meet Me in {w}",
            "The {w} Letters",
        ),
        words=("Lisbon", "Provence", "Autumn", "Vienna", "Harbour", "Paris", "Amalfi", "June"),
        places=(
            "a bookshop by the sea",
            "a vineyard in late summer",
            "a night train to Rome",
            "a ballroom dance school",
        ),
        roles=(
            "a cellist between jobs",
            "a baker who has sworn off love",
            "a translator",
            "a widowed architect",
        ),
        openings=(
            "keeps running into the same stranger at the same café",
            "agrees to pretend to be engaged for one weekend",
            "finds a letter in a second-hand book",
        ),
        turns=(
            "{ally} is everything she said she did not want.",
            "{ally} has one summer left before moving across the world.",
        ),
        endings=(
            "Some people are worth missing a train for.",
            "Love, it turns out, keeps its own timetable.",
        ),
        runtime=(90, 124),
        companions=("Comedy", "Drama"),
    ),
    "Science Fiction": _GenreText(
        titles=("{w} Station", "The {w} Signal", "Beyond {w}", "{w} Zero", "Project {w}"),
        words=("Europa", "Helix", "Orbital", "Kepler", "Quantum", "Perihelion", "Vesta", "Nova"),
        places=(
            "a research station on Europa",
            "a generation ship",
            "a city under a dome",
            "a lunar mining colony",
        ),
        roles=("a systems engineer", "a ship's doctor", "a linguist", "a salvage pilot"),
        openings=(
            "picks up a signal that repeats her own voice",
            "wakes from cryosleep forty years late",
            "finds a second copy of the crew's logs",
        ),
        turns=(
            "The ship's AI and {ally} disagree about what the signal means.",
            "{ally}, the commander, orders the data destroyed.",
        ),
        endings=(
            "First contact will not wait for permission.",
            "Getting home means deciding what home is.",
        ),
        runtime=(96, 150),
        companions=("Thriller", "Action", "Adventure", "Drama"),
    ),
    "Thriller": _GenreText(
        titles=("The {w} Line", "{w} Point", "Eyes on {w}", "The {w} Hours", "Silent {w}"),
        words=("Vantage", "Breaking", "Cold", "Blind", "Twelve", "Dark", "Glass", "Vanishing"),
        places=(
            "a snowed-in airport",
            "a government building in lockdown",
            "a ferry in the fog",
            "a hotel during a summit",
        ),
        roles=(
            "a court stenographer",
            "an air traffic controller",
            "a hostage negotiator",
            "a cybersecurity analyst",
        ),
        openings=(
            "overhears a phone call she was never meant to hear",
            "notices the same car outside her house three nights running",
            "is framed for a leak she tried to stop",
        ),
        turns=(
            "{ally}, the agent assigned to protect her, may be the one to fear.",
            "Only {ally}, a journalist nobody believes, will listen.",
        ),
        endings=(
            "By midnight, she has to choose who to trust.",
            "The clock is running, and so is she.",
        ),
        runtime=(94, 132),
        companions=("Crime", "Mystery", "Action", "Drama"),
    ),
}


def match_key(name: str) -> str:
    """How names and titles are matched: case and runs of spaces do not count."""
    return " ".join(name.split()).casefold()


def _rating(rng: random.Random) -> str:
    """Shaped like real catalogue ratings: a bell around 3.4 (of 5), most of it between
    2.5 and 4.5, a thin tail of flops and a few near-perfect scores."""
    value = min(5.0, max(0.5, rng.gauss(3.4, 0.55)))
    return f"{round(value * 10) / 10:.1f}"


def _release_date(rng: random.Random) -> str:
    year = rng.randint(FIRST_YEAR, LAST_RELEASE.year)
    month = rng.randint(1, 12 if year < LAST_RELEASE.year else LAST_RELEASE.month)
    return datetime.date(year, month, rng.randint(1, 28)).isoformat()


def _title(rng: random.Random, text: _GenreText, seen: set[str]) -> str:
    title = ""
    for _attempt in range(30):
        title = rng.choice(text.titles).format(w=rng.choice(text.words))
        if match_key(title) not in seen:
            return title
    base, sequel = title, 1
    while match_key(title) in seen:  # every combination taken: a sequel
        sequel += 1
        title = f"{base} {sequel}"
    return title


def generate_movies(count: int, seed: int) -> list[MovieSpec]:
    """``count`` movies with unique titles; the same seed always gives the same movies,
    and a smaller count gives the first movies of a larger one."""
    rng = random.Random(seed)
    seen: set[str] = set()
    movies: list[MovieSpec] = []
    for index in range(count):
        main = GENRES[(index + rng.randrange(len(GENRES))) % len(GENRES)]
        text = _TEXT[main]
        title = _title(rng, text, seen)
        seen.add(match_key(title))
        extra = rng.sample(text.companions, min(len(text.companions), rng.choice((0, 1, 1, 2))))
        # The plots say "she" of the lead: an actress plays her; each character's given
        # name fits whoever plays it.
        star = rng.choice(_ACTRESSES)
        people = [star, *rng.sample([p for p in ACTORS if p != star], rng.randint(3, 7))]
        her_names = rng.sample(_GIVEN_HER, len(_GIVEN_HER))
        his_names = rng.sample(_GIVEN_HIS, len(_GIVEN_HIS))
        given = [her_names.pop() if p in _ACTRESSES else his_names.pop() for p in people]
        characters = [f"{name} {rng.choice(_FAMILY)}" for name in given]
        if main == "Documentary":  # the people on screen appear as themselves
            characters = ["Self"] * len(people)
            given[0], given[1] = people[0], people[1]
        hero, ally = given[0], given[1]
        plot = (
            f"{hero}, {rng.choice(text.roles)} in {rng.choice(text.places)}, "
            f"{rng.choice(text.openings)}. "
            f"{rng.choice(text.turns).format(ally=ally)} {rng.choice(text.endings)}"
        )
        movies.append(
            MovieSpec(
                title=title,
                plot_summary=plot,
                rating=_rating(rng),
                genres=(main, *extra),
                cast=tuple(
                    CastLine(person, character)
                    for person, character in zip(people, characters, strict=True)
                ),
                directors=tuple(rng.sample(DIRECTORS, 2 if rng.random() < 0.15 else 1)),
                release_date=_release_date(rng),
                runtime=rng.randint(*text.runtime),
            )
        )
    return movies
