"""Delete registrations whose phone number was never verified in time (run it daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from users.services import pending_registrations_purge


class Command(BaseCommand):
    help = (
        "Delete inactive accounts whose phone number was never verified within "
        "REGISTRATION_PENDING_TTL_SECONDS."
    )

    def handle(self, *args, **options):
        count = pending_registrations_purge()
        self.stdout.write(f"Deleted {count} lapsed registration(s).")
