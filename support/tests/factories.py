"""Factories for the support desk's tests."""

from __future__ import annotations

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from support.models import Ticket, TicketComment, TicketEvent


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct horse battery")


class AgentFactory(UserFactory):
    """A support agent who is not staff: a member of the "Support agents" group."""

    username = factory.Sequence(lambda n: f"agent{n}")

    @factory.post_generation
    def agent_group(self, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=settings.SUPPORT_AGENT_GROUP)
            self.groups.add(group)


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    subject = factory.Sequence(lambda n: f"Problem {n}")
    description = factory.Faker("paragraph")
    category = Ticket.Category.OTHER
    priority = Ticket.Priority.NORMAL
    status = Ticket.Status.NEW
    requester = factory.SubFactory(UserFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketComment

    ticket = factory.SubFactory(TicketFactory)
    author = factory.SelfAttribute("ticket.requester")
    body = factory.Faker("sentence")
    internal = False


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketEvent

    ticket = factory.SubFactory(TicketFactory)
    actor = factory.SelfAttribute("ticket.requester")
    field = TicketEvent.Field.PRIORITY
    old_value = Ticket.Priority.NORMAL
    new_value = Ticket.Priority.HIGH
