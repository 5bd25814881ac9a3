"""Schemathesis checks for bin/fuzz (loaded through SCHEMATHESIS_HOOKS=fuzz_hooks).

- ``content_type_unless_no_content``: Schemathesis's ``content_type_conformance``, except
  for a bodiless 204. Swagger 2.0 declares media types per operation, not per status,
  so a ``DELETE`` documented as ``application/json`` would otherwise need a
  Content-Type on its empty 204, which HTTP says it should not have.
- ``graphql_no_internal_error``: for /graphql/, a 5xx, an ``INTERNAL_SERVER_ERROR`` or
  ``TIMEOUT``, or a resolver error the API did not label as the client's fails.
  Schemathesis's own ``not_a_server_error`` counts every resolver error as the
  server's, but this API labels refusals on purpose (``FORBIDDEN``, ``NOT_FOUND``,
  ``BAD_USER_INPUT``, ``UNAUTHENTICATED``: see API.md); an error without a ``path``
  was refused before execution (syntax, validation, depth, cost, aliases, tokens).
"""

from __future__ import annotations

import json

import schemathesis
from schemathesis.specs.openapi.checks import content_type_conformance

CLIENT_CODES = {"FORBIDDEN", "NOT_FOUND", "BAD_USER_INPUT", "UNAUTHENTICATED", "BAD_REQUEST"}
# The database gave up (statement_timeout) or a resolver failed: the server's fault.
SERVER_CODES = {"INTERNAL_SERVER_ERROR", "TIMEOUT"}


@schemathesis.check
def content_type_unless_no_content(ctx, response, case):
    if response.status_code == 204 and not response.content:
        return None
    return content_type_conformance(ctx, response, case)


@schemathesis.check
def graphql_no_internal_error(ctx, response, case):
    if not case.operation.label.startswith(("Query.", "Mutation.")):
        return None
    if response.status_code >= 500:
        raise AssertionError(f"Server error: {response.status_code}")
    try:
        payload = json.loads(response.content)
    except ValueError as exc:
        raise AssertionError("The GraphQL answer is not JSON.") from exc
    for error in payload.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code in SERVER_CODES:
            raise AssertionError(f"GraphQL server error: {error}")
        if "path" not in error or code in CLIENT_CODES:
            continue  # refused before execution (syntax, validation, depth, cost), or on purpose
        raise AssertionError(f"GraphQL server error: {error}")
    return None
