"""GraphQL plumbing shared by every app's schema: the view, validation rules, errors.

- ``GraphQLView`` serves ``/graphql/``: a Bearer JWT or the pages' session, CSRF for
  session-authenticated POSTs, the extra validation rules, and errors that never
  carry internals to the client.
- ``validation_rules()``: GraphQL's standard rules plus a depth limit, a cap on
  ``limit`` arguments and, if switched off, no introspection.
- ``require_admin``, ``user_errors``, ``check_limit``: what resolvers use to refuse
  a caller or bad input with a message the client may see.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, SuspiciousOperation, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from graphene.utils.str_converters import to_camel_case
from graphene_django.views import GraphQLView as BaseGraphQLView
from graphene_django.views import HttpError
from graphql import GraphQLError, specified_rules
from graphql.language import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.validation import ASTValidationRule, ValidationRule
from rest_framework.exceptions import APIException, AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication

from core import request_limits
from core.permissions import is_admin

logger = logging.getLogger(__name__)

PERMISSION_DENIED_MESSAGE = "You do not have permission to perform this action."
INTERNAL_ERROR_MESSAGE = "Internal server error."
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


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


# --- Validation rules -------------------------------------------------------------


def depth_limit_rule(max_depth: int) -> type[ASTValidationRule]:
    """Refuse operations whose fields nest deeper than ``max_depth`` levels.

    ``{ allMovies { title } }`` is 2 levels deep. Introspection (``__schema``,
    ``__type``) is not counted, so GraphiQL can load the schema; switch it off with
    ``GRAPHQL_INTROSPECTION`` instead. Unknown or cyclic fragments are left to the
    standard rules, which report them.
    """

    class DepthLimitRule(ValidationRule):
        def __init__(self, context):
            super().__init__(context)
            self._fragment_depths: dict[str, int] = {}

        def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
            depth = self._depth(node.selection_set)
            if depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"The query is too deep: {depth} levels, at most {max_depth} allowed.",
                        node,
                    )
                )

        def _depth(self, selection_set: SelectionSetNode | None) -> int:
            if selection_set is None:
                return 0
            deepest = 0
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    if selection.name.value in INTROSPECTION_FIELDS:
                        continue
                    depth = 1 + self._depth(selection.selection_set)
                elif isinstance(selection, InlineFragmentNode):
                    depth = self._depth(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    depth = self._fragment_depth(selection.name.value)
                else:  # pragma: no cover - the grammar has no other selections
                    depth = 0
                deepest = max(deepest, depth)
            return deepest

        def _fragment_depth(self, name: str) -> int:
            # Memoised, so a fragment spread many times is measured once; a cycle
            # (already an error of its own) counts as 0 while it is being measured.
            if name not in self._fragment_depths:
                self._fragment_depths[name] = 0
                fragment = self.context.get_fragment(name)
                if fragment is not None:
                    self._fragment_depths[name] = self._depth(fragment.selection_set)
            return self._fragment_depths[name]

    return DepthLimitRule


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


class NoIntrospectionRule(ValidationRule):
    """Refuse ``__schema`` and ``__type`` (``__typename`` stays: clients rely on it)."""

    def enter_field(self, node: FieldNode, *_args):
        if node.name.value in INTROSPECTION_FIELDS:
            self.report_error(
                GraphQLError(f"Cannot query '{node.name.value}': introspection is disabled.", node)
            )


def validation_rules() -> tuple[type[ASTValidationRule], ...]:
    """GraphQL's standard rules plus ours, from the settings as they are now."""
    rules = [
        *specified_rules,
        depth_limit_rule(settings.GRAPHQL_MAX_DEPTH),
        list_limit_rule(settings.GRAPHQL_MAX_LIMIT),
    ]
    if not settings.GRAPHQL_INTROSPECTION:
        rules.append(NoIntrospectionRule)
    return tuple(rules)


# --- The view ---------------------------------------------------------------------


class _CSRFCheck(CsrfViewMiddleware):
    """Django's own CSRF check, giving the reason instead of a response (as DRF does)."""

    def _reject(self, request, reason):
        return reason


def _csrf_failure(request: HttpRequest) -> str | None:
    check = _CSRFCheck(lambda _request: None)
    check.process_request(request)
    return check.process_view(request, None, (), {})


def _auth_failure_message(exc: AuthenticationFailed) -> str:
    detail = exc.detail
    if isinstance(detail, Mapping):
        detail = detail.get("detail", "")
    return str(detail) or "Invalid access token."


class GraphQLView(BaseGraphQLView):
    """``/graphql/``: queries for everyone, mutations for admins, GraphiQL in a browser.

    Authentication: ``Authorization: Bearer <access JWT>`` (simplejwt), else the
    session. CSRF, as DRF does it: a Bearer request needs no token (a browser
    cannot forge the header cross-site); a POST authenticated by the session
    cookie must pass Django's CSRF check (token in ``X-CSRFToken`` or the form),
    so a cross-site form or ``fetch`` riding the cookie is refused. The URL is
    exempt from the CSRF middleware only because ``dispatch`` makes that check.
    """

    graphiql = True

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
        # A view instance serves one request, so the rules follow the settings now.
        self.validation_rules = validation_rules()
        return super().dispatch(request, *args, **kwargs)

    def parse_body(self, request):
        """graphene-django's reading of the body, with no way to a 500: the size is
        capped before reading (413), and invalid UTF-8, deep JSON nesting and too
        many form fields are a 400 saying so."""
        content_type = self.get_content_type(request)
        upload = content_type == "multipart/form-data"
        try:
            request_limits.check_declared_size(request.META, request_limits.body_cap(upload=upload))
            if content_type not in ("application/json", "application/graphql"):
                return super().parse_body(request)
            body = request.body.decode("utf-8")
        except APIException as exc:
            raise HttpError(HttpResponse(str(exc.detail), status=exc.status_code)) from None
        except SuspiciousOperation as exc:
            status, message = request_limits.body_error(exc)
            raise HttpError(HttpResponse(message, status=status)) from None
        except UnicodeDecodeError:
            raise HttpError(HttpResponseBadRequest("The body is not valid UTF-8.")) from None
        if content_type == "application/graphql":
            return {"query": body}
        try:
            data = request_limits.loads(body)
        except request_limits.JSONTooDeep as exc:
            raise HttpError(HttpResponseBadRequest(f"POST body sent invalid JSON: {exc}")) from None
        except ValueError:
            raise HttpError(HttpResponseBadRequest("POST body sent invalid JSON.")) from None
        if not isinstance(data, dict):
            raise HttpError(HttpResponseBadRequest("The received data is not a valid JSON query."))
        return data

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
