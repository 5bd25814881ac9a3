"""GraphQL plumbing every app's schema shares: the view, the limits, errors, a base mutation.

- ``GraphQLView`` serves ``/graphql/``: a Bearer JWT or the pages' session, DRF's
  CSRF check for session-authenticated POSTs, the limits below, and errors that
  never carry internals to the client.
- ``check_document()``: every limit, before anything runs: the document's size in
  bytes, its token count, its aliases, its cost (fields times the list sizes they
  can return), literal ``limit`` arguments, GraphQL's standard rules, then the depth
  (graphene's ``depth_limit_validator``) and, if switched off, introspection
  (graphene's ``DisableIntrospection``). ``run_document()`` runs a document
  in-process behind the same checks (the support app does).
- ``Schema``: a graphene schema that states how many items each unpaginated list
  field is counted as (``list_sizes``).
- ``BaseMutation``, ``require_admin``, ``user_errors``, ``check_limit``: what
  resolvers use to refuse a caller or bad input with a message the client may see.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache, lru_cache
from typing import Any

import graphene
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from graphene.utils.str_converters import to_camel_case
from graphene.validation import DisableIntrospection, depth_limit_validator
from graphene_django.views import GraphQLView as BaseGraphQLView
from graphene_django.views import HttpError
from graphql import (
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    execute,
    get_introspection_query,
    get_named_type,
    is_enum_type,
    is_input_object_type,
    is_interface_type,
    is_list_type,
    is_object_type,
    parse,
    specified_rules,
    validate,
)
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    NullValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    Visitor,
    visit,
)
from graphql.type import (
    GraphQLNonNull,
    SchemaMetaFieldDef,
    TypeMetaFieldDef,
    TypeNameMetaFieldDef,
)
from graphql.validation import ASTValidationRule, ValidationRule
from rest_framework.authentication import CSRFCheck
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication

from core.db import TIMEOUT_MESSAGE, is_statement_timeout
from core.permissions import is_admin
from core.request_limits import GraphQLBodyLimitsMixin

logger = logging.getLogger(__name__)

PERMISSION_DENIED_MESSAGE = "You do not have permission to perform this action."
INTERNAL_ERROR_MESSAGE = "Internal server error."


# --- Errors a client may see ------------------------------------------------------


def context_user(info) -> Any:
    """The caller: ``info.context.user``, or ``None`` when the context has no user."""
    return getattr(info.context, "user", None)


def permission_denied() -> GraphQLError:
    return GraphQLError(PERMISSION_DENIED_MESSAGE, extensions={"code": "FORBIDDEN"})


def require_admin(info) -> None:
    """Refuse anyone but an admin (``is_staff``), the same rule as REST."""
    if not is_admin(context_user(info)):
        raise permission_denied()


def field_error(field: str, message: str, *, code: str = "BAD_USER_INPUT") -> GraphQLError:
    """An error about one input field: ``"field: message"``, the field in ``extensions``."""
    return GraphQLError(
        f"{field}: {message}", extensions={"code": code, "fields": {field: [message]}}
    )


def validation_error(
    exc: ValidationError, field_names: Mapping[str, str] | None = None
) -> GraphQLError:
    """A Django ``ValidationError`` as a GraphQL error naming each field.

    ``field_names`` maps a service's field name to the GraphQL argument or input
    field the client used (``genres`` -> ``genreIds``); others are camel-cased.
    """
    field_names = field_names or {}
    if not hasattr(exc, "error_dict"):
        return GraphQLError(" ".join(exc.messages), extensions={"code": "BAD_USER_INPUT"})
    fields: dict[str, list[str]] = {}
    for name, messages in exc.message_dict.items():
        key = name if name == NON_FIELD_ERRORS else field_names.get(name, to_camel_case(name))
        fields.setdefault(key, []).extend(messages)
    message = "; ".join(
        " ".join(messages) if key == NON_FIELD_ERRORS else f"{key}: {' '.join(messages)}"
        for key, messages in fields.items()
    )
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT", "fields": fields})


@contextmanager
def user_errors(field_names: Mapping[str, str] | None = None) -> Iterator[None]:
    """Turn a ``ValidationError`` raised by a selector or service into a client error."""
    try:
        yield
    except ValidationError as exc:
        raise validation_error(exc, field_names) from exc


def limit_message(max_limit: int) -> str:
    return f"Ensure this value is between 0 and {max_limit}."


def check_limit(limit: int, offset: int) -> None:
    """Refuse a ``limit`` over ``GRAPHQL_MAX_LIMIT`` (or negative) and a negative ``offset``.

    The validation rule catches literals before execution; this catches variables.
    """
    max_limit = settings.GRAPHQL_MAX_LIMIT
    if not 0 <= limit <= max_limit:
        raise field_error("limit", limit_message(max_limit))
    if offset < 0:
        raise field_error("offset", "Ensure this value is greater than or equal to 0.")


# --- A base mutation --------------------------------------------------------------


class BaseMutation(graphene.Mutation):
    """A mutation in three lines: ``Arguments``, ``Output`` and ``perform_mutation``.

    In the spirit of saleor's ``BaseMutation``: ``check_permissions`` runs first
    (admins only unless overridden), so a refused caller learns nothing about ids;
    ``get_or_error`` turns an unknown id into a ``NOT_FOUND`` error naming ``id``;
    a ``ValidationError`` from a service becomes an error naming the client's field
    (``field_names`` maps service names to GraphQL ones).
    """

    class Meta:
        abstract = True

    field_names: Mapping[str, str] = {}

    @classmethod
    def check_permissions(cls, info) -> None:
        require_admin(info)

    @classmethod
    def get_or_error(cls, getter, object_id: str, label: str):
        obj = getter(object_id)
        if obj is None:
            raise field_error("id", f"No {label} with this id.", code="NOT_FOUND")
        return obj

    @classmethod
    def perform_mutation(cls, info, **data):  # pragma: no cover - each mutation has its own
        raise NotImplementedError

    @classmethod
    def mutate(cls, root, info, **data):
        cls.check_permissions(info)
        with user_errors(cls.field_names):
            return cls.perform_mutation(info, **data)


# --- The schema -------------------------------------------------------------------


class Schema(graphene.Schema):
    """A graphene schema that also states the size of its unpaginated lists.

    ``list_sizes`` maps ``"Type.field"`` to how many items the cost limit counts
    that list as; a list with a ``limit`` argument counts its ``limit``.
    """

    def __init__(self, *args, list_sizes: Mapping[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.list_sizes = dict(list_sizes or {})


# --- Limits: size, tokens, aliases, cost ------------------------------------------


def _error(message: str, code: str, nodes=None, **extensions) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": code, **extensions})


@cache
def _introspection_sizes(graphql_schema: GraphQLSchema) -> dict[str, int]:
    """The true maximum length of each introspection list in ``graphql_schema``."""
    types = list(graphql_schema.type_map.values())
    with_fields = [t for t in types if is_object_type(t) or is_interface_type(t)]
    fields = [f for t in with_fields for f in t.fields.values()]

    def most(lengths) -> int:
        return max([1, *lengths])

    return {
        "__Schema.types": len(types),
        "__Schema.directives": most([len(graphql_schema.directives)]),
        "__Type.fields": most(len(t.fields) for t in with_fields),
        "__Type.inputFields": most(len(t.fields) for t in types if is_input_object_type(t)),
        "__Type.enumValues": most(len(t.values) for t in types if is_enum_type(t)),
        "__Type.interfaces": most(len(t.interfaces) for t in with_fields),
        "__Type.possibleTypes": most([sum(1 for t in types if is_object_type(t))]),
        "__Field.args": most(len(f.args) for f in fields),
        "__Directive.args": most(len(d.args) for d in graphql_schema.directives),
    }


class _Cost:
    """The cost of an operation: each field counts 1, times the size of every list
    above it. A list with a ``limit`` argument counts its ``limit`` (the argument's
    default when not given; the cap when it cannot be known); any other list
    counts its stated size (``Schema.list_sizes``, introspection lists their true
    maximum, anything else ``GRAPHQL_MAX_LIMIT``). A list of 0 counts as 1, so the
    cost also bounds the work of walking the document.

    Fragments are measured once each; unknown fields, types and fragments count 1
    (the standard rules report them), a fragment cycle 0.
    """

    def __init__(self, graphql_schema, fragments, variables, list_sizes, max_limit):
        self.schema = graphql_schema
        self.fragments = fragments
        self.variables = variables if isinstance(variables, Mapping) else {}
        self.list_sizes = {**_introspection_sizes(graphql_schema), **list_sizes}
        self.max_limit = max_limit
        self.variable_defaults: dict[str, Any] = {}
        self.skip_introspection = True
        self._fragment_costs: dict[str, int] = {}

    def operation(self, node: OperationDefinitionNode) -> tuple[int, int]:
        """``(cost, introspection cost)``: ``__schema`` and ``__type`` (root fields
        only) are measured apart, against their own budget, and count 1 in the cost."""
        self.variable_defaults = {
            definition.variable.name.value: definition.default_value
            for definition in node.variable_definitions or ()
        }
        root = self.schema.get_root_type(node.operation)
        self.skip_introspection, self._fragment_costs = True, {}
        cost = self.selection_set(node.selection_set, root)
        self.skip_introspection, self._fragment_costs = False, {}
        introspection = sum(
            self.field(field_node, root) for field_node in self._introspection_fields(node)
        )
        return cost, introspection

    def _introspection_fields(self, node: OperationDefinitionNode) -> list[FieldNode]:
        found, pending, seen = [], [node.selection_set], set()
        while pending:
            for selection in pending.pop().selections:
                if isinstance(selection, FieldNode):
                    if selection.name.value in INTROSPECTION_FIELDS:
                        found.append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    pending.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is not None and fragment.name.value not in seen:
                        seen.add(fragment.name.value)
                        pending.append(fragment.selection_set)
        return found

    def selection_set(self, selection_set: SelectionSetNode | None, parent) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_set(selection.selection_set, on)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def fragment(self, name: str) -> int:
        if name not in self._fragment_costs:
            self._fragment_costs[name] = 0  # while measuring: a cycle counts 0
            fragment = self.fragments.get(name)
            if fragment is not None:
                on = self.schema.get_type(fragment.type_condition.name.value)
                self._fragment_costs[name] = self.selection_set(fragment.selection_set, on)
        return self._fragment_costs[name]

    def field(self, node: FieldNode, parent) -> int:
        name = node.name.value
        if self.skip_introspection and name in INTROSPECTION_FIELDS:
            return 1
        definition = META_FIELDS.get(name) or (getattr(parent, "fields", {}).get(name))
        if definition is None:
            return 1 + self.selection_set(node.selection_set, None)
        field_type = definition.type
        if isinstance(field_type, GraphQLNonNull):
            field_type = field_type.of_type
        size = 1
        if is_list_type(field_type):
            size = max(1, self.list_size(node, parent.name, definition))
        return 1 + size * self.selection_set(node.selection_set, get_named_type(field_type))

    def list_size(self, node: FieldNode, parent_name: str, definition) -> int:
        if "limit" not in definition.args:
            return self.list_sizes.get(f"{parent_name}.{node.name.value}", self.max_limit)
        default = definition.args["limit"].default_value
        value = next((a.value for a in node.arguments or () if a.name.value == "limit"), None)
        if isinstance(value, VariableNode):
            name = value.name.value
            if name in self.variables:
                raw = self.variables[name]
                return default if raw is None else self._bounded(raw)
            value = self.variable_defaults.get(name)
        if value is None or isinstance(value, NullValueNode):
            return self._bounded(default)
        if isinstance(value, IntValueNode):
            return self._bounded(int(value.value))
        return self.max_limit

    def _bounded(self, value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return min(max(value, 0), self.max_limit)
        return self.max_limit


INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
# Introspection's fields, which no type lists among its own.
META_FIELDS = {
    "__schema": SchemaMetaFieldDef,
    "__type": TypeMetaFieldDef,
    "__typename": TypeNameMetaFieldDef,
}


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


@cache
def introspection_budget(graphql_schema: GraphQLSchema) -> int:
    """What introspection may cost: twice the full introspection query (GraphiQL's),
    so tools load the schema while a document nesting ``fields { type { fields ...``
    is refused."""
    document = parse(
        get_introspection_query(
            descriptions=True,
            specified_by_url=True,
            directive_is_repeatable=True,
            schema_description=True,
            input_value_deprecation=True,
        )
    )
    cost = _Cost(graphql_schema, _fragments(document), {}, {}, max_limit=100)
    return 2 * sum(cost.operation(operation)[1] for operation in _operations(document))


def cost_limit_rule(
    variables: Mapping[str, Any] | None, list_sizes: Mapping[str, int], max_cost: int
) -> type[ASTValidationRule]:
    """Refuse an operation whose cost (see ``_Cost``) is above ``max_cost``."""

    class CostLimitRule(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args):
            cost = _Cost(
                self.context.schema,
                _fragments(node),
                variables,
                list_sizes,
                settings.GRAPHQL_MAX_LIMIT,
            )
            budget = introspection_budget(self.context.schema)
            for operation in _operations(node):
                total, introspection = cost.operation(operation)
                if introspection > budget:
                    self.report_error(
                        _error(
                            f"The introspection query is too expensive: it could return "
                            f"{introspection} values, at most {budget} are allowed.",
                            "QUERY_TOO_EXPENSIVE",
                            operation,
                        )
                    )
                if total > max_cost:
                    self.report_error(
                        _error(
                            f"The query is too expensive: it could return {total} values, "
                            f"at most {max_cost} are allowed. Ask for fewer fields, "
                            "smaller limits or fewer aliases.",
                            "QUERY_TOO_EXPENSIVE",
                            operation,
                            cost=total,
                            maxCost=max_cost,
                        )
                    )
            return self.BREAK

    return CostLimitRule


def alias_limit_rule(max_aliases: int) -> type[ASTValidationRule]:
    """Refuse a document that writes more than ``max_aliases`` aliases."""

    class AliasLimitRule(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args):
            aliases = _count_aliases(node)
            if aliases > max_aliases:
                self.report_error(
                    _error(
                        f"The query uses too many aliases: {aliases}, at most {max_aliases} "
                        "are allowed.",
                        "TOO_MANY_ALIASES",
                    )
                )
            return self.BREAK

    return AliasLimitRule


class _AliasCounter(Visitor):
    def __init__(self):
        super().__init__()
        self.count = 0

    def enter_field(self, node: FieldNode, *_args):
        if node.alias is not None:
            self.count += 1


def _count_aliases(document: DocumentNode) -> int:
    counter = _AliasCounter()
    visit(document, counter)
    return counter.count


def list_limit_rule(max_limit: int) -> type[ASTValidationRule]:
    """Refuse a literal ``limit`` argument above ``max_limit`` (or below 0)."""

    class ListLimitRule(ValidationRule):
        def enter_field(self, node: FieldNode, *_args):
            for argument in node.arguments or ():
                if argument.name.value != "limit" or not isinstance(argument.value, IntValueNode):
                    continue
                if not 0 <= int(argument.value.value) <= max_limit:
                    message = f"limit: {limit_message(max_limit)}"
                    self.report_error(GraphQLError(message, argument))

    return ListLimitRule


class NoIntrospection(DisableIntrospection):
    """graphene's ``DisableIntrospection``, keeping ``__typename`` (clients add it everywhere)."""

    def enter_field(self, node: FieldNode, *args):
        if node.name.value != "__typename":
            super().enter_field(node, *args)


def _rule_sets(
    variables: Mapping[str, Any] | None, list_sizes: Mapping[str, int]
) -> list[list[type[ASTValidationRule]]]:
    """The validation rules in the order they run; a set runs only if the one before passed.

    The bounds come first, so the standard rules and graphene's depth walker
    (which re-walks a fragment at every spread) only ever see a bounded document;
    the standard rules come before the depth walker, which fails on an unknown
    fragment.
    """
    depth = depth_limit_validator(settings.GRAPHQL_MAX_DEPTH)
    last = [depth] if settings.GRAPHQL_INTROSPECTION else [depth, NoIntrospection]
    return [
        [
            alias_limit_rule(settings.GRAPHQL_MAX_ALIASES),
            list_limit_rule(settings.GRAPHQL_MAX_LIMIT),
            cost_limit_rule(variables, list_sizes, settings.GRAPHQL_MAX_COST),
        ],
        list(specified_rules),
        last,
    ]


def check_document(
    schema: graphene.Schema, query: str, variables: Mapping[str, Any] | None = None
) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """Parse and validate ``query`` under every limit: ``(document, errors)``.

    Nothing here touches the database. The answer for the same schema, document,
    variables and limits is remembered (``_checked``): parsing and validating was a
    quarter of a small list's time, for the same few documents every request.
    """
    size = len(query.encode("utf-8", errors="surrogatepass"))
    max_bytes = settings.GRAPHQL_MAX_DOCUMENT_BYTES
    if size > max_bytes:
        message = f"The query is too large: {size} bytes, at most {max_bytes} are allowed."
        return None, [_error(message, "QUERY_TOO_LARGE")]
    try:
        variables_key = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):  # not JSON (an in-process caller's objects)
        return _check(schema, query, variables)
    limits = (
        settings.GRAPHQL_MAX_TOKENS,
        settings.GRAPHQL_MAX_DEPTH,
        settings.GRAPHQL_MAX_LIMIT,
        settings.GRAPHQL_MAX_COST,
        settings.GRAPHQL_MAX_ALIASES,
        settings.GRAPHQL_INTROSPECTION,
    )
    document, errors = _checked(schema, query, variables_key, limits)
    return document, list(errors)


#: How many (document, variables) answers ``check_document`` remembers (LRU): each
#: holds the parsed document, at most ``GRAPHQL_MAX_DOCUMENT_BYTES`` of text.
CHECKED_DOCUMENTS_CACHE_SIZE = 256


@lru_cache(maxsize=CHECKED_DOCUMENTS_CACHE_SIZE)
def _checked(
    schema: graphene.Schema, query: str, variables_key: str, limits: tuple
) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    """``_check`` remembered by its inputs; ``limits`` (the settings it reads) are part
    of the key, so a changed setting is never answered from an older check."""
    document, errors = _check(schema, query, json.loads(variables_key))
    return document, tuple(errors)


def _check(
    schema: graphene.Schema, query: str, variables: Mapping[str, Any] | None
) -> tuple[DocumentNode | None, list[GraphQLError]]:
    try:
        document = parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)
    except GraphQLError as error:
        return None, [error]
    graphql_schema = schema.graphql_schema
    list_sizes = getattr(schema, "list_sizes", {})
    for rules in _rule_sets(variables, list_sizes):
        errors = validate(graphql_schema, document, rules, max_errors=20)
        if errors:
            return document, errors
    return document, []


def run_document(
    schema: graphene.Schema,
    query: str,
    *,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
    context_value: Any = None,
) -> ExecutionResult:
    """Run ``query`` in-process behind the same limits as ``/graphql/``."""
    document, errors = check_document(schema, query, variables)
    if errors:
        return ExecutionResult(data=None, errors=errors)
    return execute(
        schema.graphql_schema,
        document,
        variable_values=dict(variables or {}),
        operation_name=operation_name,
        context_value=context_value,
    )


# --- The view ---------------------------------------------------------------------


def _csrf_failure(request: HttpRequest) -> str | None:
    """DRF's CSRF check (Django's middleware, giving the reason): ``None`` if it passes."""
    check = CSRFCheck(lambda _request: None)
    check.process_request(request)
    return check.process_view(request, None, (), {})


def _auth_failure_message(exc: AuthenticationFailed) -> str:
    detail = exc.detail
    if isinstance(detail, Mapping):
        detail = detail.get("detail", "")
    return str(detail) or "Invalid access token."


class GraphQLView(GraphQLBodyLimitsMixin, BaseGraphQLView):
    """``/graphql/``: queries for everyone, mutations for admins, GraphiQL in a browser.

    Authentication: ``Authorization: Bearer <access JWT>`` (simplejwt), else the
    session. CSRF, as DRF does it: a Bearer request needs no token (a browser
    cannot forge the header cross-site); a POST authenticated by the session
    cookie must pass DRF's ``CSRFCheck`` (token in ``X-CSRFToken`` or the form),
    so a cross-site form or ``fetch`` riding the cookie is refused. The URL is
    exempt from the CSRF middleware only because ``dispatch`` makes that check.
    GraphiQL shows only when ``GRAPHIQL_ENABLED``. The body is read under
    ``core.request_limits`` (size cap, JSON nesting, too many fields).
    """

    @classmethod
    def as_view(cls, **initkwargs):
        return csrf_exempt(super().as_view(**initkwargs))

    def __init__(self, **kwargs):
        # No DjangoDebugMiddleware (graphene-django adds it when DEBUG): the
        # schema has no ``_debug`` field, and it would cost on every field.
        kwargs.setdefault("middleware", [])
        super().__init__(**kwargs)

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            bearer = JWTAuthentication().authenticate(request)
        except AuthenticationFailed as exc:
            response = self._error_response(401, _auth_failure_message(exc), code="UNAUTHENTICATED")
            response["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
        if bearer is not None:
            request.user, _token = bearer
        elif request.method == "POST" and request.user.is_authenticated:
            reason = _csrf_failure(request)
            if reason:
                return self._error_response(403, f"CSRF Failed: {reason}", code="FORBIDDEN")
        # A view instance serves one request, so it follows the settings as they are now.
        self.graphiql = settings.GRAPHIQL_ENABLED
        return super().dispatch(request, *args, **kwargs)

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        """Every limit (``check_document``) before graphene-django parses and runs it."""
        if query:
            _document, errors = check_document(self.schema, query, variables)
            if errors:
                return ExecutionResult(data=None, errors=errors)
            self.validation_rules = ()  # all checked above
        return super().execute_graphql_request(
            request, data, query, variables, operation_name, show_graphiql
        )

    @staticmethod
    def get_graphql_params(request, data):
        """graphene-django's reading of the request, with the types checked: a ``query``
        that is not a string (or ``variables`` that is not an object) reached the
        parser and came back as a logged "Internal server error." instead of a 400."""
        query, variables, operation_name, id_ = BaseGraphQLView.get_graphql_params(request, data)
        if query is not None and not isinstance(query, str):
            raise HttpError(HttpResponseBadRequest("The query must be a string."))
        if variables is not None and not isinstance(variables, Mapping):
            raise HttpError(HttpResponseBadRequest("Variables must be a JSON object."))
        if operation_name is not None and not isinstance(operation_name, str):
            raise HttpError(HttpResponseBadRequest("The operationName must be a string."))
        return query, variables, operation_name, id_

    def _error_response(self, status: int, message: str, *, code: str) -> HttpResponse:
        body = {"errors": [{"message": message, "extensions": {"code": code}}]}
        return HttpResponse(json.dumps(body), status=status, content_type="application/json")

    def format_error(self, error) -> dict[str, Any]:
        """An error as the client sees it: internals are logged, never sent.

        Errors GraphQL itself reports (syntax, validation, variables) and the
        ``GraphQLError``s resolvers raise on purpose (permission, bad input) pass
        through; anything else a resolver raised becomes "Internal server error.".
        """
        if isinstance(error, HttpError):
            return {"message": error.message}
        if isinstance(error, GraphQLError):
            original = error.original_error
            if original is None or isinstance(original, GraphQLError):
                return error.formatted
            if is_statement_timeout(original):
                logger.warning(
                    "GraphQL statement timeout at %s", ".".join(map(str, error.path or ()))
                )
                timeout = GraphQLError(
                    TIMEOUT_MESSAGE, error.nodes, path=error.path, extensions={"code": "TIMEOUT"}
                )
                return timeout.formatted
            logger.error(
                "GraphQL resolver error at %s",
                ".".join(map(str, error.path or ())),
                exc_info=original,
            )
            masked = GraphQLError(
                INTERNAL_ERROR_MESSAGE,
                error.nodes,
                path=error.path,
                extensions={"code": "INTERNAL_SERVER_ERROR"},
            )
            return masked.formatted
        logger.error("GraphQL request error", exc_info=error)
        return {"message": INTERNAL_ERROR_MESSAGE, "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
