"""Shapes of the support desk over REST: a ticket as API.md describes it, and what clients send."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_yasg.utils import swagger_serializer_method
from rest_framework import serializers

from support.models import TEXT_MAX_LENGTH, Ticket, TicketComment
from support.selectors import is_agent


class UserRefSerializer(serializers.Serializer):
    """A person on a ticket: ``{id, username}``."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class AssigneeSerializer(UserRefSerializer):
    """The agent a ticket is assigned to, or ``null`` (its own schema, declared nullable)."""

    class Meta:
        ref_name = "Assignee"


class TicketMovieSerializer(serializers.Serializer):
    """The movie a ticket is about: its catalogue id and the title kept when it was filed."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class TicketReviewSerializer(serializers.Serializer):
    """The member review a ``review`` ticket reports. Agents get all of it; the reporter
    only its ``id`` (a review support hid is not shown to them again)."""

    id = serializers.IntegerField(read_only=True)
    movie_id = serializers.IntegerField(read_only=True, required=False)
    author = UserRefSerializer(read_only=True, required=False)
    score = serializers.DecimalField(
        max_digits=2, decimal_places=1, coerce_to_string=False, read_only=True, required=False
    )
    review = serializers.CharField(read_only=True, required=False)
    spoiler = serializers.BooleanField(read_only=True, required=False)
    hidden = serializers.BooleanField(read_only=True, required=False)


class TicketSerializer(serializers.ModelSerializer):
    """A ticket as read."""

    reference = serializers.CharField(read_only=True, help_text="SUP- and the id on six digits.")
    movie = serializers.SerializerMethodField()
    requester = UserRefSerializer(read_only=True)
    assignee = AssigneeSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "reference",
            "subject",
            "description",
            "category",
            "priority",
            "status",
            "movie",
            "requester",
            "assignee",
            "created_at",
            "updated_at",
            "resolved_at",
            "review",
        ]
        read_only_fields = fields

    review = serializers.SerializerMethodField()

    @swagger_serializer_method(serializer_or_field=TicketReviewSerializer(allow_null=True))
    def get_review(self, ticket: Ticket) -> dict | None:
        review = ticket.review
        if review is None:
            return None
        request = self.context.get("request")
        if not is_agent(getattr(request, "user", None)):
            return {"id": review.pk}
        return {
            "id": review.pk,
            "movie_id": review.movie_id,
            "author": {"id": review.user_id, "username": review.user.get_username()},
            "score": review.score,
            "review": review.review,
            "spoiler": review.spoiler,
            "hidden": review.hidden,
        }

    @swagger_serializer_method(serializer_or_field=TicketMovieSerializer(allow_null=True))
    def get_movie(self, ticket: Ticket) -> dict | None:
        if ticket.movie_id is None:
            return None
        return {"id": ticket.movie_id, "title": ticket.movie_title}


class TicketCreateSerializer(serializers.Serializer):
    """What a user sends to file a ticket."""

    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    category = serializers.ChoiceField(choices=Ticket.Category.choices)
    priority = serializers.ChoiceField(
        choices=Ticket.Priority.choices, default=Ticket.Priority.NORMAL
    )
    movie_id = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of a movie that /graphql/ knows; its title is kept on the ticket.",
    )


class TicketUpdateSerializer(serializers.Serializer):
    """What an agent may change on a ticket with PATCH (any subset)."""

    assignee_id = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
        help_text="A support agent's user id, or null to unassign.",
    )
    priority = serializers.ChoiceField(choices=Ticket.Priority.choices, required=False)
    category = serializers.ChoiceField(choices=Ticket.Category.choices, required=False)

    def validate(self, attrs):
        if "status" in self.initial_data:
            raise serializers.ValidationError(
                {"status": ["Change the status with POST /api/support/tickets/<id>/transition/."]}
            )
        return attrs

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        if "assignee_id" in data:
            data["assignee"] = data.pop("assignee_id")
        return data


class TicketTransitionSerializer(serializers.Serializer):
    """A status move: ``{status}``."""

    status = serializers.ChoiceField(choices=Ticket.Status.choices)


class CommentSerializer(serializers.ModelSerializer):
    """A message on a ticket as read."""

    author = UserRefSerializer(read_only=True)

    class Meta:
        model = TicketComment
        fields = ["id", "author", "body", "internal", "created_at"]
        read_only_fields = fields


class CommentCreateSerializer(serializers.Serializer):
    """A reply (``internal`` false) or, for agents, an internal note."""

    body = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    internal = serializers.BooleanField(
        default=False, help_text="An internal note, for agents only; requesters send false."
    )


class ReviewReportSerializer(serializers.Serializer):
    """``POST {reason}``: what is wrong with the review (checked by the service)."""

    reason = serializers.CharField(trim_whitespace=False, allow_blank=True)


class ReviewHiddenSerializer(serializers.Serializer):
    """``POST {hidden}``: ``true`` hides the reported review, ``false`` shows it again."""

    hidden = serializers.BooleanField()
