"""Shapes of the accounts API. Serializers check the shape; the services hold the rules."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken

from movies.api.serializers import MovieSummarySerializer
from users import services
from users.models import UserProfile

User = get_user_model()


class UserSummarySerializer(serializers.ModelSerializer):
    """``{id, username, email}``."""

    class Meta:
        model = User
        fields = ["id", "username", "email"]
        read_only_fields = fields


def _phone(profile: UserProfile | None) -> str | None:
    return str(profile.phone_number) if profile is not None and profile.phone_number else None


# --------------------------------------------------------------------------- registration


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(
        max_length=150, help_text="Letters, digits and @/./+/-/_ only; unique ignoring case."
    )
    # Checked by the service, so that every bad field is reported at once.
    email = serializers.CharField(
        max_length=254, help_text="An email address, unique ignoring case."
    )
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="Checked by the password validators.",
    )
    phone_number = serializers.CharField(
        max_length=32,
        help_text="A mobile number with its country code (E.164, e.g. +14155550123); "
        "the verification code is sent there.",
    )


class RegisteredUserSerializer(serializers.ModelSerializer):
    """The account just registered: ``{id, username, email, phone_number, is_active}``."""

    phone_number = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "phone_number", "is_active"]
        read_only_fields = fields

    def get_phone_number(self, user) -> str | None:
        return _phone(UserProfile.objects.filter(user=user).first())


class OtpVerifySerializer(serializers.Serializer):
    phone_number = serializers.CharField(max_length=32, help_text="The number the code went to.")
    code = serializers.CharField(max_length=12, help_text="The 6-digit code from the SMS.")


class OtpResendSerializer(serializers.Serializer):
    phone_number = serializers.CharField(
        max_length=32, help_text="The number of a registration waiting for its code."
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)


# --------------------------------------------------------------------------- tokens


class LoginSerializer(TokenObtainPairSerializer):
    """simplejwt's pair, plus ``user: {id, username, email}``.

    A successful login sends Django's ``user_logged_in`` as the pages' login does: it
    sets ``last_login`` and clears the account's failed attempts (django-axes)."""

    def validate(self, attrs):
        data = super().validate(attrs)
        user_logged_in.send(sender=type(self.user), request=self.context["request"], user=self.user)
        data["user"] = UserSummarySerializer(self.user).data
        return data


class LoginResponseSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    user = UserSummarySerializer()


class RefreshSerializer(TokenRefreshSerializer):
    """simplejwt's rotating refresh, spent through ``services.refresh_rotate`` so that one
    of concurrent refreshes wins. A token of a deleted or inactive account gets a 401
    (instead of simplejwt's unhandled ``DoesNotExist`` for a deleted one)."""

    refresh = serializers.CharField()
    access = serializers.CharField(read_only=True)

    def validate(self, attrs):
        token = RefreshToken(attrs["refresh"])  # TokenError: the view answers 401
        user_id = token.payload.get(jwt_settings.USER_ID_CLAIM)
        user = (
            User.objects.filter(**{jwt_settings.USER_ID_FIELD: user_id}).first()
            if user_id is not None
            else None
        )
        if user is None or not jwt_settings.USER_AUTHENTICATION_RULE(user):
            raise AuthenticationFailed(
                self.error_messages["no_active_account"], "no_active_account"
            )
        return services.refresh_rotate(token=token)


class RefreshResponseSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField(help_text="The refresh token to revoke.")


# --------------------------------------------------------------------------- password reset


class PasswordResetRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="The account's email address.")


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(help_text="The uid from the reset email.")
    token = serializers.CharField(help_text="The token from the reset email.")
    new_password = serializers.CharField(
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="Checked by the password validators.",
    )


# --------------------------------------------------------------------------- profiles


class ProfileSerializer(serializers.ModelSerializer):
    """A profile as read; the movie lists as summaries ``{id, title, rating, image}``."""

    user = UserSummarySerializer(read_only=True)
    phone_number = serializers.SerializerMethodField()
    favorite_movies = MovieSummarySerializer(many=True, read_only=True)
    watched_movies = MovieSummarySerializer(many=True, read_only=True)
    watchlist_movies = MovieSummarySerializer(many=True, read_only=True)

    class Meta:
        model = UserProfile
        fields = [
            "id",
            "user",
            "phone_number",
            "favorite_movies",
            "watched_movies",
            "watchlist_movies",
            "is_public",
        ]
        read_only_fields = fields

    def get_phone_number(self, profile) -> str | None:
        return _phone(profile)


class UserReferenceField(serializers.Field):
    """A user id; the read shape ``{"id": ...}`` is accepted too, so a client may send
    back what it read."""

    default_error_messages = {"invalid": "Give a user id."}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("id")
        if isinstance(data, bool):
            self.fail("invalid")
        try:
            return int(data)
        except (TypeError, ValueError):
            self.fail("invalid")

    def to_representation(self, value):
        return value


class ProfileWriteSerializer(serializers.Serializer):
    """What a client sends. ``user`` and ``phone_number`` are for admins (others may
    only send them back unchanged); the lists are movie ids."""

    user = UserReferenceField(required=False, help_text="Account id (admins only).")
    phone_number = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=32,
        help_text="E.164 mobile number (admins only); null to clear.",
    )
    favorite_movies = serializers.ListField(
        child=serializers.IntegerField(min_value=1), help_text="Movie ids."
    )
    watched_movies = serializers.ListField(
        child=serializers.IntegerField(min_value=1), help_text="Movie ids."
    )
    watchlist_movies = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="Movie ids (optional even in a PUT; ones marked watched by it leave).",
    )
    is_public = serializers.BooleanField(
        required=False, help_text="Show the public profile at /u/<username>/."
    )
