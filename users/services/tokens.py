"""Refresh tokens (JWT): rotation, logging out and revoking every token of an account."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken


def refresh_tokens_revoke(*, user: AbstractBaseUser) -> int:
    """Blacklist every refresh token of ``user`` still outstanding; returns how many."""
    live = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    revoked = 0
    for token in live:
        BlacklistedToken.objects.get_or_create(token=token)
        revoked += 1
    return revoked


def user_logout(*, user: AbstractBaseUser, refresh: str) -> None:
    """Blacklist the caller's refresh token so it can no longer be used."""
    try:
        token = RefreshToken(refresh)
    except TokenError:
        raise ValidationError({"refresh": ["The token is invalid or expired."]}) from None
    if str(token.get(jwt_settings.USER_ID_CLAIM)) != str(user.pk):
        raise ValidationError({"refresh": ["This token does not belong to you."]})
    token.blacklist()


@transaction.atomic
def refresh_rotate(*, token: RefreshToken) -> dict[str, str]:
    """Spend ``token`` (already verified: signature, expiry, blacklist) for a new access
    token and a new refresh token: ``{"access", "refresh"}``.

    Exactly one of concurrent rotations of one token wins: the token's outstanding row is
    locked, and only the rotation that blacklists it goes on; the others raise
    ``TokenError`` ("Token is blacklisted", a 401), as a token used twice would. Without
    this, ten parallel refreshes of one stolen token made ten live token chains.
    """
    token.outstand()  # the row exists for every token made at login; this is a safety net
    outstanding = OutstandingToken.objects.select_for_update().get(
        jti=token.payload[jwt_settings.JTI_CLAIM]
    )
    _, created = BlacklistedToken.objects.get_or_create(token=outstanding)
    if not created:
        raise TokenError("Token is blacklisted")
    data = {"access": str(token.access_token)}
    token.set_jti()
    token.set_exp()
    token.set_iat()
    token.outstand()
    data["refresh"] = str(token)
    return data
