"""The root GraphQL schema: each app's ``Query`` and ``Mutation`` in one.

``core.graphql.run_document(schema, document, variables=..., context_value=request)``
runs a document in-process behind the same limits as ``/graphql/`` (the support
app does); ``schema.execute`` runs it without them. The context only needs ``user``
for mutations and ``build_absolute_uri`` for absolute poster URLs, both optional.
``schema.graphql`` is this schema printed: ``python manage.py graphql_schema --out schema.graphql``.
"""

from __future__ import annotations

import graphene

import movies.schema
import users.schema
import users.schema_lists
from core.graphql import Schema


class Query(movies.schema.Query, users.schema.Query, graphene.ObjectType):
    """Reads: public (``me`` is the caller's own)."""


class Mutation(
    movies.schema.Mutation,
    users.schema.Mutation,
    users.schema_lists.Mutation,
    graphene.ObjectType,
):
    """Writes: the catalogue's for admins, the members' for logged-in members."""


schema = Schema(
    query=Query,
    mutation=Mutation,
    list_sizes={**movies.schema.LIST_SIZES, **users.schema_lists.LIST_SIZES},
)
