"""Registration pages: the form, the SMS code page with its resend cooldown, and the way
from "log in" to the code page for a registration that was never finished. Every OTP
rule comes from ``users.services``; these tests check the pages show each outcome."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from users import services
from users.models import UserProfile
from users.views import PENDING_SESSION_KEY

from .conftest import PHONE, code_in, last_code
from .factories import PASSWORD, UserFactory, UserProfileFactory

pytestmark = pytest.mark.django_db

User = get_user_model()

REGISTER = reverse("users:register")
VERIFY = reverse("users:verify")
RESEND = reverse("users:verify_resend")
LOGIN = reverse("users:login")
HOME = reverse("movies:list")
HTMX = {"HTTP_HX_REQUEST": "true"}
INVALID_CODE = "The code is invalid or has expired."

FORM = {
    "username": "carol",
    "email": "carol@example.com",
    "password": PASSWORD,
    "password_confirmation": PASSWORD,
    "phone_number": "+1 415 555 0123",
}


def register(client: Client, **overrides):
    return client.post(REGISTER, {**FORM, **overrides})


def logged_in_as(client: Client):
    user_id = client.session.get(SESSION_KEY)
    return int(user_id) if user_id else None


def csrf_token(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def set_rate(settings, scope: str, rate: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            scope: rate,
        },
    }


@pytest.fixture
def registered(client, sms_outbox, clock) -> Client:
    """A browser that has just registered carol and was sent to the code page (on the
    stopped ``clock``, which tests may move)."""
    assertRedirects(register(client), VERIFY)
    assert len(sms_outbox) == 1
    return client


# --- The registration form -------------------------------------------------------------------


def test_register_page_shows_a_labelled_form(client):
    response = client.get(REGISTER)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Create an account · Reelhouse</title>" in page
    for field, label in [
        ("username", "Username"),
        ("email", "Email address"),
        ("password", "Password"),
        ("password_confirmation", "Confirm password"),
        ("phone_number", "Mobile phone number"),
    ]:
        # The label's text is exactly the label: the "required" asterisk is drawn by CSS.
        assert re.search(rf'<label\s+for="id_{field}"[^>]*>\s*{label}\s*</label>', page), field
    assert 'autocomplete="new-password"' in page
    assert 'type="tel"' in page
    assert 'autocomplete="tel"' in page
    assert re.search(r'<button type="submit"[^>]*>Create the account</button>', page)
    assert f'href="{LOGIN}">Log in</a>' in page


def test_logged_in_user_visiting_register_goes_to_the_movies(client, user):
    client.force_login(user)
    assertRedirects(client.get(REGISTER), HOME)


def test_registering_makes_an_inactive_account_and_sends_to_the_code_page(client, sms_outbox):
    response = register(client)

    # The number travels in the session, never in the URL.
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    user = User.objects.get(username="carol")
    assert not user.is_active
    assert UserProfile.objects.get(user=user).is_pending
    assert [message.to for message in sms_outbox] == [PHONE]
    assert client.session[PENDING_SESSION_KEY] == {"user_id": user.pk, "phone_number": PHONE}
    assert logged_in_as(client) is None

    page = client.get(VERIFY)
    # Said once (issue 16: a flash message repeated the page's own sentence).
    assertContains(page, "We sent a 6-digit code by text message to", count=1)
    assertContains(page, '<strong class="text-nowrap">+1 415-555-0123</strong>')


def test_required_fields_and_a_mistyped_confirmation_are_errors_before_anything_is_sent(
    client, sms_outbox
):
    response = client.post(REGISTER, {"password": "one thing", "password_confirmation": "other"})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["username"] == ["This field is required."]
    assert errors["phone_number"] == ["This field is required."]
    assert errors["password_confirmation"] == ["The two passwords do not match."]
    assertContains(response, 'id="id_password_confirmation_error"')
    assert not User.objects.exists()
    assert sms_outbox == []


def test_every_bad_value_shows_on_its_field_at_once(client, sms_outbox):
    response = register(
        client,
        username="no spaces allowed",
        email="not-an-email",
        password="password",
        password_confirmation="password",
        phone_number="+442071838750",  # a London landline: no SMS
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"username", "email", "password", "phone_number"}
    assert errors["email"] == ["Enter a valid email address."]
    assert "This password is too common." in errors["password"]
    assert errors["phone_number"] == ["Enter a mobile number that can receive text messages."]
    assertContains(response, "Enter a mobile number that can receive text messages.")
    assertContains(response, 'id="id_password_error"')
    assert sms_outbox == []
    assert not User.objects.exists()


def test_a_taken_username_and_email_show_on_their_fields(client, sms_outbox):
    UserFactory(username="taken", email="taken@example.com")

    response = register(client, username="Taken", email="TAKEN@example.com")

    assert response.context["form"].errors == {
        "username": [services.USERNAME_TAKEN_MESSAGE],
        "email": [services.EMAIL_TAKEN_MESSAGE],
    }
    assert sms_outbox == []
    assert User.objects.count() == 1


def test_a_number_of_a_verified_account_is_refused_on_its_field(client):
    UserProfileFactory(phone_number=PHONE)

    response = register(client)

    assert response.context["form"].errors == {"phone_number": [services.PHONE_TAKEN_MESSAGE]}


def test_an_email_too_long_for_the_column_is_a_form_error(client):
    response = register(client, email="a" * 60 + "@" + ("b" * 60 + ".") * 4 + "com")

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Ensure this field has no more than 254 characters."]
    }


def test_when_the_sms_cannot_be_sent_the_form_says_so_and_nothing_is_kept(client, failing_sms):
    response = register(client)

    assert response.status_code == 200
    assert len(failing_sms) == 1
    assert response.context["form"].non_field_errors() == [
        "We could not send the text message just now. Nothing was saved; please try again "
        "in a moment."
    ]
    assertContains(response, "We could not send the text message just now.")
    assert not User.objects.exists()
    assert PENDING_SESSION_KEY not in client.session


def test_a_number_that_just_had_a_code_is_a_form_error_with_the_wait(client, sms_outbox):
    assert register(client).status_code == 302
    other = Client()

    response = register(other, username="dave", email="dave@example.com")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assertContains(
        response,
        "Too many codes were sent to this number lately. Please wait 1 minute and try again.",
        status_code=429,
    )
    assert not User.objects.filter(username="dave").exists()
    assert len(sms_outbox) == 1


def test_registration_is_rate_limited_per_client(client, settings, sms_outbox):
    set_rate(settings, "register", "2/hour")
    assert register(client, username="").status_code == 200
    assert register(client, username="").status_code == 200

    response = register(client)

    assert response.status_code == 429
    assertContains(response, "Too many attempts. Please wait", status_code=429)
    assert not User.objects.exists()
    assert sms_outbox == []


def test_register_post_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    assert register(client).status_code == 403
    assert not User.objects.exists()


def test_register_post_with_the_token_of_the_form_works():
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client, REGISTER)
    assertRedirects(register(client, csrfmiddlewaretoken=token), VERIFY)


def test_coming_back_to_register_fills_in_the_pending_registration(registered):
    response = registered.get(REGISTER)

    form = response.context["form"]
    assert form.initial == {
        "username": "carol",
        "email": "carol@example.com",
        "phone_number": "+1 415-555-0123",
    }
    assertNotContains(response, PASSWORD)


def test_fixing_the_number_with_the_same_username_and_password_moves_the_code_page(
    registered, sms_outbox
):
    user = User.objects.get(username="carol")

    response = register(registered, phone_number="+14155550199")

    assertRedirects(response, VERIFY)
    assert sms_outbox[-1].to == "+14155550199"
    assert registered.session[PENDING_SESSION_KEY] == {
        "user_id": user.pk,
        "phone_number": "+14155550199",
    }
    assertContains(registered.get(VERIFY), "+1 415-555-0199")


# --- The code page ---------------------------------------------------------------------------


@pytest.mark.parametrize("logged_in", [False, True])
def test_code_page_without_a_registration_in_this_browser_says_what_to_do(client, user, logged_in):
    if logged_in:
        client.force_login(user)
    response = client.get(VERIFY)

    assert response.status_code == 200
    assertContains(response, "There is no registration waiting for a code in this browser.")
    assertContains(response, f'href="{REGISTER}">Create an account</a>')
    assertContains(response, f'href="{LOGIN}">Log in</a>')
    assert response.context["pending"] is None


def test_a_code_posted_without_a_registration_in_this_browser_does_nothing(client, sms_outbox):
    Client().post(REGISTER, FORM)  # someone else's registration

    response = client.post(VERIFY, {"code": last_code()})

    assertContains(response, "There is no registration waiting for a code in this browser.")
    assert not User.objects.get(username="carol").is_active


def test_code_page_has_a_labelled_code_field_and_a_resend_button(registered):
    page = registered.get(VERIFY).content.decode()

    assert "<title>Enter your code · Reelhouse</title>" in page
    assert re.search(r'<label\s+for="id_code"[^>]*>\s*6-digit code\s*</label>', page)
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    assert re.search(r'<button type="submit"[^>]*>Verify and log in</button>', page)
    assert re.search(
        rf'<form method="post" action="{RESEND}"\s+hx-post="{RESEND}"[^>]*data-countdown="60"', page
    )
    assert re.search(
        r'<button type="submit"[^>]*aria-describedby="resend-wait">Send a new code<', page
    )
    assert "You can ask for a new code in 1 minute." in page


def test_the_whole_journey_register_code_logged_in(sms_outbox):
    """Register, read the code from the SMS, enter it: the account is active and the
    browser is logged in on the movies page. CSRF is enforced all the way."""
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client, REGISTER)
    assertRedirects(register(client, csrfmiddlewaretoken=token), VERIFY)
    code = code_in(sms_outbox[-1])

    token = csrf_token(client, VERIFY)
    response = client.post(VERIFY, {"code": code, "csrfmiddlewaretoken": token}, follow=True)

    assertRedirects(response, HOME)
    user = User.objects.get(username="carol")
    assert user.is_active
    assert user.profile.phone_verified_at is not None
    assert logged_in_as(client) == user.pk
    assertContains(response, "Your phone number is verified and your account is active.")
    assertContains(response, "Signed in as </span>carol")
    assert PENDING_SESSION_KEY not in client.session


def test_verify_post_without_csrf_token_is_refused(sms_outbox):
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client, REGISTER)
    register(client, csrfmiddlewaretoken=token)

    assert client.post(VERIFY, {"code": code_in(sms_outbox[-1])}).status_code == 403
    assert not User.objects.get(username="carol").is_active


def test_a_wrong_code_is_an_error_on_the_code_field(registered):
    response = registered.post(VERIFY, {"code": wrong(last_code())})

    assert response.status_code == 200
    assert response.context["form"].errors == {"code": [INVALID_CODE]}
    assertContains(response, INVALID_CODE)
    assert logged_in_as(registered) is None
    assert not User.objects.get(username="carol").is_active


def test_wrong_expired_and_replaced_codes_get_the_same_error(registered, clock, settings):
    first = last_code()
    clock.shift(settings.OTP_TTL_SECONDS)
    expired = registered.post(VERIFY, {"code": first})
    assertRedirects(registered.post(RESEND), VERIFY)
    replaced = registered.post(VERIFY, {"code": first})
    mistyped = registered.post(VERIFY, {"code": wrong(last_code())})

    for response in (expired, replaced, mistyped):
        assert response.context["form"].errors == {"code": [INVALID_CODE]}
    assert logged_in_as(registered) is None


def test_a_code_that_is_not_six_digits_is_a_plain_field_error(registered):
    response = registered.post(VERIFY, {"code": "12ab"})

    assert response.context["form"].errors == {
        "code": ["Enter the 6-digit code from the text message."]
    }


def test_five_wrong_codes_burn_the_code(registered):
    code = last_code()
    for _ in range(5):
        registered.post(VERIFY, {"code": wrong(code)})

    response = registered.post(VERIFY, {"code": code})

    assert response.context["form"].errors == {"code": [INVALID_CODE]}
    assert not User.objects.get(username="carol").is_active


def test_a_number_posted_with_the_code_is_ignored(registered, sms_outbox):
    """The number comes from the session: a browser cannot verify someone else's."""
    other = Client()
    assertRedirects(
        register(other, username="dave", email="dave@example.com", phone_number="+14155550188"),
        VERIFY,
    )
    daves_code = last_code("+14155550188")

    response = registered.post(
        VERIFY + "?phone_number=%2B14155550188",
        {"code": daves_code, "phone_number": "+14155550188"},
    )

    assert response.context["form"].errors == {"code": [INVALID_CODE]}
    assert not User.objects.get(username="dave").is_active
    assert logged_in_as(registered) is None


def test_code_attempts_are_rate_limited_per_client(registered, settings):
    set_rate(settings, "otp_verify", "1/hour")
    registered.post(VERIFY, {"code": wrong(last_code())})

    response = registered.post(VERIFY, {"code": last_code()})

    assert response.status_code == 429
    assertContains(response, "Too many attempts. Please wait", status_code=429)
    assert not User.objects.get(username="carol").is_active


def test_a_registration_replaced_by_a_newer_one_for_the_number_is_forgotten(registered, clock):
    # Someone registers the same number a minute later: the older registration is released.
    clock.shift(60)
    assertRedirects(register(Client(), username="dave", email="dave@example.com"), VERIFY)

    response = registered.get(VERIFY)

    assertContains(response, "There is no registration waiting for a code in this browser.")
    assert PENDING_SESSION_KEY not in registered.session


# --- Sending a new code ----------------------------------------------------------------------


def test_resend_within_the_cooldown_sends_nothing_and_says_how_long(registered, sms_outbox):
    response = registered.post(RESEND, follow=True)

    assertRedirects(response, VERIFY)
    assertContains(response, "A code was sent moments ago. You can ask for a new one in 1 minute.")
    assert len(sms_outbox) == 1


def test_the_cooldown_counts_down_as_the_clock_moves(registered, clock):
    clock.shift(45)
    response = registered.get(VERIFY)

    assertContains(response, 'data-countdown="15"')
    assertContains(response, "You can ask for a new code in 15 seconds.")
    clock.shift(15)
    response = registered.get(VERIFY)
    assertContains(response, 'data-countdown="0"')
    assertContains(response, "You can ask for a new code now.")


def test_resend_after_the_cooldown_sends_a_new_code_that_works(registered, clock, sms_outbox):
    old = last_code()
    clock.shift(60)

    response = registered.post(RESEND, follow=True)

    assertContains(response, "We sent a new code by text message to +1 415-555-0123.")
    assertContains(response, 'data-countdown="60"')
    assert len(sms_outbox) == 2
    new = last_code()
    assert registered.post(VERIFY, {"code": old}).context["form"].errors == {"code": [INVALID_CODE]}
    assertRedirects(registered.post(VERIFY, {"code": new}), HOME, fetch_redirect_response=False)
    assert logged_in_as(registered) == User.objects.get(username="carol").pk


def test_after_five_codes_in_an_hour_the_wait_is_in_minutes(registered, clock, sms_outbox):
    for _ in range(4):
        clock.shift(60)
        registered.post(RESEND)
    assert len(sms_outbox) == 5

    clock.shift(60)
    response = registered.get(VERIFY)

    assertContains(response, 'data-countdown="3300"')
    assertContains(response, "You can ask for a new code in 55 minutes.")
    registered.post(RESEND)
    assert len(sms_outbox) == 5


def test_resend_by_htmx_answers_the_resend_part_with_the_message(registered, clock, sms_outbox):
    clock.shift(60)

    response = registered.post(RESEND, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert '<h2 id="resend-heading"' in html
    assert 'data-countdown="60"' in html
    messages = re.search(
        r'<div id="messages" class="messages" hx-swap-oob="innerHTML">(.*)', html, re.S
    )
    assert "We sent a new code by text message to +1 415-555-0123." in messages[1]
    assert len(sms_outbox) == 2


def test_resend_when_the_sms_fails_is_a_message_not_a_500(registered, clock, failing_sms):
    clock.shift(60)

    response = registered.post(RESEND, follow=True)

    assert response.status_code == 200
    assertContains(response, "We could not send the text message just now.")
    assert len(failing_sms) == 1


def test_resend_is_rate_limited_per_client(registered, clock, settings, sms_outbox):
    set_rate(settings, "otp_resend", "1/hour")
    registered.post(RESEND)
    clock.shift(60)

    response = registered.post(RESEND, follow=True)

    assertContains(response, "Too many attempts. Please wait")
    assert len(sms_outbox) == 1


def test_resend_without_a_registration_in_this_browser_goes_to_the_code_page(client):
    assertRedirects(client.post(RESEND), VERIFY)
    response = client.post(RESEND, **HTMX)
    assert response["HX-Redirect"] == VERIFY


def test_resend_refuses_get_and_needs_a_csrf_token(sms_outbox):
    client = Client(enforce_csrf_checks=True)
    register(client, csrfmiddlewaretoken=csrf_token(client, REGISTER))
    assert client.get(RESEND).status_code == 405
    assert client.post(RESEND).status_code == 403


# --- Logging in before entering the code -----------------------------------------------------


def test_logging_in_with_a_pending_registration_leads_to_the_code_page(client, sms_outbox):
    Client().post(REGISTER, FORM)  # registered in another browser, code never entered

    response = client.post(LOGIN, {"username": "carol", "password": PASSWORD}, follow=True)

    assertRedirects(response, VERIFY)
    assertContains(response, "Your account is not active yet.")
    assertContains(response, "Enter your code")
    assert logged_in_as(client) is None
    client.post(VERIFY, {"code": last_code()})
    assert logged_in_as(client) == User.objects.get(username="carol").pk


def test_a_pending_registration_with_a_wrong_password_gets_the_usual_error(client):
    Client().post(REGISTER, FORM)

    response = client.post(LOGIN, {"username": "carol", "password": "not the password"})

    assert response.status_code == 200
    assertContains(response, "Please enter a correct username and password.")
    assert PENDING_SESSION_KEY not in client.session


def test_an_account_deactivated_by_an_admin_gets_the_usual_error(client):
    profile = UserProfileFactory(user__username="erin")
    User.objects.filter(pk=profile.user_id).update(is_active=False)

    response = client.post(LOGIN, {"username": "erin", "password": PASSWORD})

    assertContains(response, "Please enter a correct username and password.")
    assert PENDING_SESSION_KEY not in client.session


# --- Queries ---------------------------------------------------------------------------------


def test_register_page_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(REGISTER)


# Session, the pending registration, the number's recent codes.
def test_code_page_costs_three_queries(registered, django_assert_num_queries):
    with django_assert_num_queries(3):
        registered.get(VERIFY)


# --- Every problem in one round (issue 16) ------------------------------------------------------


def test_registration_reports_every_field_in_one_round(client):
    UserFactory(username="taken")
    response = register(
        client,
        username="taken",
        phone_number="12",
        password_confirmation="Something-else-42",
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["username"] == [services.USERNAME_TAKEN_MESSAGE]
    assert errors["password_confirmation"] == ["The two passwords do not match."]
    assert "phone_number" in errors
    assert not get_user_model().objects.filter(username__iexact="taken", is_active=False).exists()


def test_registration_reports_a_taken_email_and_number_beside_a_bad_password(client):
    holder = UserFactory(username="holder", email="held@example.com")
    UserProfileFactory(user=holder, phone_number="+14155550199")
    response = register(
        client,
        email="HELD@example.com",
        phone_number="+1 415 555 0199",
        password="1",
        password_confirmation="1",
    )
    errors = response.context["form"].errors
    assert errors["email"] == [services.EMAIL_TAKEN_MESSAGE]
    assert errors["phone_number"] == [services.PHONE_TAKEN_MESSAGE]
    assert "password" in errors
