"""Profile and list services, as the HTML pages will call them."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from users import services
from users.models import OtpCode, UserProfile

from .conftest import PHONE, last_code
from .factories import MovieFactory, UserFactory, UserProfileFactory


@pytest.mark.django_db
def test_profile_get_or_create_makes_one_profile_only(user):
    first = services.profile_get_or_create(user=user)
    second = services.profile_get_or_create(user=user)

    assert first.pk == second.pk
    assert UserProfile.objects.count() == 1


@pytest.mark.django_db
def test_list_services_are_idempotent(user):
    profile = services.profile_get_or_create(user=user)
    movie = MovieFactory()

    services.favorite_add(profile=profile, movie_id=movie.pk)
    services.favorite_add(profile=profile, movie_id=movie.pk)
    services.watched_add(profile=profile, movie_id=movie.pk)
    assert list(profile.favorite_movies.all()) == [movie]
    assert list(profile.watched_movies.all()) == [movie]

    services.favorite_remove(profile=profile, movie_id=movie.pk)
    services.favorite_remove(profile=profile, movie_id=movie.pk)
    services.watched_remove(profile=profile, movie_id=movie.pk)
    assert list(profile.favorite_movies.all()) == []
    assert list(profile.watched_movies.all()) == []


@pytest.mark.django_db
def test_adding_an_unknown_movie_is_a_field_error(user):
    profile = services.profile_get_or_create(user=user)

    with pytest.raises(ValidationError) as excinfo:
        services.watched_add(profile=profile, movie_id=424242)

    assert "movie_id" in excinfo.value.message_dict


@pytest.mark.django_db
def test_profile_update_reports_every_bad_field(user):
    profile = UserProfileFactory(user=user)

    with pytest.raises(ValidationError) as excinfo:
        services.profile_update(
            profile=profile,
            by=user,
            phone_number="+14155550100",
            favorite_movies=[424242],
            watched_movies=["x"],
        )

    assert set(excinfo.value.message_dict) == {"phone_number", "favorite_movies", "watched_movies"}


@pytest.mark.django_db
def test_a_number_set_by_an_admin_on_a_pending_account_stays_pending(admin_user, register, clock):
    register()
    profile = UserProfile.objects.get()
    old_code = last_code()

    services.profile_update(profile=profile, by=admin_user, phone_number="+14155550124")

    profile.refresh_from_db()
    assert profile.is_pending
    assert not OtpCode.objects.open().exists()  # the code sent to the old number is void
    with pytest.raises(ValidationError):
        services.otp_verify(phone_number=PHONE, code=old_code)
    clock.shift(60)
    services.otp_resend(phone_number="+14155550124")
    assert services.otp_verify(phone_number="+14155550124", code=last_code("+14155550124"))


@pytest.mark.django_db
def test_password_reset_email_carries_the_pages_link_when_given(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.password_reset_request(
            email="alice@example.com",
            build_confirm_url=lambda uid, token: f"https://movies.example/reset/{uid}/{token}/",
        )
        assert mail.outbox == []  # sent by a task once the transaction commits

    [message] = mail.outbox
    uid, token = re.search(r"https://movies\.example/reset/([^/]+)/([^/]+)/", message.body).groups()
    assert services.password_reset_user(uid=uid, token=token) == user


@pytest.mark.django_db
def test_a_reset_link_lapses_after_the_timeout(
    user, clock, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.password_reset_request(email="alice@example.com")
    body = mail.outbox[0].body
    uid = body.split("uid: ")[1].split()[0]
    token = body.split("token: ")[1].split()[0]
    clock.shift(settings.PASSWORD_RESET_TIMEOUT + 1)

    assert services.password_reset_user(uid=uid, token=token) is None


@pytest.mark.django_db
def test_a_failing_mail_server_does_not_reveal_the_address(
    user, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens there

    with django_capture_on_commit_callbacks(execute=True):
        services.password_reset_request(email="alice@example.com")  # no exception

    assert "could not be sent" in caplog.text


@pytest.mark.django_db
def test_a_malformed_reset_address_is_a_field_error():
    with pytest.raises(ValidationError) as excinfo:
        services.password_reset_request(email="not an address")

    assert "email" in excinfo.value.message_dict


@pytest.mark.django_db
def test_profile_delete_closes_the_account(user):
    profile = UserProfileFactory(user=user)

    services.profile_delete(profile=profile, by=user)

    assert not type(user).objects.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_closing_an_account_keeps_the_numbers_send_history(register, admin_user):
    user = register()

    services.profile_delete(profile=user.profile, by=admin_user)

    otp = OtpCode.objects.get()
    assert otp.user is None
    assert services.otp_send_wait(phone_number=PHONE) > 0


@pytest.mark.django_db
def test_profile_create_by_a_user_cannot_set_a_number():
    member = UserFactory()

    with pytest.raises(ValidationError) as excinfo:
        services.profile_create(by=member, phone_number="+14155550100")

    assert "phone_number" in excinfo.value.message_dict
