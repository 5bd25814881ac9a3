"""bin/fuzz's fixture: a little catalogue, a member, a ticket and two admins, then the
admins' access tokens on one line of stdout (``python bin/fuzz_seed.py``, with the
environment bin/fuzz sets)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movie_api.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from rest_framework_simplejwt.tokens import RefreshToken  # noqa: E402

from movies import services  # noqa: E402
from movies.models import Actor, Genre, Movie  # noqa: E402
from support.models import Ticket  # noqa: E402

User = get_user_model()
PASSWORD = os.environ.get("FUZZ_PASSWORD", "fuzz-Password-1")

genres = [Genre.objects.get_or_create(name=name)[0] for name in ("Drama", "Comedy", "Western")]
actors = [Actor.objects.get_or_create(name=name)[0] for name in ("Ada Brennan", "Meryl Streep")]
for index, title in enumerate(("The Quiet Harbour", "Reykjavík Nights", "Dust of Orion")):
    if not Movie.objects.filter(title=title).exists():
        services.movie_create(
            title=title,
            plot_summary="" if index == 2 else "A plot.",
            rating="3.5",
            genres=[genre.pk for genre in genres[: index + 1]],
            actors=[actor.pk for actor in actors[: index % 2 + 1]],
            directors=[actors[0].pk] if index == 1 else [],
        )

# One admin per fuzzing run: the REST run may well close its own account.
admins = []
for username in ("fuzzadmin", "fuzzgraph"):
    admin, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com", "is_staff": True}
    )
    admin.set_password(PASSWORD)
    admin.save()
    admins.append(admin)
member, _ = User.objects.get_or_create(username="fuzzmember", defaults={"email": "m@example.com"})
member.set_password(PASSWORD)
member.save()
if not Ticket.objects.exists():
    Ticket.objects.create(
        requester=member, subject="Wrong year", description="It says 1999.", category="other"
    )

print(" ".join(str(RefreshToken.for_user(admin).access_token) for admin in admins))
