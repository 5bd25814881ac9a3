"""The support desk in Django's admin: read-only, so every change goes through
``support.services`` (the status map, the history and the email) from the pages or the API."""

from django.contrib import admin

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
