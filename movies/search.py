"""Catalogue search: parsing what people type, and matching it on each database.

One parser turns any text into terms (words, quoted phrases, ``-`` exclusions);
two matchers apply them:

* PostgreSQL: full-text search on the stored ``movies_movie.search_vector``
  (title weighted A, plot B, both through ``movies_unaccent``; GIN index), one
  prefix query per word, built from the parsed words only: raw text never
  reaches ``to_tsquery``'s syntax. Title matches rank first, then ``ts_rank``.
* SQLite: each word as a case-insensitive substring of the title or the plot,
  both folded by the ``movies_fold`` SQL function that ``movies.apps`` registers
  (case and accents), title matches first.

Any text is a valid query: what is not a letter or a digit separates words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import Collate, Lower

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


class TsRank(Func):
    """``ts_rank('{D, C, B, A}', vector, query)``: plot words count a fifth of title words."""

    function = "ts_rank"
    template = "%(function)s('{0, 0, 0.2, 1.0}'::float4[], %(expressions)s)"
    output_field = FloatField()


def _postgres_search(queryset: QuerySet, query: ParsedQuery, *, rank: bool) -> QuerySet:
    vector = MovieSearchVector()
    queryset = queryset.filter(Matches(vector, ts_query(tsquery_text(query))))
    if not rank:
        return queryset
    title_query = ts_query(tsquery_text(query, weight="A", with_exclude=False))
    return queryset.annotate(
        search_title_hit=Matches(MovieSearchVector(), title_query),
        search_rank=TsRank(MovieSearchVector(), title_query),
    ).order_by("-search_title_hit", "-search_rank", "-created_at", "-id")


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


class WordSimilar(Func):
    """``text <% other``: ``text`` is like some run of words of ``other`` (pg_trgm, indexed)."""

    arg_joiner = " <%% "  # psycopg placeholders: a literal % is doubled
    template = "(%(expressions)s)"
    output_field = BooleanField()


class WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


# Titles are at most 200 characters: a longer text cannot start one.
SUGGEST_MAX_CHARS = 200


def suggestion_queries(queryset: QuerySet, text: str) -> list[QuerySet]:
    """The querysets of :func:`movies.selectors.movie_suggestions`, best first (lazy)."""
    text = text[:SUGGEST_MAX_CHARS]
    # The folded text, without what PostgreSQL cannot hold (NUL, lone surrogates).
    key = fold(text).replace("\x00", "").encode("utf-8", "ignore").decode()
    title_words = words(text)[:MAX_TERMS]
    queries = []
    if key.strip():
        queries.append(
            queryset.annotate(search_key=title_key())
            .filter(search_key__startswith=key)
            .order_by("search_key", "id")
        )
    if not title_words:
        return queries
    postgres = connection.vendor == "postgresql"
    if postgres:
        title_query = tsquery_text(ParsedQuery(include=[Term(title_words)]), weight="A")
        # Ordered by rank (not by an indexed column), so the planner reads the GIN
        # index instead of walking the rating index hoping to meet a rare word early.
        queries.append(
            queryset.filter(Matches(MovieSearchVector(), ts_query(title_query)))
            .annotate(search_rank=TsRank(MovieSearchVector(), ts_query(title_query)))
            .order_by("-search_rank", "-rating", "id")
        )
        typo = " ".join(title_words)
        queries.append(
            queryset.filter(WordSimilar(Value(typo), Unaccent(F("title"))))
            .annotate(search_similarity=WordSimilarity(Value(typo), Unaccent(F("title"))))
            .order_by("-search_similarity", "-rating", "id")
        )
    else:
        condition = Q()
        for word in title_words:
            condition &= Q(search_title__contains=word)
        queries.append(
            queryset.annotate(search_title=Folded(F("title")))
            .filter(condition)
            .order_by("-rating", "id")
        )
    return queries
