"""Who is an admin: the one rule REST, GraphQL, the pages and the services share."""

from __future__ import annotations


def is_admin(user) -> bool:
    """Admin means an active ``is_staff`` account."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)
