"""Permission classes shared by the REST APIs."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.permissions import is_admin


class IsAdminOrReadOnly(BasePermission):
    """Anyone may read; only admins (``is_staff``) may write."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return is_admin(request.user)
