"""Writes of the support desk, with their rules. Pages and the API both call these.

Every function is keyword-only and atomic, records a ``TicketEvent`` for each
field it changes, and raises Django's ``ValidationError({"field": [...]})`` for
a refused request (the API answers 400) or ``PermissionDenied`` when the caller
has no business with the ticket at all. Email goes out through Django's email
backend once the transaction has committed: to the requester when their ticket
is filed, when an agent replies publicly and when the ticket is resolved; never
for internal notes.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.catalogue_version import bump_catalogue_version
from core.sentinels import UNSET
from ops.mail import send_mail
from ops.queue import apply_on_commit
from users.models import Rating

from .catalogue import CatalogueClient, get_catalogue
from .models import ReviewState, Ticket, TicketComment, TicketEvent
from .selectors import can_view, is_agent, reply_refusal, transition_refusal

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

Status = Ticket.Status
Field = TicketEvent.Field


def _event(
    *, ticket: Ticket, actor: User | None, field: str, old: str = "", new: str = ""
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket, actor=actor, field=field, old_value=old or "", new_value=new or ""
    )


def _username(user: User | None) -> str:
    return user.get_username() if user is not None else ""


def _send_email(*, ticket_id: int, template: str, comment_id: int | None = None) -> None:
    """Render ``support/email/<template>[_subject].txt`` and send it to the ticket's requester."""
    ticket = Ticket.objects.select_related("requester", "assignee").filter(pk=ticket_id).first()
    if ticket is None or not ticket.requester.email:
        return
    comment = None
    if comment_id is not None:
        comment = TicketComment.objects.select_related("author").filter(pk=comment_id).first()
    context = {
        "ticket": ticket,
        "comment": comment,
        "ticket_url": settings.SITE_URL + reverse("support:ticket_detail", args=[ticket.pk]),
        "SITE_NAME": settings.SITE_NAME,
    }
    subject = render_to_string(f"support/email/{template}_subject.txt", context)
    body = render_to_string(f"support/email/{template}.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[ticket.requester.email],
    )


def _email_on_commit(
    *, ticket: Ticket, template: str, comment: TicketComment | None = None
) -> None:
    comment_id = comment.pk if comment else None
    # Sent by a worker (support.tasks) after the commit, retried with backoff, once.
    apply_on_commit(
        "support.tasks.ticket_email_send",
        kwargs={
            "ticket_id": ticket.pk,
            "template": template,
            "comment_id": comment_id,
            "idempotency_key": f"support:{template}:{ticket.pk}:{comment_id}:{uuid.uuid4().hex}",
        },
    )


def _check_choice(field: str, value: str, choices) -> None:
    if value not in choices.values:
        raise ValidationError({field: [f'"{value}" is not a valid choice.']})


def ticket_create(
    *,
    requester: User,
    subject: str,
    description: str,
    category: str,
    priority: str = Ticket.Priority.NORMAL,
    movie_id: int | None = None,
    catalogue: CatalogueClient | None = None,
    review: Rating | None = None,
) -> Ticket:
    """File a ticket for ``requester``. A ``movie_id`` must name a movie that the catalogue
    (``/graphql/``) knows; its title is kept on the ticket. ``CatalogueUnavailable`` is
    raised, and nothing is saved, if the catalogue cannot answer."""
    if not requester or not requester.is_authenticated:
        raise PermissionDenied("Log in to file a ticket.")
    ticket = Ticket(
        requester=requester,
        subject=(subject or "").strip(),
        description=(description or "").strip(),
        category=category,
        priority=priority or Ticket.Priority.NORMAL,
        status=Status.NEW,
        review=review,
    )
    ticket.full_clean(exclude=["requester", "assignee", "movie_id", "movie_title", "review"])

    if movie_id is not None:
        # Asked before the transaction opens: no row is locked while the network answers.
        movie = (catalogue or get_catalogue()).movie(movie_id)
        if movie is None:
            raise ValidationError({"movie_id": [f"There is no movie with id {movie_id}."]})
        ticket.movie_id = movie.id
        ticket.movie_title = movie.title[: Ticket._meta.get_field("movie_title").max_length]

    with transaction.atomic():
        ticket.save()
        _event(ticket=ticket, actor=requester, field=Field.CREATED, new=ticket.status)
        _email_on_commit(ticket=ticket, template="ticket_created")
    return ticket


def _locked(ticket: Ticket) -> Ticket:
    """The ticket's row, locked for this transaction, with fresh values."""
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("requester", "assignee")
        .get(pk=ticket.pk)
    )


def _set_status(*, ticket: Ticket, actor: User, status: str) -> None:
    """Move a locked ticket to ``status`` (already checked), with its event and email."""
    old = ticket.status
    ticket.status = status
    if status == Status.RESOLVED:
        ticket.resolved_at = timezone.now()
    elif status == Status.OPEN:
        ticket.resolved_at = None
    ticket.save(update_fields=["status", "resolved_at", "updated_at"])
    _event(ticket=ticket, actor=actor, field=Field.STATUS, old=old, new=status)
    if status == Status.RESOLVED:
        _email_on_commit(ticket=ticket, template="ticket_resolved")


def ticket_transition(*, ticket: Ticket, user: User, status: str) -> Ticket:
    """Move ``ticket`` to ``status`` if the status map and ``user``'s role allow it.

    Refused moves raise ``ValidationError({"status": [...]})``. Resolving emails
    the requester. Returns ``ticket``, refreshed.
    """
    if not can_view(user=user, ticket=ticket):
        raise PermissionDenied("You cannot change this ticket.")
    with transaction.atomic():
        locked = _locked(ticket)
        refusal = transition_refusal(user=user, ticket=locked, status=status)
        if refusal:
            raise ValidationError({"status": [refusal]})
        _set_status(ticket=locked, actor=user, status=status)
    ticket.refresh_from_db()
    return ticket


def _require_agent(user: User) -> None:
    if not is_agent(user):
        raise PermissionDenied("Only support agents can do this.")


def _assign(*, ticket: Ticket, actor: User, assignee: User | None) -> None:
    if assignee is not None and not is_agent(assignee):
        raise ValidationError(
            {"assignee_id": [f"{assignee.get_username()} is not a support agent."]}
        )
    if ticket.assignee_id == getattr(assignee, "pk", None):
        return
    old = _username(ticket.assignee)
    ticket.assignee = assignee
    ticket.save(update_fields=["assignee", "updated_at"])
    _event(ticket=ticket, actor=actor, field=Field.ASSIGNEE, old=old, new=_username(assignee))


def ticket_assign(*, ticket: Ticket, actor: User, assignee: User | None) -> Ticket:
    """Give ``ticket`` to the agent ``assignee`` (or to nobody, with ``None``). Agents only."""
    _require_agent(actor)
    with transaction.atomic():
        locked = _locked(ticket)
        _assign(ticket=locked, actor=actor, assignee=assignee)
    ticket.refresh_from_db()
    return ticket


def ticket_update(
    *,
    ticket: Ticket,
    actor: User,
    priority: str = UNSET,
    category: str = UNSET,
    assignee: User | None = UNSET,
) -> Ticket:
    """Change a ticket's ``priority``, ``category`` and/or ``assignee``, all or nothing.
    Agents only; each changed field is one event."""
    _require_agent(actor)
    if priority is not UNSET:
        _check_choice("priority", priority, Ticket.Priority)
    if category is not UNSET:
        _check_choice("category", category, Ticket.Category)
    with transaction.atomic():
        locked = _locked(ticket)
        if assignee is not UNSET:
            _assign(ticket=locked, actor=actor, assignee=assignee)
        for name, value in (("priority", priority), ("category", category)):
            if value is UNSET or getattr(locked, name) == value:
                continue
            old = getattr(locked, name)
            setattr(locked, name, value)
            locked.save(update_fields=[name, "updated_at"])
            _event(ticket=locked, actor=actor, field=name, old=old, new=value)
    ticket.refresh_from_db()
    return ticket


def comment_add(
    *, ticket: Ticket, author: User, body: str, internal: bool = False
) -> TicketComment:
    """Add a public reply or (agents only) an internal note to ``ticket``.

    A requester's reply to a ticket waiting on them reopens it. An agent's
    public reply emails the requester; internal notes are never emailed.
    Requesters cannot reply to a closed ticket: they file a new one.
    """
    if not can_view(user=author, ticket=ticket):
        raise PermissionDenied("You cannot reply to this ticket.")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ["Write a message."]})
    agent = is_agent(author)
    if internal and not agent:
        raise ValidationError({"internal": ["Only support agents can write internal notes."]})
    is_requester = ticket.requester_id == author.pk

    with transaction.atomic():
        locked = _locked(ticket)
        refusal = reply_refusal(user=author, ticket=locked)
        if refusal:
            raise ValidationError({"body": [refusal]})
        comment = TicketComment(ticket=locked, author=author, body=body, internal=internal)
        comment.full_clean(exclude=["ticket", "author"])
        comment.save()
        if is_requester and not internal and locked.status == Status.WAITING_ON_CUSTOMER:
            _set_status(ticket=locked, actor=author, status=Status.OPEN)
        else:
            locked.save(update_fields=["updated_at"])
        if agent and not internal and not is_requester:
            _email_on_commit(ticket=locked, template="agent_replied", comment=comment)
    ticket.refresh_from_db()
    return comment


# --- Reported member reviews ---------------------------------------------------------

REASON_MAX_LENGTH = 2000


def review_report(*, reporter: User, review: Rating, reason: str) -> tuple[Ticket, bool]:
    """Report a member's review to support: a ticket of category ``review`` on it,
    ``(ticket, created)``. Once a member a review: reporting again returns the first
    ticket (a database constraint holds it under concurrent reports too).

    The caller has checked that ``reporter`` may see the review (``users.selectors``)."""
    if not reporter or not reporter.is_authenticated:
        raise PermissionDenied("Log in to report a review.")
    reason = (reason or "").strip() if isinstance(reason, str) else reason
    if not isinstance(reason, str) or not reason:
        raise ValidationError({"reason": ["Say what is wrong with this review."]})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": [f"Keep the reason to at most {REASON_MAX_LENGTH:,} characters."]}
        )
    if review.user_id == reporter.pk:
        raise ValidationError({"review": ["You cannot report your own review."]})
    existing = Ticket.objects.filter(requester=reporter, review=review).first()
    if existing is not None:
        return existing, False
    try:
        ticket = ticket_create(
            requester=reporter,
            subject=f"Reported review #{review.pk} by {review.user.get_username()}",
            description=reason,
            category=Ticket.Category.REVIEW,
            movie_id=review.movie_id,
            review=review,
        )
    except IntegrityError:  # the same member reported it at the same moment
        return Ticket.objects.get(requester=reporter, review=review), False
    return ticket, True


def review_set_hidden(
    *, review: Rating, hidden: bool, actor: User, ticket: Ticket | None = None
) -> Rating:
    """Hide a member's review from every reader but its author, or show it again.

    THE one way to change ``Rating.hidden``: the support desk (page and API, from the
    ticket) and the admin call it. Agents only. The change is recorded in the history
    of every ticket that reports the review; ``ticket``, if given, must be one of them.
    Setting the state it already has changes nothing and records nothing."""
    _require_agent(actor)
    if ticket is not None and ticket.review_id != review.pk:
        raise ValidationError({"review": ["This ticket does not report that review."]})
    with transaction.atomic():
        locked = Rating.objects.select_for_update().get(pk=review.pk)
        if locked.hidden == hidden:
            review.hidden = hidden
            return review
        old, new = (
            (ReviewState.VISIBLE, ReviewState.HIDDEN)
            if hidden
            else (ReviewState.HIDDEN, ReviewState.VISIBLE)
        )
        Rating.objects.filter(pk=locked.pk).update(hidden=hidden)
        reports = list(Ticket.objects.select_for_update().filter(review_id=locked.pk))
        for report in reports:
            _event(ticket=report, actor=actor, field=Field.REVIEW, old=old, new=new)
        Ticket.objects.filter(pk__in=[report.pk for report in reports]).update(
            updated_at=timezone.now()
        )
        bump_catalogue_version(rows=False)  # a review shown or hidden: no list's movies change
    review.hidden = hidden
    return review
