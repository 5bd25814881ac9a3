"""REST views of the support desk: shape and validate, then call a selector or a service."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_yasg import openapi
from drf_yasg.utils import swagger_auto_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.ids import parse_id
from support import selectors, services
from support.catalogue import CatalogueUnavailable
from support.filters import TicketFilter
from support.models import Ticket
from support.throttles import TicketWriteThrottle
from users import selectors as member_selectors

from .serializers import (
    CommentCreateSerializer,
    CommentSerializer,
    ReviewHiddenSerializer,
    ReviewReportSerializer,
    TicketCreateSerializer,
    TicketSerializer,
    TicketTransitionSerializer,
    TicketUpdateSerializer,
)


class ServiceUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The movie catalogue is not answering right now. Please try again shortly."
    default_code = "catalogue_unavailable"


_ERROR_RESPONSES = {
    400: "Bad input, by field.",
    401: "Not logged in.",
    404: "No such ticket, or not yours.",
}


class TicketViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Support tickets. A requester sees and files their own; support agents
    (staff, or the group "Support agents") see, assign, answer and move all of them."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [TicketWriteThrottle]
    serializer_class = TicketSerializer
    filterset_class = TicketFilter
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Ticket.objects.none()
        return selectors.ticket_list(user=self.request.user)

    def handle_exception(self, exc):
        if isinstance(exc, CatalogueUnavailable):
            exc = ServiceUnavailable(exc.message)
        return super().handle_exception(exc)

    def _read(self, ticket: Ticket, status_code: int = status.HTTP_200_OK) -> Response:
        ticket = selectors.ticket_get(user=self.request.user, ticket_id=ticket.pk)
        return Response(
            TicketSerializer(ticket, context=self.get_serializer_context()).data, status=status_code
        )

    @swagger_auto_schema(
        operation_description="Tickets the caller may see (own; all for agents), newest first.",
        responses={401: _ERROR_RESPONSES[401]},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @swagger_auto_schema(
        request_body=TicketCreateSerializer,
        responses={
            201: TicketSerializer,
            400: _ERROR_RESPONSES[400],
            401: _ERROR_RESPONSES[401],
            503: "The catalogue could not check movie_id.",
        },
    )
    def create(self, request, *args, **kwargs):
        serializer = TicketCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = services.ticket_create(requester=request.user, **serializer.validated_data)
        return self._read(ticket, status.HTTP_201_CREATED)

    @swagger_auto_schema(responses={200: TicketSerializer, 404: _ERROR_RESPONSES[404]})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @swagger_auto_schema(
        request_body=TicketUpdateSerializer,
        responses={
            200: TicketSerializer,
            400: _ERROR_RESPONSES[400],
            403: "Only support agents change tickets.",
            404: _ERROR_RESPONSES[404],
        },
    )
    def partial_update(self, request, *args, **kwargs):
        ticket = self.get_object()
        if not selectors.is_agent(request.user):
            # Refused before the body is validated, so an unknown and an existing
            # assignee_id get the same answer and user ids cannot be probed.
            raise PermissionDenied
        serializer = TicketUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.ticket_update(ticket=ticket, actor=request.user, **serializer.to_service_kwargs())
        return self._read(ticket)

    @swagger_auto_schema(
        request_body=TicketTransitionSerializer,
        responses={
            200: TicketSerializer,
            400: "The status map or the caller's role refuses the move.",
            404: _ERROR_RESPONSES[404],
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, *args, **kwargs):
        """Move the ticket to another status, as the status map and the caller's role allow."""
        ticket = self.get_object()
        serializer = TicketTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.ticket_transition(
            ticket=ticket, user=request.user, status=serializer.validated_data["status"]
        )
        return self._read(ticket)

    @swagger_auto_schema(
        method="get",
        operation_description="The conversation, oldest first; requesters see public replies only.",
        responses={200: CommentSerializer(many=True), 404: _ERROR_RESPONSES[404]},
        paginated=True,
        manual_parameters=[
            openapi.Parameter("page", openapi.IN_QUERY, type=openapi.TYPE_INTEGER),
            openapi.Parameter("page_size", openapi.IN_QUERY, type=openapi.TYPE_INTEGER),
        ],
    )
    @swagger_auto_schema(
        method="post",
        request_body=CommentCreateSerializer,
        responses={201: CommentSerializer, 400: _ERROR_RESPONSES[400], 404: _ERROR_RESPONSES[404]},
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, filter_backends=[])
    def comments(self, request, *args, **kwargs):
        """Read the conversation, or add a reply (agents: or an internal note)."""
        ticket = self.get_object()
        if request.method == "POST":
            serializer = CommentCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            comment = services.comment_add(
                ticket=ticket, author=request.user, **serializer.validated_data
            )
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        comments = selectors.comment_list(user=request.user, ticket=ticket)
        page = self.paginate_queryset(comments)
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @swagger_auto_schema(
        request_body=ReviewHiddenSerializer,
        responses={
            200: TicketSerializer,
            400: "Not a ticket about a review, or bad input.",
            403: "Only support agents hide reviews.",
            404: _ERROR_RESPONSES[404],
        },
    )
    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request, *args, **kwargs):
        """Hide the reported review (``{"hidden": true}``) or show it again (``false``)."""
        ticket = self.get_object()
        serializer = ReviewHiddenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if ticket.review is None:
            raise ValidationError({"review": ["This ticket reports no review."]})
        services.review_set_hidden(
            review=ticket.review,
            hidden=serializer.validated_data["hidden"],
            actor=request.user,
            ticket=ticket,
        )
        return self._read(ticket)


class ReviewReportView(APIView):
    """``POST /api/movies/<id>/reviews/<id>/report/ {reason}``: report a member review to
    support (``202``). Once a member a review: reporting it again is ``202`` too and opens
    nothing new. A review the caller cannot see (unknown, or hidden) is ``404``."""

    permission_classes = [IsAuthenticated]

    @swagger_auto_schema(
        request_body=ReviewReportSerializer,
        responses={202: "Reported.", 400: "Bad input, by field.", 401: "Not logged in."},
    )
    def post(self, request, movie_id: str, review_id: str):
        movie, review = parse_id(movie_id), parse_id(review_id)
        found = None
        if movie is not None and review is not None:
            found = member_selectors.review_get(
                movie_id=movie, review_id=review, viewer=request.user
            )
        if found is None:
            raise NotFound("No such review.")
        serializer = ReviewReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.review_report(
                reporter=request.user, review=found, reason=serializer.validated_data["reason"]
            )
        except CatalogueUnavailable as exc:
            raise ServiceUnavailable(exc.message) from None
        return Response(
            {"detail": "Thank you: support will look at this review."},
            status=status.HTTP_202_ACCEPTED,
        )
