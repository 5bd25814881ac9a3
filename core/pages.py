"""The pages' conventions: pagination, and the HTMX fragment/history rule.

One rule for every page (``render_page``): a request sent by htmx for part of a page
gets only that ``{% partialdef %}`` fragment; any other request (no htmx, a boosted
link, or htmx restoring a page it has no snapshot of) gets the whole page, so every
page works without JavaScript. Responses vary on the headers that choose between them.

Messages: a full page shows them in base.html's ``#messages``. A fragment that does not
cover ``#messages`` carries them out of band: include ``includes/messages.html`` with
``oob=True`` (see that template).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from core.counts import CatalogueCountPaginator

PAGE_SIZE = 24
#: The request headers that choose between a whole page and a fragment.
FRAGMENT_VARY = ("HX-Request", "HX-History-Restore-Request")


def paginate(
    request: HttpRequest,
    queryset: QuerySet | list,
    *,
    per_page: int = PAGE_SIZE,
    page_param: str = "page",
    rows_name: str = "object_list",
    catalogue_count: bool = False,
) -> dict[str, Any]:
    """``page_obj``, its rows (as ``object_list``, and as ``rows_name`` too: ``movies``)
    and the elided ``page_range`` the ``includes/pagination.html`` links need, for
    ``?<page_param>=``. A bad or too large page number gives the nearest real page,
    never an error. ``catalogue_count``: a list of the catalogue alone (no member's own
    rows) takes its exact count from ``core.counts``, kept until the next catalogue write."""
    paginator = (CatalogueCountPaginator if catalogue_count else Paginator)(queryset, per_page)
    page_obj: Page = paginator.get_page(request.GET.get(page_param))
    page_range = list(paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))
    return {
        "page_obj": page_obj,
        "object_list": page_obj.object_list,
        rows_name: page_obj.object_list,
        "page_range": page_range,
        "page_param": page_param,
    }


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for part of the page: not a boosted link (a whole page fetched
    by htmx) and not a history restore (htmx has no snapshot and needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    fragment: str = "results",
    status: int | None = None,
) -> HttpResponse:
    """Render the whole page, or only its ``{% partialdef fragment %}`` when
    :func:`wants_fragment`; the response varies on the htmx headers."""
    if wants_fragment(request):
        template_name = f"{template_name}#{fragment}"
    response = render(request, template_name, context, status=status)
    patch_vary_headers(response, FRAGMENT_VARY)
    return response
