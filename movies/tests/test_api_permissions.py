"""Who may do what on /api/movies/, /api/movies/genres/ and /api/movies/actors/."""

from __future__ import annotations

import pytest

from movies.models import Actor, Genre, Movie

from .factories import ActorFactory, GenreFactory, MovieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects():
    genre = GenreFactory(name="Drama")
    actor = ActorFactory(name="Meryl Streep")
    movie = MovieFactory(title="The Quiet Harbour", genres=[genre], actors=[actor])
    return {"movie": movie, "genre": genre, "actor": actor}


# (endpoint, model, the key in `objects`, a valid body for create/update)
ENDPOINTS = [
    ("/api/movies/", Movie, "movie", {"title": "Another Film", "rating": 3.5}),
    ("/api/movies/genres/", Genre, "genre", {"name": "Western"}),
    ("/api/movies/actors/", Actor, "actor", {"name": "Tilda Swinton"}),
]
# The catalogue has no owners, so "another user" is a second ordinary user: same answers.
CALLERS = ["anonymous", "user", "other user", "admin"]


@pytest.fixture
def client_for(api_client, user_client, other_client, admin_client_api):
    return {
        "anonymous": api_client,
        "user": user_client,
        "other user": other_client,
        "admin": admin_client_api,
    }


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("url", "model", "key", "body"), ENDPOINTS)
def test_anyone_may_list_and_retrieve(client_for, objects, caller, url, model, key, body):
    client = client_for[caller]
    listing = client.get(url)
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    detail = client.get(f"{url}{objects[key].pk}/")
    assert detail.status_code == 200
    assert detail.json()["id"] == objects[key].pk


WRITE_EXPECTATIONS = {"anonymous": 401, "user": 403, "other user": 403}


@pytest.mark.parametrize("caller", ["anonymous", "user", "other user"])
@pytest.mark.parametrize(("url", "model", "key", "body"), ENDPOINTS)
def test_non_admins_cannot_write(client_for, objects, caller, url, model, key, body):
    client = client_for[caller]
    expected = WRITE_EXPECTATIONS[caller]
    detail_url = f"{url}{objects[key].pk}/"
    before = model.objects.count()

    responses = [
        client.post(url, body, format="json"),
        client.put(detail_url, body, format="json"),
        client.patch(detail_url, body, format="json"),
        client.delete(detail_url),
    ]

    assert [r.status_code for r in responses] == [expected] * 4
    assert all("detail" in r.json() for r in responses)
    assert model.objects.count() == before
    objects[key].refresh_from_db()
    assert objects[key].pk  # still there and unchanged
    if key == "movie":
        assert objects[key].title == "The Quiet Harbour"
    else:
        assert objects[key].name in ("Drama", "Meryl Streep")


def test_anonymous_write_asks_for_credentials(api_client):
    response = api_client.post("/api/movies/genres/", {"name": "Noir"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("url", "model", "key", "body"), ENDPOINTS)
def test_admin_may_create_update_and_delete(admin_client_api, objects, url, model, key, body):
    created = admin_client_api.post(url, body, format="json")
    assert created.status_code == 201, created.json()
    new_id = created.json()["id"]
    assert model.objects.filter(pk=new_id).exists()

    field = "title" if key == "movie" else "name"
    replaced = admin_client_api.put(f"{url}{new_id}/", {**body, field: "Renamed"}, format="json")
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()[field] == "Renamed"

    patched = admin_client_api.patch(f"{url}{new_id}/", {field: "Patched"}, format="json")
    assert patched.status_code == 200
    assert getattr(model.objects.get(pk=new_id), field) == "Patched"

    deleted = admin_client_api.delete(f"{url}{new_id}/")
    assert deleted.status_code == 204
    assert not model.objects.filter(pk=new_id).exists()


def test_inactive_staff_account_cannot_write(admin_user, api_client):
    admin_user.is_active = False
    admin_user.save()
    api_client.force_authenticate(admin_user)
    response = api_client.post("/api/movies/genres/", {"name": "Noir"}, format="json")
    assert response.status_code == 403
    assert not Genre.objects.filter(name="Noir").exists()


@pytest.mark.parametrize(
    "url", ["/api/movies/999/", "/api/movies/genres/999/", "/api/movies/actors/999/"]
)
def test_unknown_ids_are_404_with_detail(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_method_not_allowed_has_detail(admin_client_api):
    response = admin_client_api.put("/api/movies/", {}, format="json")
    assert response.status_code == 405
    assert "detail" in response.json()
