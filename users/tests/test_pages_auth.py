"""Account pages: log in, log out, password reset by email and password change,
with CSRF on every POST, errors on the forms and the rate limits."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new secret 42"
LOGIN = reverse("users:login")
LOGOUT = reverse("users:logout")
RESET = reverse("users:password_reset")
CHANGE = reverse("users:password_change")
HOME = reverse("movies:list")


@pytest.fixture(autouse=True)
def _queued_email_goes_at_once(monkeypatch):
    """Emails are queued once the transaction commits (ops.queue); the test's own
    transaction never commits, so here they go as soon as they are queued."""
    monkeypatch.setattr(
        "ops.queue.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def logged_in_as(client: Client):
    user_id = client.session.get(SESSION_KEY)
    return int(user_id) if user_id else None


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def csrf_token(client: Client, url: str) -> str:
    """The token a browser would send: loaded with the page's form."""
    response = client.get(url)
    assert response.status_code == 200
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


# --- Log in ----------------------------------------------------------------------------------


def test_login_page_shows_a_labelled_form(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<label\s+for="id_username"[^>]*>\s*Username', page)
    assert re.search(r'<label\s+for="id_password"[^>]*>\s*Password', page)
    assert 'autocomplete="current-password"' in page
    assert f'href="{RESET}">Forgot your password?</a>' in page
    assert "<title>Log in · Reelhouse</title>" in page


def test_logged_in_user_visiting_login_goes_to_the_movies(client, user):
    client.force_login(user)
    assertRedirects(client.get(LOGIN), HOME)


def test_login_logs_in_and_goes_back_to_next(client, user):
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD, "next": "/genres/1/"})
    assert response.status_code == 302
    assert response["Location"] == "/genres/1/"
    assert logged_in_as(client) == user.pk


def test_login_without_next_goes_to_the_movies_and_welcomes_the_user(client, user):
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD}, follow=True)
    assertRedirects(response, HOME)
    assertContains(response, "Welcome back, alice.")
    assertContains(response, "Signed in as </span>alice")


def test_login_refuses_to_send_the_user_to_another_site(client, user):
    response = client.post(
        LOGIN, {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == HOME


def test_login_keeps_next_in_the_form(client):
    assertContains(client.get(LOGIN, {"next": "/movies/3/"}), 'name="next" value="/movies/3/"')


@pytest.mark.parametrize(
    "data",
    [
        {"username": "alice", "password": "wrong"},
        {"username": "nobody", "password": PASSWORD},
    ],
)
def test_wrong_credentials_show_an_error_on_the_form(client, user, data):
    response = client.post(LOGIN, data)
    assert response.status_code == 200
    assertContains(response, "Please enter a correct username and password.")
    assert logged_in_as(client) is None


def test_missing_fields_are_errors_on_their_fields(client):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "username": ["This field is required."],
        "password": ["This field is required."],
    }
    assertContains(response, 'id="id_username_error"')


def test_inactive_user_cannot_log_in(client, user):
    user.is_active = False
    user.save()
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assertContains(response, "Please enter a correct username and password.")
    assert logged_in_as(client) is None


def test_login_is_rate_limited_per_client(client, user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": "3/min",
        },
    }
    for _ in range(3):
        assert client.post(LOGIN, {"username": "alice", "password": "wrong"}).status_code == 200

    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assertContains(response, "Too many attempts. Please wait", status_code=429)
    assert logged_in_as(client) is None
    other_address = client.post(
        LOGIN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 302


def test_login_post_without_csrf_token_is_refused(user):
    client = csrf_client()
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert logged_in_as(client) is None


def test_login_post_with_csrf_token_works(user):
    client = csrf_client()
    token = csrf_token(client, LOGIN)
    response = client.post(
        LOGIN, {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert logged_in_as(client) == user.pk


def test_login_page_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(LOGIN)


# --- Log out ---------------------------------------------------------------------------------


def test_logout_logs_out_and_goes_to_the_movies(client, user):
    client.force_login(user)
    response = client.post(LOGOUT, follow=True)
    assertRedirects(response, HOME)
    assertContains(response, "You have logged out.")
    assert logged_in_as(client) is None


def test_logout_by_get_is_refused(client, user):
    client.force_login(user)
    assert client.get(LOGOUT).status_code == 405
    assert logged_in_as(client) == user.pk


def test_logout_post_without_csrf_token_is_refused(user):
    client = csrf_client()
    client.force_login(user)
    assert client.post(LOGOUT).status_code == 403
    assert logged_in_as(client) == user.pk


def test_logout_post_with_the_token_from_the_navigation_works(user):
    client = csrf_client()
    client.force_login(user)
    token = csrf_token(client, HOME)
    assert client.post(LOGOUT, {"csrfmiddlewaretoken": token}).status_code == 302
    assert logged_in_as(client) is None


# --- Password reset by email -----------------------------------------------------------------


@pytest.fixture(params=["anonymous", "user"])
def visitor(request, client, other_user) -> Client:
    if request.param == "user":
        client.force_login(other_user)
    return client


@pytest.mark.parametrize(
    "name", ["users:password_reset", "users:password_reset_done", "users:password_reset_complete"]
)
def test_reset_pages_load(visitor, name):
    response = visitor.get(reverse(name))
    assert response.status_code == 200
    assertContains(response, '<main id="main"')


def reset_link(message) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", message.body)[1]


def test_full_password_reset_journey(client, user):
    response = client.post(RESET, {"email": "ALICE@example.com"})
    assertRedirects(response, reverse("users:password_reset_done"))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your movie_api password"
    link = reset_link(message)

    form_page = client.get(link, follow=True)  # Django swaps the token for a session key
    assertContains(form_page, "Choose a new password")
    set_password_url = form_page.redirect_chain[-1][0]

    mismatch = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": "something else"}
    )
    assert mismatch.status_code == 200
    assertContains(mismatch, "The two password fields didn’t match.")

    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assertRedirects(done, reverse("users:password_reset_complete"))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    reused = client.get(link, follow=True)
    assertContains(reused, "This link does not work")


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(RESET, {"email": "nobody@example.com"})
    assertRedirects(response, reverse("users:password_reset_done"))
    assert mail.outbox == []


def test_reset_sends_nothing_to_an_inactive_account(client, user):
    user.is_active = False
    user.save()
    assertRedirects(client.post(RESET, {"email": user.email}), reverse("users:password_reset_done"))
    assert mail.outbox == []


def test_reset_form_shows_errors(client):
    response = client.post(RESET, {"email": "not an address"})
    assert response.status_code == 200
    assertContains(response, "Enter a valid email address.")


def test_reset_link_with_a_bad_token_is_refused(client, user):
    url = reverse("users:password_reset_confirm", args=["MQ", "not-a-token"])
    response = client.get(url, follow=True)
    assertContains(response, "This link does not work")
    assertContains(response, f'href="{RESET}"')


def test_reset_is_rate_limited_and_sends_nothing_when_over(client, user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "password_reset": "2/hour",
        },
    }
    for _ in range(2):
        client.post(RESET, {"email": user.email})
    assert len(mail.outbox) == 2

    response = client.post(RESET, {"email": user.email})

    assert response.status_code == 429
    assertContains(response, "Too many attempts. Please wait", status_code=429)
    assert len(mail.outbox) == 2


def test_reset_post_without_csrf_token_is_refused(user):
    assert csrf_client().post(RESET, {"email": user.email}).status_code == 403
    assert mail.outbox == []


def test_reset_confirm_post_without_csrf_token_is_refused(client, user):
    client.post(RESET, {"email": user.email})
    browser = csrf_client()
    set_password_url = browser.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    response = browser.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- Password change -------------------------------------------------------------------------


def test_password_change_needs_a_login(client):
    assertRedirects(client.get(CHANGE), f"{LOGIN}?next={CHANGE}")


def test_password_change_changes_it_and_keeps_the_user_logged_in(client, user):
    client.force_login(user)
    wrong = client.post(
        CHANGE,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assertContains(wrong, "Your old password was entered incorrectly.")

    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assertRedirects(response, reverse("users:password_change_done"))
    assertContains(response, "Your password is changed")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_as(client) == user.pk


def test_password_change_post_without_csrf_token_is_refused(user):
    client = csrf_client()
    client.force_login(user)
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
