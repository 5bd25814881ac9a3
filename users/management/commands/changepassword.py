"""``manage.py changepassword``: Django's command, saving through ``services.password_change``.

It replaces ``django.contrib.auth``'s command of the same name (``users`` is listed
before ``django.contrib.auth`` in ``INSTALLED_APPS`` for this), so a password changed
from the shell also ends the account's refresh tokens and sessions.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import changepassword
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from users.services import password_change

User = get_user_model()

MAX_TRIES = 3


class Command(changepassword.Command):
    def handle(self, *args, **options):
        username = options["username"] or changepassword.getpass.getuser()
        try:
            user = User._default_manager.using(options["database"]).get(
                **{User.USERNAME_FIELD: username}
            )
        except User.DoesNotExist:
            raise CommandError(f"user '{username}' does not exist") from None

        self.stdout.write(f"Changing password for user '{user}'")
        for _ in range(MAX_TRIES):
            first = self._get_pass()
            second = self._get_pass("Password (again): ")
            if first != second:
                self.stdout.write("Passwords do not match. Please try again.")
                continue
            try:
                validate_password(second, user)
            except ValidationError as err:
                self.stderr.write("\n".join(err.messages))
                continue
            password_change(user=user, new_password=first)
            return f"Password changed successfully for user '{user}'"
        raise CommandError(f"Aborting password change for user '{user}' after {MAX_TRIES} attempts")
