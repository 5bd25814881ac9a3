"""The OpenAPI schema (drf-yasg, /swagger.json) told as the API behaves.

``AutoSchema`` (``SWAGGER_SETTINGS["DEFAULT_AUTO_SCHEMA_CLASS"]``) adds to what each
view declares:

- **security**: an operation that an anonymous caller may use declares none (``[]``);
  the others inherit ``Bearer``. "May use" is decided by the view's own permission
  classes, asked about an anonymous request of that method.
- **error statuses**, each with its body, where they can happen: ``400`` (a body, or
  list filters), ``401`` (a bad token, or not logged in), ``403`` (not allowed, or a
  session POST without its CSRF token), ``404`` (a path with an id, or a page past the
  end), ``413`` (a body over the size cap), ``429`` (a throttled view). A status the
  view describes itself keeps its description.
- **paginated lists**: a ``list`` action, or one marked ``paginated=True`` in
  ``swagger_auto_schema``, answering an array is declared as the paginated envelope.

``FieldInspector`` fixes fields: read-only strings have no ``minLength`` (an empty
plot is a valid answer), read-only files may be ``null`` (a movie without a poster),
phone numbers carry the E.164 pattern, emails the ``email`` format and the SMS code
its 6-digit pattern.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from drf_yasg import openapi
from drf_yasg.inspectors import FieldInspector as BaseFieldInspector
from drf_yasg.inspectors import NotHandled, SwaggerAutoSchema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

E164_PATTERN = r"^\+[1-9]\d{1,14}$"
OTP_PATTERN = r"^\d{6}$"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
BODY_METHODS = {"POST", "PUT", "PATCH"}

DETAIL = openapi.Schema(
    type=openapi.TYPE_OBJECT,
    properties={"detail": openapi.Schema(type=openapi.TYPE_STRING)},
    required=["detail"],
)
FIELD_ERRORS = openapi.Schema(
    type=openapi.TYPE_OBJECT,
    description='{"field": ["message", ...]}, or {"detail": "..."} for a body that cannot be read.',
    additional_properties=True,
)
ERRORS = {
    "400": ("Bad input: the fields (or filters) at fault and why.", FIELD_ERRORS),
    "401": ("Not logged in, or the token is invalid or expired.", DETAIL),
    "403": ("Logged in but not allowed (or a session request without its CSRF token).", DETAIL),
    "404": ("No such object here (or a page past the end).", DETAIL),
    "413": ("The request body is over the size cap.", DETAIL),
    "429": ("Too many requests: wait as Retry-After says.", DETAIL),
}


class AutoSchema(SwaggerAutoSchema):
    def get_security(self):
        security = super().get_security()
        if security is None and self._is_public():
            return []
        return security

    def get_response_serializers(self):
        responses = super().get_response_serializers()
        declared = [status for status in responses if status in ERRORS]
        for status in dict.fromkeys([*self._error_statuses(), *declared]):
            description, schema = ERRORS[status]
            current = responses.get(status)
            if current is None:
                responses[status] = openapi.Response(description, schema)
            elif isinstance(current, str):
                responses[status] = openapi.Response(current, schema)
            elif isinstance(current, openapi.Response) and "schema" not in current:
                current.schema = schema
        return responses

    def get_response_schemas(self, response_serializers):
        responses = super().get_response_schemas(response_serializers)
        ok = responses.get("200")
        schema = getattr(ok, "schema", None)
        if self._is_paginated() and getattr(schema, "type", None) == openapi.TYPE_ARRAY:
            ok.schema = self.get_paginated_response(schema) or schema
        return responses

    # --- What the view allows -----------------------------------------------------

    def _is_paginated(self) -> bool:
        if self.method != "GET" or getattr(self.view, "paginator", None) is None:
            return False
        return bool(self.overrides.get("paginated")) or getattr(self.view, "action", "") == "list"

    def _anonymous_request(self) -> Request:
        django_request = RequestFactory().generic(self.method, self.path)
        django_request.user = AnonymousUser()
        request = Request(django_request)
        request.user = AnonymousUser()
        request._auth = None
        return request

    def _is_public(self) -> bool:
        """May an anonymous caller use this operation, by the view's permissions?"""
        if getattr(self, "_public", None) is None:
            request = self._anonymous_request()
            try:
                self._public = all(
                    permission.has_permission(request, self.view)
                    for permission in self.view.get_permissions()
                )
            except Exception:  # a permission that needs a real request: not public
                self._public = False
        return self._public

    def _error_statuses(self) -> list[str]:
        view, method = self.view, self.method
        public = self._is_public()
        authenticators = view.get_authenticators() if hasattr(view, "get_authenticators") else []
        statuses = []
        if method in BODY_METHODS or self._has_filters():
            statuses.append("400")
        if not public or authenticators:
            statuses.append("401")
        session = any(isinstance(a, SessionAuthentication) for a in authenticators)
        if not public or (session and method in UNSAFE_METHODS):
            statuses.append("403")
        if "{" in self.path or self._is_paginated() or self._takes_page():
            statuses.append("404")
        if method in BODY_METHODS:
            statuses.append("413")
        if hasattr(view, "get_throttles") and view.get_throttles():
            statuses.append("429")
        return statuses

    def _takes_page(self) -> bool:
        """Does the operation take ``?page=`` (a page past the end is a 404)?"""
        names = {parameter.name for parameter in self.overrides.get("manual_parameters") or []}
        names |= {parameter.name for parameter in self.get_pagination_parameters() or []}
        return "page" in names

    def _has_filters(self) -> bool:
        if self.method != "GET":
            return False
        return bool(self.get_filter_parameters()) or bool(self.overrides.get("query_serializer"))


class FieldInspector(BaseFieldInspector):
    """Patterns, formats and nullability that drf-yasg cannot guess from the fields."""

    def field_to_swagger_object(self, field, swagger_object_type, use_references, **kwargs):
        return NotHandled

    def process_result(self, result, method_name, obj, **kwargs):
        if not isinstance(result, openapi.Schema) or not isinstance(obj, serializers.Field):
            return result
        name = getattr(obj, "field_name", "") or ""
        if result.type == openapi.TYPE_STRING:
            if obj.read_only:
                result.pop("minLength", None)
            if name == "phone_number":
                result.pattern = E164_PATTERN
            elif name == "email":
                result.format = openapi.FORMAT_EMAIL
            elif name == "code" and type(obj.parent).__name__.startswith("Otp"):
                result.pattern = OTP_PATTERN
        if isinstance(obj, serializers.FileField) and obj.read_only:
            result.x_nullable = True
        return result
