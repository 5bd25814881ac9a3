"""Prefetching what a document selects, so every list costs a constant number of queries.

The resolvers of a list (``allMovies``, ``allGenres``, ``movie(id)`` ...) walk the
document below their field and turn each relation it selects into a prefetch
lookup, followed through fragments and to any depth:

* ``Movie.genres``, ``Movie.directors``, ``Movie.cast`` and ``Movie.actors`` (the
  cast lines with their people, one query for both): a ``Prefetch`` in the models'
  default order (the cast's is billing) into a list (``PREFETCHED_ATTRS``,
  ``CAST_ATTR``), which the resolvers read through ``prefetched()``;
* ``Genre.movies``, ``Actor.movies`` and ``Actor.directed`` (paginated): a ``Prefetch`` of a *sliced*
  queryset (Django fetches one window per parent with ``ROW_NUMBER()``) into an
  attribute named after its ``limit`` and ``offset``, which the resolver reads.

Two selections of one relation with the same arguments (aliases, fragments) share
one lookup; different arguments get one each.

Only the columns a document shows are read (issue 13's lean read path): ``COLUMNS``
maps each field of a type to the model columns its resolver reads, and every queryset
here (the list's own, through ``with_selected``, and each ``Prefetch``) gets ``only()``
those and the keys that join it. A field missing from ``COLUMNS`` (another app's, say)
makes its type read every column, as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Model, Prefetch, QuerySet, prefetch_related_objects
from graphql import GraphQLError, GraphQLObjectType
from graphql.execution.values import get_argument_values
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode

from movies import selectors
from movies.models import CastMember, Genre, Person

# For each type, its fields that are relations: the model lookup behind each, and the
# type it leads to. ``Movie.actors`` reads the cast lines' people (billing order).
RELATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "Movie": {
        "genres": ("genres", "Genre"),
        "actors": ("cast_members__person", "Actor"),
        "directors": ("directors", "Actor"),
        "cast": ("cast_members", "CastMember"),
    },
    "CastMember": {"actor": ("person", "Actor")},
    "Genre": {"movies": ("movies", "Movie")},
    "Actor": {"movies": ("movies", "Movie"), "directed": ("directed", "Movie")},
}
# Relations served a page at a time (``limit``/``offset``).
PAGINATED = {("Genre", "movies"), ("Actor", "movies"), ("Actor", "directed")}

# Paginated relations whose rows are not movies: (type, field) -> a function of ``info``
# giving the rows' queryset. Another app registers its own relation on the catalogue's
# types here, with RELATIONS and PAGINATED (users' ``Movie.reviews``): movies imports no app.
PAGE_QUERYSETS: dict[tuple[str, str], Callable[[Any], QuerySet]] = {}


# For each type, the model columns each of its fields reads (the primary key is always
# read). Relations read none of their parent's: their rows come from a prefetch.
# Another app adds its fields on the catalogue's types here too (users' ``Movie.reviews``).
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "Movie": {
        "id": (),
        "title": ("title",),
        "plotSummary": ("plot_summary",),
        "imageUrl": ("image",),
        "rating": ("rating",),
        "createdAt": ("created_at",),
        "releaseDate": ("release_date",),
        "year": ("release_date",),
        "runtime": ("runtime",),
        "membersRating": ("members_rating_average", "members_rating_count"),
        "genres": (),
        "actors": (),
        "directors": (),
        "cast": (),
        "similar": (),
    },
    "Genre": {"id": (), "name": ("name",), "movies": ()},
    "Actor": {"id": (), "name": ("name",), "movies": (), "directed": ()},
    # A cast line always reads its movie (to be matched to it) and its person.
    "CastMember": {"actor": (), "character": ("character",), "order": ("order",)},
}
# Columns a type's rows always need whatever is selected.
ALWAYS: dict[str, tuple[str, ...]] = {"CastMember": ("movie", "person")}


def page_attr(field_name: str, limit: int, offset: int) -> str:
    """The attribute a page of ``field_name`` is prefetched into."""
    return f"_page_{field_name}_{limit}_{offset}"


@dataclass
class _Selection:
    """One relation as the document selects it: every sub-selection of it."""

    selection_sets: list[SelectionSetNode | None] = field(default_factory=list)


def _fields(selection_sets: Iterable[SelectionSetNode | None], fragments) -> list[FieldNode]:
    """Every field node of the selection sets, through inline fragments and spreads."""
    found: list[FieldNode] = []
    pending = list(selection_sets)
    seen_fragments: set[str] = set()
    while pending:
        selection_set = pending.pop()
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen_fragments:
                    seen_fragments.add(name)
                    pending.append(fragment.selection_set)
    return found


def _valid_page(arguments: dict) -> bool:
    limit, offset = arguments.get("limit"), arguments.get("offset")
    return (
        isinstance(limit, int)
        and isinstance(offset, int)
        and 0 <= limit <= settings.GRAPHQL_MAX_LIMIT
        and offset >= 0
    )


def _relations(info, type_name: str, selection_sets) -> dict[tuple, _Selection]:
    """(field, limit, offset) -> the selection of that relation, merged."""
    graphql_type = info.schema.get_type(type_name)
    assert isinstance(graphql_type, GraphQLObjectType)
    relations: dict[tuple, _Selection] = defaultdict(_Selection)
    for node in _fields(selection_sets, info.fragments):
        name = node.name.value
        if name not in RELATIONS[type_name]:
            continue
        arguments: dict = {}
        if (type_name, name) in PAGINATED:
            try:
                arguments = get_argument_values(
                    graphql_type.fields[name], node, info.variable_values
                )
            except GraphQLError:
                continue
            if not _valid_page(arguments):
                continue  # the resolver refuses it, naming the argument
        key = (name, arguments.get("limit"), arguments.get("offset"))
        relations[key].selection_sets.append(node.selection_set)
    return relations


def selected_columns(info, type_name: str, selection_sets) -> list[str] | None:
    """The model columns the selection reads on ``type_name`` (``COLUMNS``), primary key
    first; ``None`` (read them all) for a type or field ``COLUMNS`` does not know."""
    known = COLUMNS.get(type_name)
    if known is None:
        return None
    columns = ["id", *ALWAYS.get(type_name, ())]
    for node in _fields(selection_sets, info.fragments):
        name = node.name.value
        if name == "__typename":
            continue
        if name not in known:
            return None
        columns += known[name]
    return list(dict.fromkeys(columns))


def _only(queryset: QuerySet, columns: list[str] | None, prefix: str = "") -> QuerySet:
    if columns is None:
        return queryset
    return queryset.only(*(f"{prefix}{column}" for column in columns))


def _cast_lines(info, relations: dict[tuple, _Selection]) -> QuerySet:
    """A movie's cast lines with their people, for ``Movie.actors`` and ``Movie.cast``
    alike (one query): the lines' columns the ``cast`` selections read, the people's
    that ``actors`` and ``cast { actor }`` read."""
    line_sets = [
        s for (name, *_), sel in relations.items() if name == "cast" for s in sel.selection_sets
    ]
    person_sets = [
        s for (name, *_), sel in relations.items() if name == "actors" for s in sel.selection_sets
    ]
    person_sets += [
        node.selection_set
        for node in _fields(line_sets, info.fragments)
        if node.name.value == "actor"
    ]
    line_columns = selected_columns(info, "CastMember", line_sets)
    person_columns = selected_columns(info, "Actor", person_sets)
    queryset = CastMember.objects.select_related("person")
    if line_columns is not None and person_columns is not None:
        queryset = queryset.only(*line_columns, *(f"person__{column}" for column in person_columns))
    return queryset


# The rows of the plain (unpaginated) relations, before ``only()``: the models' own order.
PLAIN_QUERYSETS: dict[tuple[str, str], Callable[[], QuerySet]] = {
    ("Movie", "genres"): Genre.objects.all,
    ("Movie", "directors"): Person.objects.all,
}
# The attributes the plain relations are prefetched into, as lists (``to_attr``): Django
# then sets one attribute a movie instead of building a manager and a queryset for each
# movie and relation (most of a list's prefetch). The resolvers read them (``prefetched``).
PREFETCHED_ATTRS = {"genres": "_graph_genres", "directors": "_graph_directors"}
CAST_ATTR = "_graph_cast"


def prefetched(obj: Model, relation: str) -> list | None:
    """The rows of ``relation`` (``genres``, ``directors``, ``cast``) prefetched for
    ``obj`` by this module, or ``None`` (not prefetched: the resolver reads it)."""
    return getattr(obj, PREFETCHED_ATTRS.get(relation, CAST_ATTR), None)


def _lookups(info, type_name: str, selection_sets, prefix: str = "") -> list[str | Prefetch]:
    lookups: list[str | Prefetch] = []
    relations = _relations(info, type_name, selection_sets)
    for (name, limit, offset), selection in relations.items():
        lookup, related_type = RELATIONS[type_name][name]
        if limit is None and lookup.startswith("cast_members"):
            # The cast lines with their people in one query (``actors`` and ``cast``).
            lookups.append(
                Prefetch(
                    f"{prefix}cast_members",
                    queryset=_cast_lines(info, relations),
                    to_attr=CAST_ATTR,
                )
            )
            through = f"{prefix}{CAST_ATTR}"
            if lookup != "cast_members":
                through = f"{through}__person"  # the people: there already (select_related)
        elif limit is None and (type_name, name) in PLAIN_QUERYSETS:
            columns = selected_columns(info, related_type, selection.selection_sets)
            queryset = _only(PLAIN_QUERYSETS[(type_name, name)](), columns)
            lookups.append(
                Prefetch(f"{prefix}{lookup}", queryset=queryset, to_attr=PREFETCHED_ATTRS[name])
            )
            through = f"{prefix}{PREFETCHED_ATTRS[name]}"
        elif limit is None:
            through = f"{prefix}{lookup}"
            lookups.append(through)
        else:
            factory = PAGE_QUERYSETS.get((type_name, name))
            if factory is not None:
                rows = factory(info)
            else:
                columns = selected_columns(info, related_type, selection.selection_sets)
                rows = _only(selectors.movie_base_queryset(), columns)
            lookups.append(
                Prefetch(
                    f"{prefix}{lookup}",
                    queryset=rows[offset : offset + limit],
                    to_attr=page_attr(name, limit, offset),
                )
            )
            through = f"{prefix}{page_attr(name, limit, offset)}"
        lookups += _lookups(info, related_type, selection.selection_sets, f"{through}__")
    return lookups


def prefetch_lookups(info, type_name: str, path: Sequence[str] = ()) -> list[str | Prefetch]:
    """The ``prefetch_related`` lookups for what the current field selects.

    ``path`` walks down first, e.g. ``("movie",)`` from a mutation payload.
    """
    return _distinct(_lookups(info, type_name, _selection_sets(info, path)))


def _distinct(lookups: list[str | Prefetch]) -> list[str | Prefetch]:
    """One ``Prefetch`` per path: Django refuses a second one with a queryset."""
    seen: set[str] = set()
    kept: list[str | Prefetch] = []
    for lookup in lookups:
        if isinstance(lookup, Prefetch):
            if lookup.prefetch_to in seen:
                continue
            seen.add(lookup.prefetch_to)
        kept.append(lookup)
    return kept


def _selection_sets(info, path: Sequence[str] = ()) -> list[SelectionSetNode | None]:
    selection_sets: list[SelectionSetNode | None] = [
        node.selection_set for node in info.field_nodes
    ]
    for name in path:
        selection_sets = [
            node.selection_set
            for node in _fields(selection_sets, info.fragments)
            if node.name.value == name
        ]
    return selection_sets


def with_selected(queryset: QuerySet, info, type_name: str) -> QuerySet:
    """``queryset`` reading only the columns the document selects below the current
    field, and prefetching (only the columns of) the relations it selects.

    The queryset's own prefetches are dropped: the document's replace them.
    """
    columns = selected_columns(info, type_name, _selection_sets(info))
    return _only(queryset.prefetch_related(None), columns).prefetch_related(
        *prefetch_lookups(info, type_name)
    )


def one_with_selected(obj: Model | None, info, type_name: str, path: Sequence[str] = ()):
    if obj is not None:
        prefetch_related_objects([obj], *prefetch_lookups(info, type_name, path))
    return obj
