"""Issue 15's permission matrix in one place: every members' endpoint and page, and every
member GraphQL operation, for the five callers (``anonymous``, ``member`` = alice, who
owns the data set up below, ``other`` = bob, ``agent`` = a "Support agents" member who
is not staff, ``admin`` = staff).

Each row lists the status every caller gets. Besides the status, a write by anyone but
alice must leave alice's rating, review, diary entry, lists and privacy switch as they
were (only an admin may change another member's profile, through its id).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from core.graphql import PERMISSION_DENIED_MESSAGE
from support import services as support_services
from support.models import Ticket
from users import services
from users.models import DiaryEntry, Rating

from .conftest import ROLES
from .factories import MovieFactory, UserFactory

pytestmark = pytest.mark.django_db

ANON, MEMBER, OTHER, AGENT, ADMIN = ROLES


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def logged_in(status: int, *, anonymous: int) -> dict[str, int]:
    return {**everyone(status), ANON: anonymous}


def owner_only(owner: int, *, others: int, anonymous: int) -> dict[str, int]:
    return {**everyone(others), ANON: anonymous, MEMBER: owner}


@pytest.fixture
def world(user, other_user, support_agent, admin_user):
    """alice (``user``) with a public profile, a favorite, a rating with a review and a
    diary entry; bob (``other_user``) with a private profile; a second movie; a support
    ticket in which carol (none of the five callers) reports alice's review."""
    movie = MovieFactory(title="Alice's movie")
    spare = MovieFactory(title="Spare movie")
    profile = services.profile_get_or_create(user=user)
    services.profile_update(profile=profile, by=user, is_public=True)
    services.favorite_add(profile=profile, movie_id=movie.pk)
    rating, _ = services.rating_set(
        user=user, movie_id=movie.pk, score="4.5", review="Alice's review.", spoiler=False
    )
    entry = services.diary_log(user=user, movie_id=movie.pk, note="Alice's note.")
    services.profile_get_or_create(user=other_user)
    ticket, _ = support_services.review_report(
        reporter=UserFactory(username="carol"), review=rating, reason="Rude."
    )
    return {
        "movie": movie.pk,
        "spare": spare.pk,
        "profile": profile.pk,
        "review": rating.pk,
        "ticket": ticket.pk,
        "entry": entry.pk,
        "people": {
            ANON: None,
            MEMBER: user,
            OTHER: other_user,
            AGENT: support_agent,
            ADMIN: admin_user,
        },
    }


def alices_data(world) -> dict:
    alice = world["people"][MEMBER]
    profile = services.profile_get_or_create(user=alice)
    rating = Rating.objects.filter(user=alice, movie_id=world["movie"]).first()
    entry = DiaryEntry.objects.filter(pk=world["entry"]).first()
    return {
        "rating": rating and (rating.score, rating.review, rating.hidden),
        "entry": entry and (entry.user_id, entry.note),
        "favorites": sorted(profile.favorite_movies.values_list("id", flat=True)),
        "watched": sorted(profile.watched_movies.values_list("id", flat=True)),
        "watchlist": sorted(profile.watchlist_movies.values_list("id", flat=True)),
        "is_public": profile.is_public,
    }


# --- REST --------------------------------------------------------------------------------

API = [
    # (method, path, body, {caller: status})
    ("get", "/api/users/profiles/me/", None, logged_in(200, anonymous=401)),
    ("patch", "/api/users/profiles/me/", {"is_public": False}, logged_in(200, anonymous=401)),
    (
        "patch",
        "/api/users/profiles/{profile}/",
        {"is_public": False},
        {ANON: 401, MEMBER: 200, OTHER: 404, AGENT: 404, ADMIN: 200},
    ),
    ("get", "/api/users/profiles/me/ratings/", None, logged_in(200, anonymous=401)),
    (
        "put",
        "/api/users/profiles/me/ratings/{movie}/",
        {"score": "2.0", "review": "Mine."},
        owner_only(200, others=201, anonymous=401),
    ),
    ("delete", "/api/users/profiles/me/ratings/{movie}/", None, logged_in(204, anonymous=401)),
    ("get", "/api/movies/{movie}/reviews/", None, everyone(200)),
    ("get", "/api/movies/{movie}/similar/", None, everyone(200)),
    ("put", "/api/users/profiles/me/favorites/{spare}/", None, logged_in(204, anonymous=401)),
    ("delete", "/api/users/profiles/me/favorites/{movie}/", None, logged_in(204, anonymous=401)),
    ("put", "/api/users/profiles/me/watched/{spare}/", None, logged_in(204, anonymous=401)),
    ("put", "/api/users/profiles/me/watchlist/{spare}/", None, logged_in(204, anonymous=401)),
    ("delete", "/api/users/profiles/me/watchlist/{movie}/", None, logged_in(204, anonymous=401)),
    ("get", "/api/users/profiles/me/diary/", None, logged_in(200, anonymous=401)),
    (
        "post",
        "/api/users/profiles/me/diary/",
        {"movie_id": "{spare}", "note": "Mine."},
        logged_in(201, anonymous=401),
    ),
    (
        "get",
        "/api/users/profiles/me/diary/{entry}/",
        None,
        owner_only(200, others=404, anonymous=401),
    ),
    (
        "patch",
        "/api/users/profiles/me/diary/{entry}/",
        {"note": "Changed."},
        owner_only(200, others=404, anonymous=401),
    ),
    (
        "delete",
        "/api/users/profiles/me/diary/{entry}/",
        None,
        owner_only(204, others=404, anonymous=401),
    ),
    ("get", "/api/users/public/alice/", None, everyone(200)),
    ("get", "/api/users/public/bob/", None, everyone(404)),  # bob's profile is private
    (
        "post",
        "/api/movies/{movie}/reviews/{review}/report/",
        {"reason": "Rude."},
        owner_only(400, others=202, anonymous=401),  # alice cannot report her own review
    ),
    (
        "post",
        "/api/support/tickets/{ticket}/review/",
        {"hidden": True},
        {ANON: 401, MEMBER: 404, OTHER: 404, AGENT: 200, ADMIN: 200},
    ),
]

HIDDEN = {"rating": (Decimal("4.5"), "Alice's review.", True)}

# Writes by someone else after which alice's data differs, and how: an admin may change
# her profile through its id; agents and admins hide her reported review.
CHANGES_ALICE = {
    ("patch", "/api/users/profiles/{profile}/", ADMIN): {"is_public": False},
    ("post", "/api/support/tickets/{ticket}/review/", AGENT): HIDDEN,
    ("post", "/api/support/tickets/{ticket}/review/", ADMIN): HIDDEN,
    ("post", "/support/{ticket}/review/", AGENT): HIDDEN,
    ("post", "/support/{ticket}/review/", ADMIN): HIDDEN,
}


def _fill(value, world):
    if isinstance(value, str):
        text = value.format(**world)
        return int(text) if value.startswith("{") and text.isdigit() else text
    if isinstance(value, dict):
        return {key: _fill(item, world) for key, item in value.items()}
    return value


API_CASES = [
    pytest.param(method, path, body, role, expected[role], id=f"{method} {path} {role}")
    for method, path, body, expected in API
    for role in ROLES
]


@pytest.mark.parametrize(("method", "path", "body", "role", "status"), API_CASES)
def test_api(client_as, world, method, path, body, role, status):
    before = alices_data(world)
    client = client_as(role)

    response = getattr(client, method)(
        _fill(path, world), _fill(body, world), format="json" if body else None
    )

    assert response.status_code == status, response.content[:300]
    if role != MEMBER:
        assert alices_data(world) == {**before, **CHANGES_ALICE.get((method, path, role), {})}


def test_api_rating_lists_show_each_caller_their_own_only(client_as, world):
    for role in (MEMBER, OTHER, AGENT, ADMIN):
        rows = client_as(role).get("/api/users/profiles/me/ratings/").json()["results"]
        assert [row["review"] for row in rows] == (["Alice's review."] if role == MEMBER else [])


def test_api_public_is_public_switch_reaches_the_public_profile(client_as, world):
    assert client_as(OTHER).get("/api/users/public/alice/").status_code == 200
    client_as(MEMBER).patch("/api/users/profiles/me/", {"is_public": False}, format="json")
    for role in ROLES:
        assert client_as(role).get("/api/users/public/alice/").status_code == 404


# --- pages -------------------------------------------------------------------------------

LOGIN = resolve_url(settings.LOGIN_URL)

PAGES = [
    # (method, path, form, {caller: status}); 302 for anonymous is the login page
    ("get", "/accounts/lists/", None, logged_in(200, anonymous=302)),
    ("post", "/accounts/lists/privacy/", {}, logged_in(302, anonymous=302)),
    ("post", "/accounts/lists/privacy/", {"is_public": "on"}, logged_in(302, anonymous=302)),
    ("get", "/accounts/diary/", None, logged_in(200, anonymous=302)),
    ("post", "/accounts/diary/log/{spare}/", {"note": "Mine."}, logged_in(302, anonymous=302)),
    ("post", "/accounts/ratings/{movie}/", {"score": "2.0"}, logged_in(302, anonymous=302)),
    ("post", "/accounts/ratings/{movie}/remove/", {}, logged_in(302, anonymous=302)),
    ("post", "/accounts/lists/favorites/{movie}/", {"action": "remove"}, everyone(302)),
    ("post", "/accounts/lists/watched/{spare}/", {"action": "add"}, everyone(302)),
    ("post", "/accounts/lists/watchlist/{spare}/", {"action": "add"}, everyone(302)),
    ("post", "/support/reviews/{review}/report/", {"reason": "Rude."}, everyone(302)),
    ("get", "/u/alice/", None, everyone(200)),
    ("get", "/u/bob/", None, everyone(404)),
    (
        "post",
        "/support/{ticket}/review/",
        {"hidden": "true"},
        {ANON: 302, MEMBER: 404, OTHER: 404, AGENT: 302, ADMIN: 302},
    ),
]

PAGE_CASES = [
    pytest.param(method, path, form, role, expected[role], id=f"{method} {path} {role}")
    for method, path, form, expected in PAGES
    for role in ROLES
]


@pytest.mark.parametrize(("method", "path", "form", "role", "status"), PAGE_CASES)
def test_page(world, method, path, form, role, status):
    before = alices_data(world)
    client = Client()
    if world["people"][role] is not None:
        client.force_login(world["people"][role])

    response = getattr(client, method)(_fill(path, world), form)

    assert response.status_code == status, response.content[:300]
    if role == ANON and status == 302:
        assert response["Location"].startswith(LOGIN)
    if role != MEMBER:
        assert alices_data(world) == {**before, **CHANGES_ALICE.get((method, path, role), {})}


@pytest.mark.parametrize("role", ROLES)
def test_page_report_makes_a_ticket_for_anyone_logged_in_but_the_author(world, role):
    client = Client()
    if world["people"][role] is not None:
        client.force_login(world["people"][role])

    client.post(f"/support/reviews/{world['review']}/report/", {"reason": "Rude."})

    expected = 0 if role in (ANON, MEMBER) else 1
    caller = world["people"][role]
    assert Ticket.objects.filter(review_id=world["review"], requester=caller).count() == expected


@pytest.mark.parametrize("role", [OTHER, AGENT, ADMIN])
def test_page_privacy_switch_changes_the_callers_profile_only(world, role):
    caller = world["people"][role]
    client = Client()
    client.force_login(caller)

    client.post("/accounts/lists/privacy/", {"is_public": "on"})

    assert services.profile_get_or_create(user=caller).is_public is True
    assert Client().get(f"/u/{caller.get_username()}/").status_code == 200
    client.post("/accounts/lists/privacy/", {})
    assert Client().get(f"/u/{caller.get_username()}/").status_code == 404
    assert alices_data(world)["is_public"] is True


# --- GraphQL -----------------------------------------------------------------------------

ME = "{ me { username ratings { review } diary { note } favorites { id } } }"
RATE = """mutation($m: ID!) { rateMovie(movieId: $m, score: 2.0, review: "Mine.") {
  created rating { username } } }"""
DELETE = "mutation($m: ID!) { deleteRating(movieId: $m) { ok } }"
SET_LIST = """mutation($m: ID!) { setListMembership(movieId: $m, list: FAVORITES, member: false) {
  me { username favorites { id } } } }"""
LOG = 'mutation($m: ID!) { logWatch(movieId: $m, note: "Mine.") { entry { note } } }'

MUTATIONS = {"rateMovie": RATE, "deleteRating": DELETE, "setListMembership": SET_LIST}


def _graphql(world, role, query, variables=None):
    extra = {}
    if world["people"][role] is not None:
        token = AccessToken.for_user(world["people"][role])
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    response = Client().post(
        "/graphql/",
        {"query": query, "variables": variables or {}},
        content_type="application/json",
        **extra,
    )
    assert response.status_code == 200, response.content[:300]
    return response.json()


@pytest.mark.parametrize("role", ROLES)
def test_graphql_me_is_the_callers_own(world, role):
    body = _graphql(world, role, ME)

    me = body["data"]["me"]
    if role == ANON:
        assert me is None
        return
    assert me["username"] == world["people"][role].get_username()
    if role == MEMBER:
        assert me["ratings"] == [{"review": "Alice's review."}]
        assert me["diary"] == [{"note": "Alice's note."}]
        assert me["favorites"] == [{"id": str(world["movie"])}]
    else:
        assert (me["ratings"], me["diary"], me["favorites"]) == ([], [], [])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", [*MUTATIONS, "logWatch"])
def test_graphql_member_mutations(world, role, operation):
    before = alices_data(world)
    query = MUTATIONS.get(operation, LOG)
    movie = world["spare"] if operation == "logWatch" else world["movie"]

    body = _graphql(world, role, query, {"m": str(movie)})

    if role == ANON:
        assert body["data"][operation] is None
        assert [error["message"] for error in body["errors"]] == [PERMISSION_DENIED_MESSAGE]
        assert alices_data(world) == before
        return
    assert "errors" not in body, body
    result = body["data"][operation]
    if operation == "rateMovie":
        assert result["rating"]["username"] == world["people"][role].get_username()
        assert result["created"] is (role != MEMBER)
    if role != MEMBER:
        assert alices_data(world) == before
    else:
        after = alices_data(world)
        changed = {
            "rateMovie": ("rating", (Decimal("2.0"), "Mine.", False)),
            "deleteRating": ("rating", None),
            "setListMembership": ("favorites", []),
            "logWatch": ("watched", sorted([world["movie"], world["spare"]])),
        }[operation]
        assert after[changed[0]] == changed[1]
