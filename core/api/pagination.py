"""Pagination shared by every REST list: ``?page=N&page_size=N`` (at most 100)."""

from __future__ import annotations

from django.core.paginator import Paginator
from rest_framework import pagination

from core.counts import CatalogueCountPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """A catalogue read's list (a view with ``catalogue_read``, see ``core.http_cache``)
    takes its exact ``count`` from ``core.counts`` (cached until the next catalogue
    write); any other list (a member's own, the support desk's) counts every time."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = (
            CatalogueCountPaginator if getattr(view, "catalogue_read", None) else Paginator
        )
        return super().paginate_queryset(queryset, request, view)
