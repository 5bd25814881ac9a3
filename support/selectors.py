"""Reads of the support desk: who is an agent, who sees which ticket, which moves are open.

THE visibility rule lives here: a requester sees their own tickets and their
public replies; a support agent (staff, or a member of the group named by
``settings.SUPPORT_AGENT_GROUP``) sees every ticket, every note and the history.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.filters import apply_filterset

from .filters import TicketFilter
from .models import Ticket, TicketComment, TicketEvent, agent_queryset_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

Status = Ticket.Status

# THE status map: from each status, where a ticket may go next.
STATUS_MOVES: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.OPEN, Status.RESOLVED),
    Status.OPEN: (Status.WAITING_ON_CUSTOMER, Status.RESOLVED),
    Status.WAITING_ON_CUSTOMER: (Status.OPEN, Status.RESOLVED),
    Status.RESOLVED: (Status.CLOSED, Status.OPEN),
    Status.CLOSED: (Status.OPEN,),
}
# The moves a requester may make on their own ticket; every other move is an agent's.
REQUESTER_MOVES: frozenset[tuple[str, str]] = frozenset(
    {(Status.RESOLVED, Status.CLOSED), (Status.RESOLVED, Status.OPEN)}
)

_AGENT_CACHE_ATTR = "_support_is_agent"


def is_agent(user: User | None) -> bool:
    """Staff and members of the "Support agents" group are agents. Cached on the user."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, _AGENT_CACHE_ATTR, None)
    if cached is None:
        cached = bool(
            user.is_staff or user.groups.filter(name=settings.SUPPORT_AGENT_GROUP).exists()
        )
        setattr(user, _AGENT_CACHE_ATTR, cached)
    return cached


def agent_list() -> QuerySet:
    """Every support agent, by username: who a ticket may be assigned to."""
    return get_user_model().objects.filter(agent_queryset_q()).order_by("username", "id")


def ticket_queryset() -> QuerySet[Ticket]:
    """Tickets with what every list renders (requester and assignee) joined in."""
    return Ticket.objects.select_related("requester", "assignee", "review__user").order_by(
        "-created_at", "-id"
    )


def ticket_list(
    *, user: User, filters: Mapping[str, Any] | None = None, mine: bool = False
) -> QuerySet[Ticket]:
    """The tickets ``user`` may see, matching ``filters`` (the keys of ``TicketFilter``).

    A requester sees the tickets they filed; an agent sees all of them unless
    ``mine`` asks for only those the agent filed. Bad filter values raise
    ``ValidationError`` by field.
    """
    if not user or not user.is_authenticated:
        return Ticket.objects.none()
    queryset = ticket_queryset()
    if mine or not is_agent(user):
        queryset = queryset.filter(requester=user)
    return apply_filterset(TicketFilter, filters, queryset)


def ticket_movie_choices(*, user: User) -> list[tuple[int, str]]:
    """The movies that ``user``'s visible tickets name, as ``(id, title)`` by title (one query)."""
    rows = (
        ticket_list(user=user)
        .filter(movie_id__isnull=False)
        .order_by()
        .values("movie_id")
        .annotate(title=Max("movie_title"))
        .order_by("title", "movie_id")
    )
    return [(row["movie_id"], row["title"]) for row in rows]


def ticket_get(*, user: User, ticket_id: int | str) -> Ticket | None:
    """The ticket if ``user`` may see it, else ``None`` (so callers answer 404 alike)."""
    try:
        ticket_id = int(ticket_id)
    except (TypeError, ValueError):
        return None
    return ticket_list(user=user).filter(pk=ticket_id).first()


def can_view(*, user: User, ticket: Ticket) -> bool:
    """The requester and the agents may see a ticket; nobody else."""
    if not user or not user.is_authenticated:
        return False
    return ticket.requester_id == user.pk or is_agent(user)


def reply_refusal(*, user: User, ticket: Ticket) -> str | None:
    """Why ``user`` may not reply to ``ticket``, or ``None`` if they may: the requester
    and the agents may, but a closed ticket takes replies from agents only (requesters
    file a new ticket)."""
    if not can_view(user=user, ticket=ticket):
        return "You cannot reply to this ticket."
    if ticket.status == Status.CLOSED and not is_agent(user):
        return "This ticket is closed. Please file a new ticket instead."
    return None


def can_reply(*, user: User, ticket: Ticket) -> bool:
    """Whether ``user`` may reply to ``ticket`` now (:func:`reply_refusal`)."""
    return reply_refusal(user=user, ticket=ticket) is None


def comment_list(*, user: User, ticket: Ticket) -> QuerySet[TicketComment]:
    """The ticket's conversation, oldest first: agents see internal notes, requesters do not."""
    comments = TicketComment.objects.filter(ticket=ticket).select_related("author")
    if not is_agent(user):
        comments = comments.filter(internal=False)
    return comments.order_by("created_at", "id")


def event_list(*, ticket: Ticket) -> QuerySet[TicketEvent]:
    """The ticket's history, oldest first (shown to agents)."""
    return (
        TicketEvent.objects.filter(ticket=ticket)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def transition_refusal(*, user: User, ticket: Ticket, status: str) -> str | None:
    """Why ``user`` may not move ``ticket`` to ``status``, or ``None`` if the move is allowed."""
    current = ticket.status
    if status not in Status.values:
        return f'"{status}" is not a valid status.'
    if status == current:
        return f"The ticket is already {Status(status).label.lower()}."
    if status not in STATUS_MOVES[current]:
        return (
            f"A ticket cannot move from {Status(current).label.lower()} "
            f"to {Status(status).label.lower()}."
        )
    if is_agent(user):
        return None
    if ticket.requester_id == user.pk and (current, status) in REQUESTER_MOVES:
        return None
    if ticket.requester_id == user.pk and current == Status.WAITING_ON_CUSTOMER:
        return "Reply to the ticket to reopen it; only support agents change its status otherwise."
    return "Only a support agent can make this change."


def next_statuses(*, user: User, ticket: Ticket) -> list[str]:
    """The statuses ``user`` may move ``ticket`` to now, in the map's order."""
    return [
        status
        for status in STATUS_MOVES[ticket.status]
        if transition_refusal(user=user, ticket=ticket, status=status) is None
    ]


# The agents' dashboard

OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.WAITING_ON_CUSTOMER)
DASHBOARD_DAYS = 30
MEDIAN_WINDOW_DAYS = 90


def _median_hours(durations: list) -> float | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() for d in durations) / 3600, 1)


def dashboard_stats(*, today: date | None = None) -> dict[str, Any]:
    """The agents' dashboard in a FIXED number of queries (four), whatever the ticket count.

    1. open tickets counted by (status, priority) in SQL, summed both ways in Python;
    2. and 3. tickets opened and resolved per day over the last 30 days, grouped in SQL;
    4. one ``values_list`` over the tickets filed in the last 90 days, with each ticket's
       first public reply by someone other than the requester (an agent) as a subquery;
       the medians are taken in Python over that window.
    """
    today = today or timezone.localdate()
    start = today - timedelta(days=DASHBOARD_DAYS - 1)
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)

    by_status = dict.fromkeys(OPEN_STATUSES, 0)
    by_priority = dict.fromkeys(Ticket.Priority.values, 0)
    open_rows = (
        Ticket.objects.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values_list("status", "priority")
        .annotate(n=Count("id"))
    )
    for status, priority, n in open_rows:
        by_status[status] = by_status.get(status, 0) + n
        by_priority[priority] = by_priority.get(priority, 0) + n

    def per_day(field: str) -> dict[date, int]:
        rows = (
            Ticket.objects.filter(**{f"{field}__gte": since})
            .order_by()
            .annotate(day=TruncDate(field, tzinfo=tz))
            .values_list("day")
            .annotate(n=Count("id"))
        )
        return dict(rows)

    opened, resolved = per_day("created_at"), per_day("resolved_at")
    days = [start + timedelta(days=i) for i in range(DASHBOARD_DAYS)]
    daily = [{"day": d, "opened": opened.get(d, 0), "resolved": resolved.get(d, 0)} for d in days]

    first_reply = (
        TicketComment.objects.filter(ticket=OuterRef("pk"), internal=False)
        .exclude(author=OuterRef("requester"))
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )
    window = Ticket.objects.filter(
        created_at__gte=timezone.now() - timedelta(days=MEDIAN_WINDOW_DAYS)
    ).order_by()
    response_times, resolution_times = [], []
    for created, resolved_at, replied in window.values_list(
        "created_at", "resolved_at", Subquery(first_reply)
    ):
        if replied is not None:
            response_times.append(replied - created)
        if resolved_at is not None:
            resolution_times.append(resolved_at - created)

    status_labels = dict(Status.choices)
    priority_labels = dict(Ticket.Priority.choices)
    return {
        "by_status": [(s, status_labels[s], n) for s, n in by_status.items()],
        "by_priority": [(p, priority_labels[p], n) for p, n in by_priority.items()],
        "open_total": sum(by_status.values()),
        "daily": daily,
        "opened_total": sum(row["opened"] for row in daily),
        "resolved_total": sum(row["resolved"] for row in daily),
        "median_first_response_hours": _median_hours(response_times),
        "median_resolution_hours": _median_hours(resolution_times),
        "responded_count": len(response_times),
        "resolved_count": len(resolution_times),
        "median_window_days": MEDIAN_WINDOW_DAYS,
        "days": DASHBOARD_DAYS,
    }
