"""The support desk: tickets filed by users, answered and moved by support agents.

A ticket may name a movie of the catalogue. The catalogue is read only through
GraphQL (see ``support.catalogue``), so a ticket keeps the movie's id and a
snapshot of its title rather than a foreign key to ``movies.Movie``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

REFERENCE_PREFIX = "SUP-"
# Longest ticket description or comment body, in characters.
TEXT_MAX_LENGTH = 10_000


def agent_queryset_q() -> Q:
    """The condition that makes an active user a support agent, for ``User`` querysets:
    staff, or a member of the group named by ``settings.SUPPORT_AGENT_GROUP``."""
    user_model = get_user_model()
    in_group = user_model.groups.through.objects.filter(
        **{
            f"{user_model._meta.model_name}_id": OuterRef("pk"),
            "group__name": settings.SUPPORT_AGENT_GROUP,
        }
    )
    return Q(is_active=True) & (Q(is_staff=True) | Q(Exists(in_group)))


def format_reference(ticket_id: int) -> str:
    """The human reference of a ticket id: ``123`` → ``SUP-000123``."""
    return f"{REFERENCE_PREFIX}{ticket_id:06d}"


class Ticket(models.Model):
    """A problem reported by a user, handled by the support agents."""

    class Category(models.TextChoices):
        MOVIE_INFO = "movie_info", "Wrong or missing movie details"
        MISSING_MOVIE = "missing_movie", "Missing movie"
        ACCOUNT = "account", "Account"
        TECHNICAL = "technical", "Technical problem"
        REVIEW = "review", "Reported member review"
        OTHER = "other", "Other"

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"
        URGENT = "urgent", "Urgent"

    class Status(models.TextChoices):
        NEW = "new", "New"
        OPEN = "open", "Open"
        WAITING_ON_CUSTOMER = "waiting_on_customer", "Waiting on customer"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    subject = models.CharField(max_length=200, help_text="A one-line summary of the problem.")
    description = models.TextField(
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        help_text="The problem in the requester's own words (at most 10,000 characters).",
    )
    category = models.CharField(
        max_length=20,
        choices=Category.choices,
        help_text="What the problem is about.",
    )
    priority = models.CharField(
        max_length=10,
        choices=Priority.choices,
        default=Priority.NORMAL,
        help_text="How urgent it is; agents may change it.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.NEW,
        help_text="Where the ticket is in its life; changed only by support.services.",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="support_tickets",
        help_text="The user who filed the ticket.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_support_tickets",
        help_text="The support agent handling the ticket, if any.",
    )
    movie_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Id of the catalogue movie the ticket is about, as /graphql/ knows it.",
    )
    movie_title = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="The movie's title when the ticket was filed (a snapshot, not kept in sync).",
    )
    review = models.ForeignKey(
        "users.Rating",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        help_text="The member review this ticket reports (category review); agents can hide "
        "or restore it from the ticket. Empty for other tickets, or once the review is gone.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the ticket was filed.")
    updated_at = models.DateTimeField(
        auto_now=True, help_text="When the ticket or its conversation last changed."
    )
    resolved_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the ticket was last resolved; cleared when it is reopened.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="support_ticket_status_idx"),
            models.Index(fields=["priority"], name="support_ticket_priority_idx"),
            models.Index(fields=["category"], name="support_ticket_category_idx"),
            models.Index(fields=["movie_id"], name="support_ticket_movie_idx"),
            models.Index(fields=["-created_at", "-id"], name="support_ticket_created_idx"),
            models.Index(fields=["-updated_at", "-id"], name="support_ticket_updated_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "review"],
                condition=models.Q(review__isnull=False),
                name="support_ticket_one_report_per_member_review",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("support:ticket_detail", kwargs={"ticket_id": self.pk})

    @property
    def reference(self) -> str:
        """``SUP-000123``: the ticket's id as people quote it. Empty before saving."""
        return format_reference(self.pk) if self.pk else ""

    @property
    def category_short(self) -> str:
        """The category in a word or two, for the queue's narrow column."""
        return CATEGORY_SHORT_LABELS.get(self.category, self.get_category_display())


# Short category labels for the queue; the full label goes in a title and visually-hidden text.
CATEGORY_SHORT_LABELS = {
    Ticket.Category.MOVIE_INFO: "Movie info",
    Ticket.Category.MISSING_MOVIE: "Missing",
    Ticket.Category.ACCOUNT: "Account",
    Ticket.Category.TECHNICAL: "Tech",
    Ticket.Category.REVIEW: "Review",
    Ticket.Category.OTHER: "Other",
}


class ReviewState(models.TextChoices):
    """What a reported review's ``TicketEvent`` records: shown to readers, or hidden."""

    VISIBLE = "visible", "Visible"
    HIDDEN = "hidden", "Hidden"


class TicketComment(models.Model):
    """A message on a ticket: a public reply, or an internal note only agents see."""

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="comments",
        help_text="The ticket this message belongs to.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="support_comments",
        help_text="Who wrote it: the requester or an agent.",
    )
    body = models.TextField(
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        help_text="The message text (plain text, at most 10,000 characters).",
    )
    internal = models.BooleanField(
        default=False,
        help_text="An internal note, visible to support agents only; never emailed.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was written.")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at", "id"], name="support_comment_ticket_idx")
        ]

    def __str__(self) -> str:
        kind = "note" if self.internal else "reply"
        return f"{kind} by {self.author_id} on ticket {self.ticket_id}"


class TicketEvent(models.Model):
    """One change to a ticket: who changed which field from what to what, and when."""

    class Field(models.TextChoices):
        CREATED = "created", "Ticket filed"
        STATUS = "status", "Status"
        ASSIGNEE = "assignee", "Assignee"
        PRIORITY = "priority", "Priority"
        CATEGORY = "category", "Category"
        REVIEW = "review", "Reported review"

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="events",
        help_text="The ticket that changed.",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_ticket_events",
        help_text="Who made the change (empty if that account was deleted).",
    )
    field = models.CharField(max_length=20, choices=Field.choices, help_text="Which field changed.")
    old_value = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="The value before the change (a choice value, or a username); empty if none.",
    )
    new_value = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="The value after the change (a choice value, or a username); empty if none.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the change was made.")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at", "id"], name="support_event_ticket_idx")
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value!r} → {self.new_value!r} on ticket {self.ticket_id}"

    def _display(self, value: str) -> str:
        choices = {
            self.Field.CREATED: Ticket.Status,
            self.Field.STATUS: Ticket.Status,
            self.Field.PRIORITY: Ticket.Priority,
            self.Field.CATEGORY: Ticket.Category,
            self.Field.REVIEW: ReviewState,
        }.get(self.field)
        if choices is not None and value in choices.values:
            return str(choices(value).label)
        return value

    @property
    def old_display(self) -> str:
        """The old value as people read it (a choice's label, or a username)."""
        return self._display(self.old_value)

    @property
    def new_display(self) -> str:
        """The new value as people read it (a choice's label, or a username)."""
        return self._display(self.new_value)
