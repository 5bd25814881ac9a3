"""Demo members for ``populate_movies.py --members N``: fictional accounts with
ratings, reviews, favorites, a watchlist and a diary, made through the running site.

How an account is made without an SMS code: registering over the API needs the code
sent to a real phone, so the admin account the script already signs in with creates
each member through the Django admin's "Add user" form (``/admin/``, the one way to
make an active account over HTTP without a phone). Everything else goes through the
REST API, signed in as the member: ``PUT profiles/me/ratings/<id>/``,
``PUT profiles/me/favorites|watchlist/<id>/``, ``POST profiles/me/diary/``.

Idempotent: members are named ``demo_<name>``; a member's password is derived from
the admin's password (HMAC), so a second run signs in as the same members without
storing anything, and it changes nothing: ratings and list marks are PUTs, and a diary
entry is only logged for a movie the member's diary does not hold yet. The same
``--seed`` gives the same members and choices.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any

import requests

FIRST_NAMES = (
    "ada",
    "bram",
    "cleo",
    "dov",
    "elin",
    "fenn",
    "greta",
    "hale",
    "ines",
    "joss",
    "kira",
    "lev",
    "mira",
    "nils",
    "oona",
    "pim",
    "quin",
    "rhea",
    "sol",
    "tove",
)
REVIEWS = (
    "Slow to start, but the last act earns every minute.",
    "The score carried scenes the script could not.",
    "I laughed more than I expected; the supporting cast steals it.",
    "Beautifully shot, emotionally a little thin.",
    "A rewatch favourite: it gets better every time.",
    "Too long by half an hour, yet I would see it again.",
)
SPOILER_REVIEWS = ("The twist at the end recasts everything: the narrator was the thief.",)
NOTES = ("Cinema, back row.", "With friends on a rainy Sunday.", "Late night, alone.", "")


class MembersError(Exception):
    """The members could not be made; the message says why, in one line."""


@dataclass
class MembersSummary:
    created: int = 0
    existing: int = 0
    ratings: int = 0
    diary_added: int = 0
    notes: list[str] = field(default_factory=list)


def member_password(admin_password: str, username: str) -> str:
    """The demo member's password: a keyed hash of its name under the admin's password,
    so only someone holding the admin's password can sign in as a demo member."""
    digest = hmac.new(admin_password.encode(), f"demo-member:{username}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode()[:32]


def member_names(count: int, seed: int) -> list[str]:
    rng = random.Random(f"members-{seed}")
    names = list(FIRST_NAMES)
    rng.shuffle(names)
    return [
        f"demo_{names[i % len(names)]}{'' if i < len(names) else i // len(names)}"
        for i in range(count)
    ]


class _Site:
    def __init__(self, base_url: str, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def url(self, path: str) -> str:
        return self.base_url + path

    def call(self, session: requests.Session, method: str, path: str, **kwargs: Any):
        try:
            return session.request(method, self.url(path), timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            raise MembersError(f"lost the site while making members: {error}") from None


def _admin_session(site: _Site, username: str, password: str) -> requests.Session:
    """A session signed in to the Django admin (its login form, with the CSRF token)."""
    session = requests.Session()
    site.call(session, "GET", "/admin/login/")
    token = session.cookies.get("csrftoken")
    response = site.call(
        session,
        "POST",
        "/admin/login/?next=/admin/",
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": "/admin/",
        },
        headers={"Referer": site.url("/admin/login/")},
    )
    if response.status_code != 200 or "/admin/login/" in response.url:
        raise MembersError(f"cannot sign in to /admin/ as '{username}' to make the members")
    return session


def _create_in_admin(site: _Site, session: requests.Session, username: str, password: str):
    add = "/admin/auth/user/add/"
    site.call(session, "GET", add)
    response = site.call(
        session,
        "POST",
        add,
        data={
            "csrfmiddlewaretoken": session.cookies.get("csrftoken"),
            "username": username,
            "usable_password": "true",
            "password1": password,
            "password2": password,
            "_save": "Save",
            # The profile inline of the user page, left empty (the API makes the profile).
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
        },
        headers={"Referer": site.url(add)},
    )
    if response.status_code != 200 or not re.search(r"/admin/auth/user/\d+/change/", response.url):
        raise MembersError(f"the admin did not create the member '{username}'")


#: The longest wait on the login throttle (``THROTTLE_LOGIN``) before giving up.
MAX_THROTTLE_WAIT = 65


def _token(site: _Site, username: str, password: str) -> str | None:
    """The member's access token, or ``None`` if the name and password do not sign in.
    The site's login throttle (10 a minute by default) is waited out, as it asks."""
    for _attempt in range(3):
        response = site.call(
            requests.Session(),
            "POST",
            "/api/users/login/",
            json={"username": username, "password": password},
        )
        if response.status_code != 429:
            break
        time.sleep(min(float(response.headers.get("Retry-After") or 60), MAX_THROTTLE_WAIT))
    if response.status_code == 200:
        return response.json()["access"]
    if response.status_code == 429:
        raise MembersError("the site's login throttle keeps refusing the demo members")
    return None


def populate_members(
    *,
    base_url: str,
    admin_username: str,
    admin_password: str,
    count: int,
    movie_ids: list[int],
    seed: int = 1,
    timeout: float = 30.0,
) -> MembersSummary:
    """Make sure ``count`` demo members exist, each with ratings (some with reviews,
    one with a spoiler), favorites, a watchlist and diary entries over ``movie_ids``."""
    summary = MembersSummary()
    if count <= 0:
        return summary
    if not movie_ids:
        raise MembersError("there are no movies for the members to rate")
    site = _Site(base_url, timeout)
    admin: requests.Session | None = None
    for index, username in enumerate(member_names(count, seed)):
        password = member_password(admin_password, username)
        access = _token(site, username, password)
        if access is None:
            admin = admin or _admin_session(site, admin_username, admin_password)
            _create_in_admin(site, admin, username, password)
            access = _token(site, username, password)
            if access is None:
                summary.notes.append(f"{username}: made, but cannot sign in (left out)")
                continue
            summary.created += 1
        else:
            summary.existing += 1
        _fill_member(site, access, random.Random(f"{seed}-{username}"), movie_ids, summary, index)
    return summary


def _fill_member(site, access, rng, movie_ids, summary, index) -> None:
    member = requests.Session()
    member.headers["Authorization"] = f"Bearer {access}"
    picks = rng.sample(movie_ids, k=min(len(movie_ids), rng.randint(4, 8)))
    rated, rest = picks[: max(1, len(picks) * 2 // 3)], picks[len(picks) * 2 // 3 :]
    for position, movie_id in enumerate(rated):
        spoiler = position == 0 and index % 3 == 0
        review = rng.choice(SPOILER_REVIEWS if spoiler else REVIEWS) if rng.random() < 0.6 else ""
        body = {
            "score": rng.choice(["2.5", "3", "3.5", "4", "4", "4.5", "5"]),
            "review": review,
            "spoiler": spoiler,
        }
        response = site.call(
            member, "PUT", f"/api/users/profiles/me/ratings/{movie_id}/", json=body
        )
        if response.status_code not in (200, 201):
            raise MembersError(
                f"rating a movie as a demo member failed (HTTP {response.status_code})"
            )
        summary.ratings += 1
    for movie_id in rated[:2]:
        site.call(member, "PUT", f"/api/users/profiles/me/favorites/{movie_id}/")
    logged = {
        entry["movie"]["id"]
        for entry in site.call(member, "GET", "/api/users/profiles/me/diary/?page_size=100")
        .json()
        .get("results", [])
    }
    for days_ago, movie_id in enumerate(rated[:3]):
        if movie_id in logged:
            continue
        day = (datetime.date.today() - datetime.timedelta(days=rng.randint(1, 330))).isoformat()
        response = site.call(
            member,
            "POST",
            "/api/users/profiles/me/diary/",
            json={
                "movie_id": movie_id,
                "watched_on": day,
                "rewatch": days_ago == 2,
                "note": rng.choice(NOTES),
            },
        )
        if response.status_code == 201:
            summary.diary_added += 1
    for movie_id in rest:
        site.call(member, "PUT", f"/api/users/profiles/me/watchlist/{movie_id}/")
