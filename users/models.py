"""Accounts: a profile per user (phone number, favorite and watched movies), SMS codes,
and the members' ratings and reviews.

The user itself is Django's ``auth.User``. A registration creates an inactive user
with a profile whose phone number is not yet verified (a *pending* registration);
entering the code sent by SMS verifies the number and activates the user.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from movies.models import Movie


class UserProfileQuerySet(models.QuerySet):
    def pending(self) -> UserProfileQuerySet:
        """Registrations still waiting for their SMS code: THE rule of "pending".

        The account is inactive, the profile has a phone number and that number was
        never proved. An account an administrator deactivated (verified number, or no
        number at all) is not pending.
        """
        return self.filter(
            user__is_active=False, phone_verified_at__isnull=True, phone_number__isnull=False
        ).exclude(phone_number="")


class UserProfile(models.Model):
    """What the service keeps about an account besides Django's user: the verified
    phone number and the member's favorite and watched movies."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        help_text="The account this profile belongs to.",
    )
    phone_number = PhoneNumberField(
        blank=True,
        null=True,
        unique=True,
        help_text="Mobile number in E.164 (+14155550123); one account per number. "
        "Empty for accounts made by an administrator.",
    )
    phone_verified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the owner proved the number with an SMS code; empty while the "
        "registration is pending.",
    )
    favorite_movies = models.ManyToManyField(
        Movie,
        related_name="favorited_by",
        blank=True,
        help_text="Movies the member marked as favorites.",
    )
    watched_movies = models.ManyToManyField(
        Movie,
        related_name="watched_by",
        blank=True,
        help_text="Movies the member has watched.",
    )
    watchlist_movies = models.ManyToManyField(
        Movie,
        related_name="watchlisted_by",
        blank=True,
        help_text="Movies the member wants to watch; marking one watched takes it off.",
    )
    is_public = models.BooleanField(
        default=False,
        help_text="Whether anyone may see the member's public profile (/u/<username>/): "
        "favorites, recent diary, recent reviews, ratings count. Private by default.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the profile was created.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the profile last changed.")

    objects = UserProfileQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "user profile"

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def is_pending(self) -> bool:
        """Whether this profile is a registration still waiting for its SMS code, as
        :meth:`UserProfileQuerySet.pending` defines it (one query, read from the database)."""
        return self.pk is not None and type(self).objects.pending().filter(pk=self.pk).exists()


class OtpCodeQuerySet(models.QuerySet):
    def open(self) -> OtpCodeQuerySet:
        """Codes neither used nor revoked (they may still have expired)."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True)

    def counting_as_sent(self) -> OtpCodeQuerySet:
        """Codes that count against a number's send limits: sent, or still being sent.
        A code whose SMS failed (revoked before it was ever sent) does not count."""
        return self.filter(models.Q(sent_at__isnull=False) | models.Q(revoked_at__isnull=True))

    def usable(self, *, now=None) -> OtpCodeQuerySet:
        """Codes that can still be entered: THE rule of "can this code be used"."""
        return self.filter(OtpCode.usable_q(now=now))


class OtpCode(models.Model):
    """A one-time code sent by SMS to verify a phone number.

    Only a keyed hash (HMAC-SHA256 with ``OTP_HMAC_KEY``) of the code is stored. A code
    can be checked while it is sent, unused, unrevoked, unexpired and has had fewer
    than ``OTP_MAX_ATTEMPTS`` wrong tries. Rows are kept after use: they are the
    history the per-number send limits are counted from.
    """

    phone_number = PhoneNumberField(
        db_index=True, help_text="The number the code was sent to, in E.164."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="otp_codes",
        help_text="The pending account this code activates (empty once that account is gone).",
    )
    code_hash = models.CharField(
        max_length=64,
        help_text="HMAC-SHA256 (hex) of the number and the code; the code itself is never stored.",
    )
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, help_text="When the code was made."
    )
    sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the SMS backend accepted the message; a code never sent cannot be used.",
    )
    expires_at = models.DateTimeField(help_text="After this moment the code is refused.")
    used_at = models.DateTimeField(
        null=True, blank=True, help_text="When the code was entered correctly (single use)."
    )
    revoked_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the code was cancelled: replaced by a newer one, burned by too many "
        "wrong tries, or its SMS could not be sent.",
    )
    failed_attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Wrong codes entered against this one."
    )

    objects = OtpCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "one-time code"
        constraints = [
            models.UniqueConstraint(
                fields=["phone_number"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="otp_one_open_code_per_number",
            ),
        ]

    def __str__(self) -> str:
        return f"Code for {self.phone_number} at {self.created_at:%Y-%m-%d %H:%M:%S}"

    @staticmethod
    def usable_q(*, now=None) -> models.Q:
        """The condition of a usable code (sent, neither used nor revoked, unexpired,
        fewer than ``OTP_MAX_ATTEMPTS`` wrong tries and still tied to an account), as a
        ``Q`` so that the service filters by it and the admin annotates with it."""
        return models.Q(
            sent_at__isnull=False,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now or timezone.now(),
            failed_attempts__lt=settings.OTP_MAX_ATTEMPTS,
            user__isnull=False,
        )


SCORE_MIN = Decimal("0.5")
SCORE_MAX = Decimal("5.0")
SCORES: tuple[Decimal, ...] = tuple(  # 0.5, 1.0, ..., 5.0
    (Decimal(half) / 2).quantize(Decimal("0.1")) for half in range(1, 11)
)
REVIEW_MAX_LENGTH = 5000


class RatingQuerySet(models.QuerySet):
    def reviews(self) -> RatingQuerySet:
        """Ratings with a written review (an empty text is a score alone)."""
        return self.exclude(review="")

    def visible(self) -> RatingQuerySet:
        """Reviews every reader may see: THE rule of "shown" (not hidden by support)."""
        return self.filter(hidden=False)


class Rating(models.Model):
    """A member's score for a movie (0.5 to 5 stars, half steps), with an optional
    plain-text review. One a member a movie. The movie's ``members_rating_average`` and
    ``members_rating_count`` are kept from these rows by ``users.services.rating_set``
    and ``rating_delete``, in the same transaction."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="ratings",
        help_text="The member who rated.",
    )
    movie = models.ForeignKey(
        Movie,
        on_delete=models.CASCADE,
        related_name="member_ratings",
        help_text="The movie rated.",
    )
    score = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        help_text="0.5 to 5.0 stars, in steps of 0.5.",
    )
    review = models.TextField(
        blank=True,
        default="",
        max_length=REVIEW_MAX_LENGTH,
        help_text="Optional plain-text review, at most 5,000 characters (shown escaped).",
    )
    spoiler = models.BooleanField(
        default=False, help_text="The review gives the story away: hidden until the reader asks."
    )
    hidden = models.BooleanField(
        default=False,
        help_text="Hidden by support after a report: only its author still sees it. "
        "Changed only by support.services.review_set_hidden.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the member first rated.")
    updated_at = models.DateTimeField(
        auto_now=True, help_text="When the score or review last changed."
    )

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "rating"
        constraints = [
            models.UniqueConstraint(fields=["user", "movie"], name="rating_one_per_member_movie"),
            models.CheckConstraint(
                condition=models.Q(score__in=SCORES),
                name="rating_score_half_steps_0_5_to_5",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("review"), REVIEW_MAX_LENGTH),
                name="rating_review_at_most_5000",
            ),
        ]
        indexes = [
            models.Index(fields=["movie", "-created_at", "-id"], name="rating_movie_newest_idx"),
            models.Index(fields=["user", "-created_at", "-id"], name="rating_user_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.score} by {self.user_id} for movie {self.movie_id}"


DIARY_NOTE_MAX_LENGTH = 500


class DiaryEntry(models.Model):
    """One watch of a movie, logged by a member: when, whether it was a rewatch, and a
    short note. Logging a watch also marks the movie watched (``users.services.diary_log``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="diary_entries",
        help_text="The member who watched.",
    )
    movie = models.ForeignKey(
        Movie,
        on_delete=models.CASCADE,
        related_name="diary_entries",
        help_text="The movie watched.",
    )
    watched_on = models.DateField(
        default=timezone.localdate, help_text="The day of the watch; today by default, never later."
    )
    rewatch = models.BooleanField(default=False, help_text="The member had seen it before.")
    note = models.TextField(
        blank=True,
        default="",
        max_length=DIARY_NOTE_MAX_LENGTH,
        help_text="A short plain-text note, at most 500 characters.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the entry was logged.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the entry last changed.")

    class Meta:
        ordering = ["-watched_on", "-id"]
        verbose_name = "diary entry"
        verbose_name_plural = "diary entries"
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), DIARY_NOTE_MAX_LENGTH),
                name="diary_note_at_most_500",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-watched_on", "-id"], name="diary_user_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.movie} watched by {self.user} on {self.watched_on}"
