"""Admin pages for accounts: profiles (also inline on the user page) and the SMS codes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone

from . import services
from .forms import AdminLoginForm
from .models import DiaryEntry, OtpCode, Rating, UserProfile

User = get_user_model()

# The admin's log-in counts against the login throttle shared with the API and the site.
admin.site.login_form = AdminLoginForm


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    fields = [
        "phone_number",
        "phone_verified_at",
        "is_public",
        "favorite_movies",
        "watched_movies",
        "watchlist_movies",
    ]
    # A number is proved by SMS (users.services), never typed in here: editing it would
    # skip the code revocation of profile_update.
    readonly_fields = ["phone_number", "phone_verified_at"]
    autocomplete_fields = ["favorite_movies", "watched_movies", "watchlist_movies"]
    extra = 0


if admin.site.is_registered(User):
    admin.site.unregister(User)


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """Django's admin password form, saving through ``services.password_change`` so the
    account's refresh tokens and sessions end as on every other path."""

    def set_password_and_save(self, user, password_field_name="password1", commit=True):  # noqa: S107
        usable = self.cleaned_data.get("set_usable_password", True)
        new_password = self.cleaned_data[password_field_name] if usable else None
        return services.password_change(user=user, new_password=new_password)


class UserChangeForm(auth_forms.UserChangeForm):
    """Django's user form, refusing a username or email another account has in another
    case (the database refuses them too: migration ``users.0002``)."""

    def _unique_ignoring_case(self, field: str, message: str) -> str:
        value = self.cleaned_data.get(field)
        others = User._default_manager.exclude(pk=self.instance.pk)
        if value and others.filter(**{f"{field}__iexact": value}).exists():
            raise forms.ValidationError(message, code="unique")
        return value

    def clean_username(self) -> str:
        return self._unique_ignoring_case("username", services.USERNAME_TAKEN_MESSAGE)

    def clean_email(self) -> str:
        return self._unique_ignoring_case("email", services.EMAIL_TAKEN_MESSAGE)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    change_password_form = AdminPasswordChangeForm
    inlines = [UserProfileInline]
    list_display = [*DjangoUserAdmin.list_display, "is_active", "date_joined"]


class PhoneVerifiedFilter(admin.SimpleListFilter):
    title = "phone verified"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", "Verified"), ("no", "Waiting for the code")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(phone_verified_at__isnull=False)
        if self.value() == "no":
            return queryset.pending()
        return queryset


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "phone_number", "phone_verified_at", "user_is_active", "created_at"]
    list_select_related = ["user"]
    list_filter = [PhoneVerifiedFilter, "user__is_active", "is_public", "created_at"]
    search_fields = ["user__username", "user__email", "phone_number"]
    autocomplete_fields = ["user", "favorite_movies", "watched_movies", "watchlist_movies"]
    readonly_fields = ["phone_number", "phone_verified_at", "created_at", "updated_at"]
    date_hierarchy = "created_at"

    @admin.display(boolean=True, description="active", ordering="user__is_active")
    def user_is_active(self, profile: UserProfile) -> bool:
        return profile.user.is_active


@admin.register(OtpCode)
class OtpCodeAdmin(admin.ModelAdmin):
    """Codes can be looked at and revoked, never made or read: only their hash is kept."""

    list_display = [
        "phone_number",
        "user",
        "state",
        "failed_attempts",
        "created_at",
        "sent_at",
        "expires_at",
        "used_at",
        "revoked_at",
    ]
    list_select_related = ["user"]
    list_filter = ["created_at", "used_at", "revoked_at"]
    search_fields = ["phone_number", "user__username"]
    date_hierarchy = "created_at"
    exclude = ["code_hash"]
    readonly_fields = [
        "phone_number",
        "user",
        "created_at",
        "sent_at",
        "expires_at",
        "used_at",
        "revoked_at",
        "failed_attempts",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        # "live" is the model's own rule (OtpCode.usable_q), evaluated by the database.
        return (
            super()
            .get_queryset(request)
            .annotate(is_usable=ExpressionWrapper(OtpCode.usable_q(), output_field=BooleanField()))
        )

    @admin.display(description="state")
    def state(self, otp: OtpCode) -> str:
        if otp.is_usable:
            return "live"
        if otp.used_at:
            return "used"
        if otp.revoked_at:
            return "revoked"
        if otp.sent_at is None:
            return "not sent"
        if otp.failed_attempts >= settings.OTP_MAX_ATTEMPTS:
            return "burned"
        if otp.user_id is None:
            return "orphaned"
        return "expired"

    @admin.action(description="Revoke the selected codes", permissions=["delete"])
    def revoke(self, request, queryset) -> None:
        count = queryset.open().update(revoked_at=timezone.now())
        self.message_user(request, f"{count} code(s) revoked.")


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Members' ratings and reviews: search and filters; read-only, as every change goes
    through a service (``users.services.rating_delete`` keeps the movie's members' rating;
    the support app adds the hide/restore actions, through its ``review_set_hidden``)."""

    list_display = [
        "id",
        "user",
        "movie",
        "score",
        "review_excerpt",
        "spoiler",
        "hidden",
        "created_at",
    ]
    list_filter = ["hidden", "spoiler", "score", "created_at"]
    search_fields = ["user__username", "movie__title", "review"]
    list_select_related = ["user", "movie"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "user",
        "movie",
        "score",
        "review",
        "spoiler",
        "hidden",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields

    @admin.display(description="Review")
    def review_excerpt(self, rating: Rating) -> str:
        # Returned as a plain string: the admin escapes it like any other value.
        text = rating.review
        return text if len(text) <= 80 else f"{text[:79]}…"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj: Rating) -> None:
        services.rating_delete(user=obj.user, movie_id=obj.movie_id)

    def delete_queryset(self, request, queryset) -> None:
        for rating in queryset.select_related("user"):
            services.rating_delete(user=rating.user, movie_id=rating.movie_id)


@admin.register(DiaryEntry)
class DiaryEntryAdmin(admin.ModelAdmin):
    """Members' diaries: search and filters; read-only (entries are the members' own,
    written through ``users.services.diary_log``); deleting goes through
    ``diary_delete``."""

    list_display = ["id", "user", "movie", "watched_on", "rewatch", "note_excerpt", "created_at"]
    list_filter = ["rewatch", "watched_on", "created_at"]
    search_fields = ["user__username", "movie__title", "note"]
    list_select_related = ["user", "movie"]
    date_hierarchy = "watched_on"
    readonly_fields = ["user", "movie", "watched_on", "rewatch", "note", "created_at", "updated_at"]
    fields = readonly_fields

    @admin.display(description="Note")
    def note_excerpt(self, entry: DiaryEntry) -> str:
        # A plain string: the admin escapes it like any other value.
        return entry.note if len(entry.note) <= 80 else f"{entry.note[:79]}…"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj: DiaryEntry) -> None:
        services.diary_delete(entry=obj)

    def delete_queryset(self, request, queryset) -> None:
        for entry in queryset:
            services.diary_delete(entry=entry)
