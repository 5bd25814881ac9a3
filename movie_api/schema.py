"""The root GraphQL schema: each app's ``Query`` and ``Mutation`` in one.

``schema.execute(document, variables=..., context_value=request)`` runs a document
in-process (the support app does); the context only needs ``user`` for mutations
and ``build_absolute_uri`` for absolute poster URLs, both optional.
``schema.graphql`` is this schema printed: ``python manage.py graphql_schema --out schema.graphql``.
"""

from __future__ import annotations

import graphene

import movies.schema


class Query(movies.schema.Query, graphene.ObjectType):
    """Reads: public."""


class Mutation(movies.schema.Mutation, graphene.ObjectType):
    """Writes: admins only."""


schema = graphene.Schema(query=Query, mutation=Mutation)
