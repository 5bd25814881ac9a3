"""Forms of the account pages.

They only collect and label the input: the rules (what makes a username, a phone
number or a code acceptable) live in ``users.services``, whose ``ValidationError``
the views put on these forms field by field (``core.forms.add_service_errors``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError

from core.forms import RateLimitedFormMixin, wait_text
from users import selectors
from users.login_defence import LoginThrottle, is_locked_out
from users.models import SCORES, UserProfile

User = get_user_model()


class LoginForm(RateLimitedFormMixin, auth_forms.AuthenticationForm):
    """Username and password. Inactive accounts cannot log in.

    One exception to "wrong credentials": an account whose registration is still
    waiting for its SMS code, given with the right password, is not an error of the
    user's making. The form then holds that registration in ``pending_registration``
    (the view sends the user on to the code page) and says so.
    """

    pending_message = (
        "Your account is not active yet: enter the code we sent to your phone by text message."
    )

    def clean(self) -> dict[str, Any]:
        self.pending_registration: UserProfile | None = None
        try:
            return super().clean()
        except ValidationError as error:
            if error.code != "invalid_login" or is_locked_out(self.request):
                # A locked account is never checked further (no password oracle).
                raise
            self.pending_registration = selectors.pending_registration_for_login(
                username=self.cleaned_data.get("username") or "",
                password=self.cleaned_data.get("password") or "",
            )
            if self.pending_registration is None:
                raise
            raise ValidationError(self.pending_message, code="pending") from None


class RegisterForm(RateLimitedFormMixin, forms.Form):
    """Username, email, password (typed twice) and mobile number of a new account.

    Only "required" and "typed the same twice" are checked here; everything else is
    ``services.user_register``'s to decide.
    """

    username = forms.CharField(
        label="Username",
        help_text="Letters, digits and @ . + - _ only.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "maxlength": User._meta.get_field("username").max_length,
            }
        ),
    )
    email = forms.CharField(
        label="Email address",
        help_text="For password reset links.",
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "maxlength": User._meta.get_field("email").max_length}
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirmation = forms.CharField(
        label="Confirm password",
        strip=False,
        help_text="The same password again, to be sure it has no typo.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    phone_number = forms.CharField(
        label="Mobile phone number",
        help_text="With the country code, e.g. +1 415 555 0123. We text you a code to "
        "activate the account.",
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "maxlength": 32}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password = cleaned.get("password")
        confirmation = cleaned.get("password_confirmation")
        if password and confirmation and password != confirmation:
            self.add_error("password_confirmation", "The two passwords do not match.")
        return cleaned


class VerifyCodeForm(RateLimitedFormMixin, forms.Form):
    """The code from the text message (``services.otp_verify`` checks it)."""

    code = forms.CharField(
        label=f"{settings.OTP_LENGTH}-digit code",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "maxlength": settings.OTP_LENGTH,
                "size": settings.OTP_LENGTH + 2,
                "autofocus": True,
            }
        ),
    )


class PasswordResetForm(RateLimitedFormMixin, auth_forms.PasswordResetForm):
    """The email address to send a password reset link to."""


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's log-in form, counted against the one login throttle
    (``users.login_defence.LoginThrottle``) shared with the API and the site."""

    rate_limited_message = RateLimitedFormMixin.rate_limited_message

    def clean(self) -> dict[str, Any]:
        throttle = LoginThrottle()
        if not throttle.allow_request(self.request, None):
            raise ValidationError(
                self.rate_limited_message.format(wait=wait_text(throttle.wait() or 1)),
                code="rate_limited",
            )
        return super().clean()


class RatingForm(forms.Form):
    """A member's score, review and spoiler flag for a movie (the movie page's form).

    The score is ten radio inputs (0.5 to 5 stars) styled as stars: a keyboard moves
    through them with the arrow keys. The rules are ``users.services.rating_set``'s;
    the form only gives the fields their widgets and labels."""

    score = forms.TypedChoiceField(
        label="Your score",
        choices=[(str(score), f"{score} stars") for score in SCORES],
        coerce=str,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a score from half a star to five stars."},
    )
    review = forms.CharField(
        label="Your review (optional)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text, at most 5,000 characters.",
    )
    spoiler = forms.BooleanField(label="This review contains spoilers", required=False)


def own_rating_context(*, user, movie, form: RatingForm | None = None) -> dict[str, Any]:
    """What ``users/includes/own_rating.html`` needs: the member's rating of ``movie``
    (``None`` for anonymous visitors) and the form, filled from it unless given."""
    rating = selectors.rating_of(user=user, movie_id=movie.pk)
    if form is None:
        initial = (
            {"score": str(rating.score), "review": rating.review, "spoiler": rating.spoiler}
            if rating
            else {}
        )
        form = RatingForm(initial=initial)
    return {"movie": movie, "own_rating": rating, "rating_form": form}


class LogWatchForm(forms.Form):
    """ "Log a watch" on the movie page: the day (today by default), rewatch, a note.
    The rules (not in the future, at most 500 characters) are ``services.diary_log``'s."""

    watched_on = forms.DateField(
        label="Watched on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Today unless you say otherwise; never a day in the future.",
    )
    rewatch = forms.BooleanField(label="I had seen it before", required=False)
    note = forms.CharField(
        label="Note",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        help_text="Optional, at most 500 characters.",
    )

    @classmethod
    def fresh(cls) -> LogWatchForm:
        """An empty form for today."""
        from django.utils import timezone

        return cls(initial={"watched_on": timezone.localdate()})


class ProfilePrivacyForm(forms.Form):
    is_public = forms.BooleanField(
        label="Show my public profile (favorites, diary, reviews) to everyone", required=False
    )
