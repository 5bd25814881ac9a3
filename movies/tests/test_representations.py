"""The lean read path gives exactly what the serializers gave, field by field.

The old read serializers (``MovieSerializer``, ``GenreSerializer``, ``ActorSerializer``)
stay as the reference: each movie here is rendered both ways (DRF's JSON renderer for
the serializer, orjson for the dicts) and the decoded JSON must be equal, key by key.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from core.api.renderers import ORJSONRenderer
from movies import representations, selectors
from movies.api.serializers import ActorSerializer, GenreSerializer, MovieSerializer
from movies.models import Movie

pytestmark = pytest.mark.django_db


def old(serializer) -> object:
    return json.loads(JSONRenderer().render(serializer.data))


def new(data) -> object:
    return json.loads(ORJSONRenderer().render(data))


@pytest.fixture
def request_(settings):
    settings.ALLOWED_HOSTS = ["films.example.org", "testserver"]
    return APIRequestFactory().get("/api/movies/", HTTP_HOST="films.example.org")


def test_each_movie_matches_the_serializer_field_by_field(movies_of_every_kind, request_):
    for movie in movies_of_every_kind:
        reference = old(
            MovieSerializer(selectors.movie_get(movie_id=movie.pk), context={"request": request_})
        )
        lean = new(representations.movie(selectors.movie_row(movie_id=movie.pk), request_))
        assert list(lean) == list(reference), movie.title  # same keys, same order
        for field, value in reference.items():
            assert lean[field] == value, (movie.title, field)


def test_the_kinds_really_differ(movies_of_every_kind, request_):
    """The fixture covers what it claims: a null and an absolute poster, an empty cast."""
    rows = {
        row["title"]: row for row in selectors.movie_rows(selectors.movie_values(Movie.objects))
    }
    assert representations.movie(rows["Plain"], request_)["image"] is None
    assert representations.movie(rows["With a poster"], request_)["image"].startswith(
        "http://films.example.org/media/movies/"
    )
    empty = representations.movie(rows["Nobody in it"], request_)
    assert empty["actors"] == empty["cast"] == empty["directors"] == empty["genres"] == []
    assert empty["release_date"] is empty["year"] is empty["runtime"] is None
    assert empty["members_rating"] == {"average": None, "count": 0}
    full = representations.movie(rows["Reykjavík, Señor “Ölmez” — 東京"], request_)
    assert full["year"] == 1994
    assert [line["character"] for line in full["cast"]] == ["Þóra", "", "La “Señora”"]
    assert full["members_rating"] == {"average": 3.75, "count": 12}


def test_a_whole_list_matches_the_serializer(movies_of_every_kind, request_):
    queryset = selectors.movie_queryset()
    reference = old(MovieSerializer(queryset, many=True, context={"request": request_}))
    lean = new(
        representations.movies(
            selectors.movie_rows(selectors.movie_values(selectors.movie_base_queryset())),
            request_,
        )
    )
    assert lean == reference


def test_genres_and_actors_match_their_serializers(movies_of_every_kind):
    assert new(list(selectors.named_rows(selectors.genre_list()))) == old(
        GenreSerializer(selectors.genre_list(), many=True)
    )
    assert new(list(selectors.named_rows(selectors.actor_list()))) == old(
        ActorSerializer(selectors.actor_list(), many=True)
    )


def test_the_api_serves_the_same_bytes_shape_as_before(api_client, movies_of_every_kind):
    """Over HTTP: list and detail decode to the serializer's output."""
    body = api_client.get("/api/movies/", HTTP_HOST="testserver").json()
    request = APIRequestFactory().get("/api/movies/")
    reference = old(
        MovieSerializer(selectors.movie_queryset(), many=True, context={"request": request})
    )
    assert body["results"] == reference
    for movie in reference:
        assert api_client.get(f"/api/movies/{movie['id']}/").json() == movie


def test_orjson_renderer_writes_what_drf_wrote():
    """Decimals, lazy strings and non-ASCII text come out as DRF's renderer wrote them."""
    from django.utils.translation import gettext_lazy

    data = {"rating": Decimal("4.5"), "detail": gettext_lazy("Not found."), "name": "Zoë"}
    assert json.loads(ORJSONRenderer().render(data)) == json.loads(JSONRenderer().render(data))
    assert "Zoë".encode() in ORJSONRenderer().render(data)
    errors = {"cast": {0: {"actor": ["A valid integer is required."]}}}  # a ListField's errors
    assert json.loads(ORJSONRenderer().render(errors)) == json.loads(JSONRenderer().render(errors))
