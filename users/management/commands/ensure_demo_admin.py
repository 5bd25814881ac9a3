"""Make sure a staff superuser exists for the demo site, and say how to sign in.

Takes ``DJANGO_SUPERUSER_USERNAME`` / ``_EMAIL`` / ``_PASSWORD`` from the environment
when they are set; otherwise creates ``admin`` with a generated password. The
credentials are written to a file readable only by the owner, so a second
``make run`` reuses them.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create (or reuse) the demo admin account and print its credentials."

    def add_arguments(self, parser):
        parser.add_argument("--credentials-file", default=".demo-admin.json")

    @transaction.atomic
    def handle(self, *args, credentials_file: str, **options):
        path = Path(credentials_file)
        saved = json.loads(path.read_text()) if path.is_file() else {}
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or saved.get("username") or "admin"
        email = (
            os.environ.get("DJANGO_SUPERUSER_EMAIL") or saved.get("email") or "admin@example.com"
        )
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or saved.get("password")

        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None or not password or not user.check_password(password):
            password = password or secrets.token_urlsafe(12)
            if user is None:
                user = user_model(username=username, email=email)
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(password)
            user.save()
            verb = "Created"
        else:
            verb = "Using"

        path.write_text(json.dumps({"username": username, "email": email, "password": password}))
        path.chmod(0o600)
        self.stdout.write(f"{verb} demo admin: username '{username}', password '{password}'")
