"""The catalogue over GraphQL: ``types``, ``queries`` and ``mutations``.

Resolvers stay thin: reads go through ``movies.selectors``, writes through
``movies.services``; ``prefetch`` adds the relations a document selects so any
list is served in a constant number of queries.
"""

from __future__ import annotations

from .mutations import Mutation
from .queries import Query
from .types import LIST_SIZES

__all__ = ["LIST_SIZES", "Mutation", "Query"]
