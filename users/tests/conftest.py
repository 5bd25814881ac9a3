"""Helpers for the accounts tests."""

from __future__ import annotations

import re

import pytest

from users import services, sms
from users.sms import BaseSmsBackend, SmsMessage, SmsSendError

from .factories import PASSWORD

PHONE = "+14155550123"


def code_in(message: SmsMessage) -> str:
    """The 6-digit code in a text message."""
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match, message.body
    return match.group(1)


def last_code(to: str = PHONE) -> str:
    """The code in the latest message sent to ``to``."""
    messages = [message for message in sms.outbox if message.to == to]
    assert messages, f"no SMS was sent to {to}"
    return code_in(messages[-1])


class FailingSmsBackend(BaseSmsBackend):
    """Takes the message, then fails as a provider outage would."""

    attempted: list[SmsMessage] = []

    def send_message(self, message: SmsMessage) -> None:
        FailingSmsBackend.attempted.append(message)
        raise SmsSendError("provider down")


@pytest.fixture
def failing_sms(settings):
    settings.SMS_BACKEND = "users.tests.conftest.FailingSmsBackend"
    FailingSmsBackend.attempted = []
    return FailingSmsBackend.attempted


@pytest.fixture
def register(db):
    """Register through the service with good defaults; keyword arguments override them."""

    def _register(**overrides):
        data = {
            "username": "carol",
            "email": "carol@example.com",
            "password": PASSWORD,
            "phone_number": PHONE,
            **overrides,
        }
        return services.user_register(**data)

    return _register


@pytest.fixture
def clock(time_machine):
    """A stopped clock at a fixed moment; ``clock.shift(seconds)`` moves it."""
    time_machine.move_to("2026-03-01T12:00:00Z", tick=False)
    return time_machine


@pytest.fixture
def support_agent(settings, django_user_model):
    """A member of the "Support agents" group (not staff)."""
    from django.contrib.auth.models import Group

    agent = django_user_model.objects.create_user(
        username="agnes", email="agnes@example.com", password=PASSWORD
    )
    group, _ = Group.objects.get_or_create(name=settings.SUPPORT_AGENT_GROUP)
    agent.groups.add(group)
    return agent


@pytest.fixture
def client_as(user, other_user, support_agent, admin_user):
    """``client_as(role)``: an API client for "anonymous", "member" (alice), "other"
    (bob), "agent" or "admin"."""
    from rest_framework.test import APIClient

    from core.tests.clients import rest_client

    people = {
        "anonymous": None,
        "member": user,
        "other": other_user,
        "agent": support_agent,
        "admin": admin_user,
    }

    def make(role: str) -> APIClient:
        return rest_client(people[role])

    return make


ROLES = ("anonymous", "member", "other", "agent", "admin")
