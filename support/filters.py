"""Which tickets match: the one FilterSet behind the REST list, "My tickets" and the queue."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from core.filters import OrderingFilter

from .models import Ticket, agent_queryset_q

# Column → what it sorts by. Priority and status sort in their natural order
# (low → urgent, new → closed), not alphabetically.
TICKET_ORDERINGS = {
    "reference": "id",
    "subject": "subject",
    "priority": "priority_rank",
    "status": "status_rank",
    "created_at": "created_at",
    "updated_at": "updated_at",
}

# "SUP-000123", "sup-123", "SUP000123", "000123" and "123" all name ticket 123.
_REFERENCE_RE = re.compile(r"^(?:sup-?)?0*(\d{1,18})$", re.IGNORECASE)


def _rank(field: str, choices) -> Case:
    return Case(
        *(When(**{field: value}, then=Value(rank)) for rank, value in enumerate(choices.values)),
        default=Value(len(choices.values)),
        output_field=IntegerField(),
    )


def assignee_choices(request=None) -> QuerySet:
    """Who the assignee filter accepts: the agents, and anyone who holds a ticket still."""
    user_model = get_user_model()
    return (
        user_model.objects.filter(agent_queryset_q() | Q(assigned_support_tickets__isnull=False))
        .distinct()
        .order_by("username", "id")
    )


class TicketFilter(django_filters.FilterSet):
    """Ticket filters: ``status``, ``priority``, ``category``, ``assignee``, ``movie``,
    ``search`` and ``ordering``. Which tickets a user may see at all is not a filter:
    it is ``selectors.ticket_list``'s job."""

    search = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        help_text="Words in the reference, subject, description or movie title.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(choices=Ticket.Status.choices, empty_label="Any status")
    priority = django_filters.ChoiceFilter(
        choices=Ticket.Priority.choices, empty_label="Any priority"
    )
    category = django_filters.ChoiceFilter(
        choices=Ticket.Category.choices, empty_label="Any category"
    )
    assignee = django_filters.ModelChoiceFilter(
        queryset=assignee_choices,
        empty_label="Anyone",
        null_label="Unassigned",
        null_value="none",
        help_text="Tickets assigned to this agent, or the ones nobody has taken yet.",
    )
    movie = django_filters.NumberFilter(
        field_name="movie_id", label="Movie", help_text="Only tickets about this movie."
    )
    ordering = OrderingFilter(
        fields={column: key for key, column in TICKET_ORDERINGS.items()},
        annotations={
            "priority_rank": lambda: _rank("priority", Ticket.Priority),
            "status_rank": lambda: _rank("status", Ticket.Status),
        },
        label="Sort by",
        empty_label="Newest first",
        help_text="The order the tickets are listed in.",
    )

    class Meta:
        model = Ticket
        fields = ["search", "status", "priority", "category", "assignee", "movie", "ordering"]

    def filter_search(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(subject__icontains=value)
            | Q(description__icontains=value)
            | Q(movie_title__icontains=value)
        )
        reference = _REFERENCE_RE.match(value)
        if reference:
            condition |= Q(id=int(reference.group(1)))
        return queryset.filter(condition)
