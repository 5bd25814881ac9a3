"""Template tags of the site's page links (``templates/includes/pagination.html``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def page_querystring(context: dict[str, Any], number: Any, page_param: str = "") -> str:
    """``{% querystring page=number %}`` for a page parameter of any name (``page`` when
    empty), so a page with two paginated lists can give each its own parameter."""
    return querystring(context, **{page_param or "page": number})
