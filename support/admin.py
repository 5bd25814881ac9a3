"""The support desk in Django's admin: read-only, so every change goes through
``support.services`` (the status map, the history and the email) from the pages or the API.

The members' ratings admin (``users.admin.RatingAdmin``) gets its hide and restore
actions here, through ``support.services.review_set_hidden``: support moderates reviews,
and the accounts app does not import the support desk."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from users.admin import RatingAdmin
from users.models import Rating

from . import services
from .models import Ticket, TicketComment, TicketEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TicketCommentInline(admin.TabularInline):
    model = TicketComment
    fields = ["created_at", "author", "internal", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    fields = ["created_at", "actor", "field", "old_value", "new_value"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "subject",
        "status",
        "priority",
        "category",
        "requester",
        "assignee",
        "created_at",
    ]
    list_filter = ["status", "priority", "category"]
    search_fields = ["subject", "description", "movie_title", "requester__username"]
    list_select_related = ["requester", "assignee"]
    date_hierarchy = "created_at"
    inlines = [TicketCommentInline, TicketEventInline]

    @admin.display(description="Reference", ordering="id")
    def reference(self, ticket: Ticket) -> str:
        return ticket.reference


class ReviewModerationAdmin(RatingAdmin):
    """Ratings and reviews, with "Hide" and "Restore" through the support desk's service
    (the change goes into the history of every ticket reporting the review)."""

    actions = ["hide_reviews", "restore_reviews"]

    def _set_hidden(self, request, queryset, *, hidden: bool) -> None:
        changed = 0
        try:
            for review in queryset:
                if review.hidden != hidden:
                    services.review_set_hidden(review=review, hidden=hidden, actor=request.user)
                    changed += 1
        except PermissionDenied as exc:
            self.message_user(request, str(exc), level=messages.ERROR)
            return
        verb = "hidden" if hidden else "restored"
        self.message_user(request, f"{changed} review(s) {verb}.", level=messages.SUCCESS)

    @admin.action(description="Hide the selected reviews from readers")
    def hide_reviews(self, request, queryset) -> None:
        self._set_hidden(request, queryset, hidden=True)

    @admin.action(description="Restore the selected reviews")
    def restore_reviews(self, request, queryset) -> None:
        self._set_hidden(request, queryset, hidden=False)


if admin.site.is_registered(Rating):
    admin.site.unregister(Rating)
admin.site.register(Rating, ReviewModerationAdmin)
