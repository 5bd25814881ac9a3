"""schema.graphql is the schema as served: regenerate it when the schema changes."""

from __future__ import annotations

from django.conf import settings
from graphql import print_schema

from movie_api.schema import schema

REGENERATE = "python manage.py graphql_schema --out schema.graphql"


def test_schema_graphql_is_up_to_date():
    committed = (settings.BASE_DIR / "schema.graphql").read_text(encoding="utf-8")

    assert committed.strip() == print_schema(schema.graphql_schema).strip(), (
        f"schema.graphql is stale: run `{REGENERATE}` and commit it."
    )
