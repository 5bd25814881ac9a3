"""Catalogue search: parsing what people type, and matching it on each database.

One parser turns any text into terms (words, quoted phrases, ``-`` exclusions);
two matchers apply them:

* PostgreSQL: full-text search on the stored ``movies_movie.search_vector``
  (title weighted A, plot B, both through ``movies_unaccent``; GIN index), one
  prefix query per word, built from the parsed words only: raw text never
  reaches ``to_tsquery``'s syntax. Title matches (the title's own indexed vector,
  ``TitleVector``) come first, then plot-only matches, each by ``ts_rank`` then newest
  first (a tier of more than ``TIER_SORT_MAX`` matches: newest first); a page reads
  only its tier(s) (``movies.models.MovieQuerySet.in_two_tiers``).
* SQLite: each word as a case-insensitive substring of the title or the plot,
  both folded by the ``movies_fold`` SQL function that ``movies.apps`` registers
  (case and accents), title matches first, then newest.

Any text is a valid query: what is not a letter or a digit separates words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection, connections
from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import Collate, Lower

from core.counts import catalogue_count

from .models import TIER_SORT_MAX, implied_by_first_tier

# What counts as a word: letters and digits of any script (not "_", which the
# PostgreSQL text-search parser treats as a separator).
WORD_RE = re.compile(r"[^\W_]+")
# A query uses at most this many terms; the rest are ignored (bounds the work of one search).
MAX_TERMS = 32
# PostgreSQL's text-search configuration: no stemming, no stop words, so "the" and
# the start of any word match as typed.
TS_CONFIG = "simple"

# Letters that Unicode does not decompose into a base letter and an accent; the same
# folding PostgreSQL's unaccent applies.
_EXTRA_FOLDS = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "Ð": "d",
    }
)


def fold(text: str) -> str:
    """``text`` without case or accents: ``"Reykjavík"`` → ``"reykjavik"``."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(char for char in text if not unicodedata.combining(char)).casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``; punctuation and operators are separators."""
    return WORD_RE.findall(fold(text))


@dataclass
class Term:
    """Words that must all be found (``phrase``: next to each other, in order)."""

    words: list[str]
    phrase: bool = False


@dataclass
class ParsedQuery:
    include: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)

    def __bool__(self) -> bool:
        # Excluding alone would mean "nearly everything": a query needs one word to find.
        return bool(self.include)


# A quoted phrase, or a run of anything else; either may start with "-".
_TOKEN_RE = re.compile(r'(-?)"([^"]*)"|(\S+)')


def parse(text: str) -> ParsedQuery:
    """Terms of ``text``: words; ``"quoted phrases"``; ``-word`` and ``-"phrase"`` exclude.

    Anything else (``&|!():*'\\``, a lone ``-``, SQL) only separates words. An
    unclosed quote is ordinary punctuation.
    """
    query = ParsedQuery()
    for match in _TOKEN_RE.finditer(text or ""):
        negate, phrase_text, plain = match.groups()
        if plain is not None:
            negate = plain.startswith("-")
            term = Term(words(plain), phrase=False)
        else:
            term = Term(words(phrase_text), phrase=True)
        if not term.words:
            continue
        if len(term.words) == 1:
            term.phrase = False
        (query.exclude if negate else query.include).append(term)
    # Bound the work: at most MAX_TERMS terms (and words within them) in all.
    budget = MAX_TERMS
    for terms in (query.include, query.exclude):
        kept = []
        for term in terms:
            if budget <= 0:
                break
            term.words = term.words[:budget]
            budget -= len(term.words)
            kept.append(term)
        terms[:] = kept
    return query


# --- PostgreSQL ---------------------------------------------------------------------


def _tsquery_term(term: Term, weight: str = "") -> str:
    # Words hold only letters and digits (WORD_RE): nothing to escape, quoted anyway.
    lexemes = [f"'{word}':*{weight}" for word in term.words]
    return f"({(' <-> ' if term.phrase else ' & ').join(lexemes)})"


def tsquery_text(query: ParsedQuery, *, weight: str = "", with_exclude: bool = True) -> str:
    """``to_tsquery`` text for ``query``: a prefix match per word; ``weight="A"`` is title only."""
    parts = [_tsquery_term(term, weight) for term in query.include]
    if with_exclude:
        parts += [f"!{_tsquery_term(term)}" for term in query.exclude]
    return " & ".join(parts)


def ts_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="raw", config=Value(TS_CONFIG))


_SEARCH_VECTOR_FIELD = SearchVectorField()
_SEARCH_VECTOR_FIELD.set_attributes_from_name("search_vector")


class MovieSearchVector(Expression):
    """``movies_movie.search_vector``: the column the PostgreSQL migration adds (not a model field)."""

    output_field = SearchVectorField()

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        return Col(
            query.get_initial_alias(), _SEARCH_VECTOR_FIELD, output_field=SearchVectorField()
        )


class Matches(Func):
    """``vector @@ query``."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class TitleVector(Func):
    """The title's own search vector, ``to_tsvector('simple', movies_unaccent(title))``:
    the expression of the ``movie_title_vector_gin`` index (migration 0007), so title
    matches are found among titles only."""

    template = f"to_tsvector('{TS_CONFIG}'::regconfig, movies_unaccent(%(expressions)s))"
    output_field = SearchVectorField()

    def __init__(self, **extra):
        super().__init__(F("title"), **extra)


# ``ts_rank`` normalizations (PostgreSQL's bit mask): 2 divides by the document's length,
# so in the title tier a title that is mostly the query ("Detective") ranks above a long
# title that merely holds it ("The Long Night of the Retired Detective"); 1 divides by
# 1 + log(length), gentler for plots, whose lengths vary more.
TITLE_RANK_NORMALIZATION = 2
PLOT_RANK_NORMALIZATION = 1


class TitleWords(Func):
    """The title's part of the stored vector, ``ts_filter(search_vector, '{a}')``: the
    title's own vector with weight A, read from the row instead of parsing the title
    again (ranking 2,000 title matches: about 1 ms instead of 5 at a million movies)."""

    template = "ts_filter(%(expressions)s, '{a}'::\"char\"[])"
    output_field = SearchVectorField()

    def __init__(self, **extra):
        super().__init__(MovieSearchVector(), **extra)


def _postgres_search(queryset: QuerySet, query: ParsedQuery, *, rank: bool) -> QuerySet:
    vector = MovieSearchVector()
    matches = Matches(vector, ts_query(tsquery_text(query)))
    if rank and not query.exclude:
        # Every title match (each word in the title) matches the whole vector too.
        matches = implied_by_first_tier(matches)
    queryset = queryset.filter(matches)
    if not rank:
        return queryset
    # Title matches first (every word in the title, by the title's own index), then
    # plot-only matches; inside each, by relevance: ts_rank against the vector the
    # tier matched (the title's words; the whole stored vector, title words A above plot
    # words B), then newest first. A page reads a bounded number of rows instead of ranking
    # every match (MovieQuerySet.in_two_tiers: a tier of more than TIER_SORT_MAX rows is
    # read newest first).
    title_query = ts_query(tsquery_text(query, with_exclude=False))
    ranks = (
        SearchRank(TitleWords(), title_query, normalization=Value(TITLE_RANK_NORMALIZATION)),
        SearchRank(vector, title_query, normalization=Value(PLOT_RANK_NORMALIZATION)),
    )
    return queryset.in_two_tiers(Matches(TitleVector(), title_query), ranks=ranks)


# --- SQLite (and any other database) --------------------------------------------------


class Folded(Func):
    """``movies_fold(text)``: lower case without accents (registered by ``movies.apps``)."""

    function = "movies_fold"


def _term_q(term: Term, field_name: str) -> Q:
    if term.phrase:
        return Q(**{f"{field_name}__contains": " ".join(term.words)})
    condition = Q()
    for word in term.words:
        condition &= Q(**{f"{field_name}__contains": word})
    return condition


def _simple_search(queryset: QuerySet, query: ParsedQuery, *, rank: bool) -> QuerySet:
    queryset = queryset.annotate(
        search_title=Folded(F("title")), search_plot=Folded(F("plot_summary"))
    )
    for term in query.include:
        queryset = queryset.filter(_term_q(term, "search_title") | _term_q(term, "search_plot"))
    for term in query.exclude:
        queryset = queryset.exclude(_term_q(term, "search_title") | _term_q(term, "search_plot"))
    if not rank:
        return queryset
    title_hit = Q()
    for term in query.include:
        title_hit &= _term_q(term, "search_title")
    return queryset.annotate(
        search_title_hit=Case(
            When(title_hit, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("-search_title_hit", "-created_at", "-id")


def search_movies(queryset: QuerySet, text: str, *, rank: bool = True) -> QuerySet:
    """Movies of ``queryset`` that match ``text``; by relevance when ``rank``.

    A query without a word to look for (empty, only punctuation, only ``-word``)
    matches nothing.
    """
    query = parse(text)
    if not query:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _postgres_search(queryset, query, rank=rank)
    return _simple_search(queryset, query, rank=rank)


# --- Suggestions ------------------------------------------------------------------------


class Unaccent(Func):
    """``movies_unaccent(text)``: the immutable unaccent the PostgreSQL migration creates."""

    function = "movies_unaccent"


def title_key() -> Expression:
    """The folded title the starts-with suggestions use (indexed on PostgreSQL)."""
    if connection.vendor == "postgresql":
        return Collate(Lower(Unaccent(F("title"))), "C")
    return Folded(F("title"))


# Titles are at most 200 characters: a longer text cannot start one.
SUGGEST_MAX_CHARS = 200


# A word of a query is corrected to at most this many title words, the most similar first,
# each within this much trigram similarity of the best one.
CORRECTIONS_PER_WORD = 3
CORRECTION_MARGIN = 0.1

_CORRECTIONS_SQL = """
SELECT q.word, c.word, c.similarity
FROM unnest(%s::text[]) WITH ORDINALITY AS q(word, n)
CROSS JOIN LATERAL (
    SELECT w.word, similarity(w.word, q.word) AS similarity FROM movies_title_word w
    WHERE w.word %% q.word
    ORDER BY similarity(w.word, q.word) DESC, w.word
    LIMIT %s
) c
ORDER BY q.n
"""


def word_corrections(title_words: list[str], *, using: str = "default") -> dict[str, list[str]]:
    """For each of ``title_words``, the title words like it (pg_trgm's ``%``: trigram
    similarity at least ``pg_trgm.similarity_threshold``, 0.3 by default), most similar
    first, and none much less similar than the best (``CORRECTION_MARGIN``): one query
    on the small table of distinct title words (migration 0007), not on every title.
    PostgreSQL only."""
    corrections: dict[str, list[str]] = {}
    with connections[using].cursor() as cursor:
        cursor.execute(_CORRECTIONS_SQL, [title_words, CORRECTIONS_PER_WORD])
        best: dict[str, float] = {}
        for word, correction, similarity in cursor.fetchall():
            best.setdefault(word, similarity)  # the rows come most similar first
            if similarity < best[word] - CORRECTION_MARGIN:
                continue  # "light" for "lighthose" when "lighthouse" is there
            if WORD_RE.fullmatch(correction) and correction != word:
                corrections.setdefault(word, []).append(correction)
    return corrections


def typo_tsquery_text(title_words: list[str], corrections: dict[str, list[str]]) -> str:
    """Every word, as typed (a prefix) or as one of its corrections (whole words)."""
    terms = []
    for word in title_words:
        options = [f"'{word}':*", *(f"'{fixed}'" for fixed in corrections.get(word, []))]
        terms.append(f"({' | '.join(options)})")
    return " & ".join(terms)


def suggestion_queries(queryset: QuerySet, text: str) -> Iterator[QuerySet]:
    """The querysets of :func:`movies.selectors.movie_suggestions`, best first (lazy: a
    step's own preparation, such as correcting typos, runs only when it is reached)."""
    text = text[:SUGGEST_MAX_CHARS]
    # The folded text, without what PostgreSQL cannot hold (NUL, lone surrogates).
    key = fold(text).replace("\x00", "").encode("utf-8", "ignore").decode()
    title_words = words(text)[:MAX_TERMS]
    if key.strip():
        yield (
            queryset.annotate(search_key=title_key())
            .filter(search_key__startswith=key)
            .order_by("search_key", "id")
        )
    if not title_words:
        return
    if connections[queryset.db].vendor != "postgresql":
        condition = Q()
        for word in title_words:
            condition &= Q(search_title__contains=word)
        yield (
            queryset.annotate(search_title=Folded(F("title")))
            .filter(condition)
            .order_by("-rating", "id")
        )
        return
    # Titles with words starting with each word, by the title's own index.
    title_query = ts_query(tsquery_text(ParsedQuery(include=[Term(title_words)])))
    yield best_rated_first(queryset.filter(Matches(TitleVector(), title_query)))
    # Typos: each word corrected against the distinct title words, then the titles
    # holding the corrections, through the title's own index.
    corrections = word_corrections(title_words, using=queryset.db)
    if not corrections:
        return
    typo_query = ts_query(typo_tsquery_text(title_words, corrections))
    yield best_rated_first(queryset.filter(Matches(TitleVector(), typo_query)))


def best_rated_first(queryset: QuerySet) -> QuerySet:
    """``queryset`` best rated first, ties newest id first, read in a bounded way: when
    at most ``TIER_SORT_MAX`` rows match (counted up to that, kept until the next
    catalogue write) they are sorted whole after their own index found them; when more
    match, the ``(rating, id)`` index is walked and stops after the few wanted. Never
    ranks or sorts every match, and never walks the whole table hoping to meet a rare
    word (the planner's guess for a word it has no statistics of)."""
    found = catalogue_count(queryset.order_by()[: TIER_SORT_MAX + 1])
    if not found:
        return queryset.none()
    if found <= TIER_SORT_MAX:
        rating = ExpressionWrapper(F("rating") + Value(0), output_field=DecimalField())
        return queryset.order_by(rating.desc(), "-id")
    return queryset.order_by("-rating", "-id")
