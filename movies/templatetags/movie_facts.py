"""Small formatting filters for the catalogue's pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def runtime(minutes: int | None) -> str:
    """``142`` as ``2h 22m``, ``45`` as ``45m``, ``120`` as ``2h``; nothing for ``None``."""
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h {rest}m" if rest else f"{hours}h"
