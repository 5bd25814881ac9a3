"""The small shared pieces: UNSET, is_admin, add_service_errors, the form throttle."""

from __future__ import annotations

import copy
import pickle

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.forms import RateLimitedFormMixin, add_service_errors, wait_text
from core.permissions import is_admin
from core.sentinels import UNSET
from core.throttles import FormPostThrottle


def test_unset_is_one_falsy_object_that_survives_copies():
    from core import sentinels

    assert sentinels._Unset() is UNSET
    assert copy.copy(UNSET) is UNSET
    assert copy.deepcopy({"x": UNSET})["x"] is UNSET
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET  # noqa: S301 (our own bytes)
    assert not UNSET
    assert UNSET is not None
    assert repr(UNSET) == "UNSET"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", False), ("user", False), ("other", False), ("admin", True), ("gone", False)],
)
def test_is_admin_means_an_active_staff_account(user, other_user, admin_user, who, expected):
    people = {"anonymous": AnonymousUser(), "user": user, "other": other_user, "admin": admin_user}
    if who == "gone":
        admin_user.is_active = False
        people["gone"] = admin_user
    assert is_admin(people[who]) is expected
    assert is_admin(None) is False


class TicketForm(forms.Form):
    movie = forms.IntegerField(required=False)
    body = forms.CharField(required=False)


def test_service_errors_land_on_the_fields_they_name():
    form = TicketForm({})
    assert form.is_valid()
    error = ValidationError(
        {"movie_id": ["No such movie."], "body": ["Write a message."], "priority": ["Bad."]}
    )

    add_service_errors(form, error, {"movie_id": "movie"})

    assert form.errors == {
        "movie": ["No such movie."],
        "body": ["Write a message."],
        "__all__": ["Bad."],
    }


def test_a_service_error_without_fields_goes_above_the_form():
    form = TicketForm({})
    form.is_valid()
    add_service_errors(form, ValidationError("Try again later."))
    assert form.non_field_errors() == ["Try again later."]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "1 second"), (1, "1 second"), (42, "42 seconds"), (60, "1 minute"), (61, "2 minutes")],
)
def test_wait_text_rounds_up_for_people(seconds, text):
    assert wait_text(seconds) == text


class PasswordCheckForm(forms.Form):
    name = forms.CharField()
    checked = False

    def clean(self):
        self.checked = True  # a password check, an email sent...
        return super().clean()


class LimitedForm(RateLimitedFormMixin, PasswordCheckForm):
    pass


def test_a_rate_limited_form_is_invalid_with_one_message_and_checks_nothing():
    form = LimitedForm({"name": "x"}, retry_after=90)
    assert not form.is_valid()
    assert form.non_field_errors() == ["Too many attempts. Please wait 2 minutes and try again."]
    assert form.checked is False

    free = LimitedForm({"name": "x"})
    assert free.is_valid()
    assert free.checked is True


def test_the_form_throttle_counts_per_page_and_address(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login": "2/min"},
    }
    factory = RequestFactory()
    here = factory.post("/", REMOTE_ADDR="10.0.0.1")
    there = factory.post("/", REMOTE_ADDR="10.0.0.2")

    allowed = [FormPostThrottle("login").allow_request(here, None) for _ in range(3)]

    assert allowed == [True, True, False]
    assert FormPostThrottle("login").allow_request(there, None) is True
    assert FormPostThrottle("login").get_cache_key(here, None) == "throttle_page_login_10.0.0.1"
