"""Permission classes shared by the REST APIs."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission


def is_admin(user) -> bool:
    """Admin means ``is_staff``: the one rule REST, GraphQL and pages share."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class IsAdminOrReadOnly(BasePermission):
    """Anyone may read; only admins (``is_staff``) may write."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return is_admin(request.user)
