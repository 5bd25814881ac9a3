"""REST views of accounts: thin; the rules are in ``users.services`` and ``users.selectors``."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_yasg import openapi
from drf_yasg.utils import no_body, swagger_auto_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from core.ids import parse_id
from movies.models import Movie
from users import selectors, services
from users.login_defence import LoginThrottle
from users.sms import SmsSendError

from .serializers import (
    DetailSerializer,
    LoginResponseSerializer,
    LoginSerializer,
    LogoutSerializer,
    OtpResendSerializer,
    OtpVerifySerializer,
    PasswordResetConfirmSerializer,
    PasswordResetRequestSerializer,
    ProfileSerializer,
    ProfileWriteSerializer,
    RefreshResponseSerializer,
    RefreshSerializer,
    RegisteredUserSerializer,
    RegisterSerializer,
)
from .throttles import ScopedRateThrottle

RESEND_ANSWER = (
    "If this number has a registration waiting for its code, a new code is on its way. "
    "A number gets at most one code a minute and five an hour."
)
RESET_ANSWER = "If an active account uses this address, a password reset email is on its way."

ERRORS = {400: "Bad input, by field.", 429: "Too many requests; see Retry-After."}


class SmsUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The text message could not be sent. Nothing was saved; please try again."
    default_code = "sms_unavailable"


def _send_limited(exc: services.OtpSendLimited) -> Throttled:
    return Throttled(wait=exc.retry_after, detail=str(exc))


class PublicView(APIView):
    """Anyone may call it; no authentication is read (so a stale token or a session
    without CSRF cannot get in the way); throttled by ``throttle_scope``."""

    authentication_classes = ()
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]


class RegisterView(PublicView):
    throttle_scope = "register"

    @swagger_auto_schema(
        request_body=RegisterSerializer,
        responses={201: RegisteredUserSerializer, **ERRORS, 503: "The SMS could not be sent."},
        operation_description="Create an inactive account and text a verification code to "
        "its phone number. Retrying with the same username and password re-sends the "
        "code to the (possibly corrected) number.",
    )
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = services.user_register(**serializer.validated_data)
        except SmsSendError:
            raise SmsUnavailable() from None
        except services.OtpSendLimited as exc:
            raise _send_limited(exc) from None
        return Response(RegisteredUserSerializer(user).data, status=status.HTTP_201_CREATED)


class OtpVerifyView(PublicView):
    throttle_scope = "otp_verify"

    @swagger_auto_schema(
        request_body=OtpVerifySerializer,
        responses={200: RegisteredUserSerializer, **ERRORS},
        operation_description="Enter the code texted at registration: the number is "
        "verified and the account becomes active. A wrong, expired or used code all "
        "get the same 400.",
    )
    def post(self, request):
        serializer = OtpVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.otp_verify(**serializer.validated_data)
        return Response(RegisteredUserSerializer(user).data)


class OtpResendView(PublicView):
    throttle_scope = "otp_resend"

    @swagger_auto_schema(
        request_body=OtpResendSerializer,
        responses={202: DetailSerializer, **ERRORS, 503: "The SMS could not be sent."},
        operation_description="Text a new code to a number whose registration waits for "
        "one. The answer is the same whether or not the number is known.",
    )
    def post(self, request):
        serializer = OtpResendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.otp_resend(**serializer.validated_data)
        except SmsSendError:
            raise SmsUnavailable(
                "The text message could not be sent; please try again later."
            ) from None
        return Response({"detail": RESEND_ANSWER}, status=status.HTTP_202_ACCEPTED)


class LoginView(TokenObtainPairView):
    """Username and password for a JWT pair and the user; wrong, unknown, inactive or
    locked out (``users.login_defence``): the same 401."""

    serializer_class = LoginSerializer
    throttle_classes = [LoginThrottle]  # one budget with the site's and the admin's logins

    @swagger_auto_schema(
        request_body=LoginSerializer,
        responses={
            200: LoginResponseSerializer,
            401: "Wrong, unknown or inactive account.",
            429: ERRORS[429],
        },
        security=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class RefreshView(TokenRefreshView):
    """A new access token and a new refresh token; the old refresh token is blacklisted."""

    serializer_class = RefreshSerializer

    @swagger_auto_schema(
        request_body=RefreshSerializer,
        responses={200: RefreshResponseSerializer, 401: "Invalid, expired or revoked token."},
        security=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @swagger_auto_schema(
        request_body=LogoutSerializer,
        responses={204: "The refresh token is revoked.", 400: ERRORS[400], 401: "Not logged in."},
    )
    def post(self, request):
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_logout(user=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetRequestView(PublicView):
    throttle_scope = "password_reset"

    @swagger_auto_schema(
        request_body=PasswordResetRequestSerializer,
        responses={202: DetailSerializer, **ERRORS},
        operation_description="Email a reset link (with its uid and token) to the active "
        "accounts using this address. The same answer whether or not it is known.",
    )
    def post(self, request):
        serializer = PasswordResetRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(**serializer.validated_data)
        return Response({"detail": RESET_ANSWER}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(PublicView):
    throttle_scope = "password_reset"

    @swagger_auto_schema(
        request_body=PasswordResetConfirmSerializer,
        responses={200: DetailSerializer, **ERRORS},
        operation_description="Set a new password with the uid and token from the email. "
        "Every refresh token of the account stops working.",
    )
    def post(self, request):
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_confirm(**serializer.validated_data)
        return Response({"detail": "Your password has been changed. Please log in again."})


MOVIE_ID = openapi.Parameter("movie_id", openapi.IN_PATH, type=openapi.TYPE_INTEGER)
NOT_LOGGED_IN = "Not logged in."
NOT_YOURS = "No such profile, or not yours."
WRITE_RESPONSES = {200: ProfileSerializer, 400: ERRORS[400], 401: NOT_LOGGED_IN, 404: NOT_YOURS}
#: The OpenAPI description of the three list toggles (PUT adds, DELETE removes).
TOGGLE_SCHEMA = swagger_auto_schema(
    methods=["put", "delete"],
    manual_parameters=[MOVIE_ID],
    request_body=no_body,
    responses={204: "Done (again: still done).", 404: "No such movie (PUT)."},
)


class ProfileViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Profiles: an admin sees and manages all, a user only their own (another's is 404).

    ``DELETE`` closes the account the profile belongs to.
    """

    serializer_class = ProfileSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"\d+"
    queryset = selectors.profile_queryset().none()  # for the schema; see get_queryset

    def get_queryset(self):
        return selectors.profile_list(user=self.request.user)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Accounts made by createsuperuser or the admin have no profile until first seen.
        services.profile_get_or_create(user=request.user)

    def _read(self, profile, status_code=status.HTTP_200_OK) -> Response:
        profile = selectors.profile_get(user=self.request.user, profile_id=profile.pk)
        if profile is None:
            raise Http404
        return Response(self.get_serializer(profile).data, status=status_code)

    def _write(self, request, profile, *, partial: bool) -> Response:
        serializer = ProfileWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.profile_update(profile=profile, by=request.user, **serializer.validated_data)
        return self._read(profile)

    @swagger_auto_schema(responses={200: ProfileSerializer(many=True), 401: NOT_LOGGED_IN})
    def list(self, request, *args, **kwargs):
        """Admins: every profile. Anyone else: a list holding their own profile."""
        return super().list(request, *args, **kwargs)

    @swagger_auto_schema(responses={200: ProfileSerializer, 401: NOT_LOGGED_IN, 404: NOT_YOURS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @swagger_auto_schema(
        responses={204: "The account is closed.", 401: NOT_LOGGED_IN, 404: NOT_YOURS}
    )
    def destroy(self, request, *args, **kwargs):
        """Close the account the profile belongs to."""
        return super().destroy(request, *args, **kwargs)

    @swagger_auto_schema(
        request_body=ProfileWriteSerializer,
        responses={201: ProfileSerializer, 400: ERRORS[400], 401: NOT_LOGGED_IN},
    )
    def create(self, request, *args, **kwargs):
        serializer = ProfileWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        profile = services.profile_create(by=request.user, **serializer.validated_data)
        return self._read(profile, status.HTTP_201_CREATED)

    @swagger_auto_schema(request_body=ProfileWriteSerializer, responses=WRITE_RESPONSES)
    def update(self, request, *args, **kwargs):
        return self._write(request, self.get_object(), partial=kwargs.get("partial", False))

    @swagger_auto_schema(request_body=ProfileWriteSerializer, responses=WRITE_RESPONSES)
    def partial_update(self, request, *args, **kwargs):
        return self._write(request, self.get_object(), partial=True)

    def perform_destroy(self, instance):
        services.profile_delete(profile=instance, by=self.request.user)

    def _own(self):
        return selectors.profile_of(user=self.request.user)

    def get_object(self):
        # The me/ routes carry no id: their object is the caller's own profile. DRF's
        # OPTIONS metadata asks for it (to describe PUT); without this it was a 500.
        if (self.lookup_url_kwarg or self.lookup_field) not in self.kwargs:
            return self._own()
        return super().get_object()

    @swagger_auto_schema(method="get", responses={200: ProfileSerializer})
    @swagger_auto_schema(
        method="patch", request_body=ProfileWriteSerializer, responses={200: ProfileSerializer}
    )
    @action(detail=False, methods=["get", "patch"], url_path="me")
    def me(self, request):
        """The caller's own profile."""
        if request.method == "PATCH":
            return self._write(request, self._own(), partial=True)
        return Response(self.get_serializer(self._own()).data)

    def _toggle(self, request, movie_id: str, *, add, remove):
        """PUT: 404 for an id no movie has (also one beyond a bigint, which SQLite
        cannot bind); DELETE: 204 whatever the id, as removing is idempotent."""
        profile = self._own()
        number = parse_id(movie_id)
        if request.method == "PUT":
            if number is None:
                raise Http404
            get_object_or_404(Movie.objects.only("id"), pk=number)
            add(profile=profile, movie_id=number)
        else:
            remove(profile=profile, movie_id=movie_id)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @TOGGLE_SCHEMA
    @action(
        detail=False,
        methods=["put", "delete"],
        url_path=r"me/favorites/(?P<movie_id>\d+)",
        url_name="me-favorite",
    )
    def favorite(self, request, movie_id: str):
        """PUT adds the movie to the caller's favorites, DELETE removes it; both idempotent."""
        return self._toggle(
            request, movie_id, add=services.favorite_add, remove=services.favorite_remove
        )

    @TOGGLE_SCHEMA
    @action(
        detail=False,
        methods=["put", "delete"],
        url_path=r"me/watched/(?P<movie_id>\d+)",
        url_name="me-watched",
    )
    def watched(self, request, movie_id: str):
        """PUT marks the movie watched by the caller (which takes it off their
        watchlist), DELETE unmarks it; both idempotent."""
        return self._toggle(
            request, movie_id, add=services.watched_add, remove=services.watched_remove
        )

    @TOGGLE_SCHEMA
    @action(
        detail=False,
        methods=["put", "delete"],
        url_path=r"me/watchlist/(?P<movie_id>\d+)",
        url_name="me-watchlist",
    )
    def watchlist(self, request, movie_id: str):
        """PUT puts the movie on the caller's watchlist, DELETE takes it off; both
        idempotent."""
        return self._toggle(
            request, movie_id, add=services.watchlist_add, remove=services.watchlist_remove
        )
