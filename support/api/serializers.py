"""Shapes of the support desk over REST: a ticket as API.md describes it, and what clients send."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_yasg.utils import swagger_serializer_method
from rest_framework import serializers

from support.models import TEXT_MAX_LENGTH, Ticket, TicketComment


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
        ]
        read_only_fields = fields

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
