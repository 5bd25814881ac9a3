"""Posters on S3 through django-storages, against moto's S3 server on a local port."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from PIL import Image

from movies import services
from movies.models import Movie
from movies.tests.images import image_upload

from .servers import free_port

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

BUCKET = "movie-api-media"
REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}  # moto's


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """An empty bucket, and media stored in it the way settings.py configures S3."""
    s3 = boto3.resource("s3", endpoint_url=s3_endpoint, region_name=REGION, **CREDENTIALS)
    bucket = s3.Bucket(BUCKET)
    bucket.create()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_settings_media_options(s3_endpoint),
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
            },
        },
    }
    yield bucket
    bucket.objects.all().delete()
    bucket.delete()


def _settings_media_options(endpoint: str) -> dict:
    """STORAGES["default"]["OPTIONS"] as settings.py builds them from the environment."""
    env = {
        **os.environ,
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
    }
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['default']))"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "movie_api.settings"},
        cwd=Path(django_settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    storage = json.loads(out.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    return storage["OPTIONS"]


def keys(bucket) -> list[str]:
    return sorted(obj.key for obj in bucket.objects.all())


SIZE_SUFFIX = re.compile(r"-(185|342|780)\.webp$")


def originals(bucket) -> list[str]:
    """The posters' keys, without their derived WebP sizes."""
    return [key for key in keys(bucket) if not SIZE_SUFFIX.search(key)]


def with_sizes(key: str) -> list[str]:
    """A poster's key and its three sizes' keys (``movies.images.save_poster_sizes``)."""
    stem = key.rsplit(".", 1)[0]
    return sorted([key, *(f"{stem}-{width}.webp" for width in (185, 342, 780))])


def test_a_poster_upload_is_stored_in_the_bucket_and_linked_by_the_api(
    bucket, s3_endpoint, admin_client_api
):
    response = admin_client_api.post(
        "/api/movies/", {"title": "Harbour Lights", "image": image_upload()}, format="multipart"
    )

    assert response.status_code == 201, response.data
    [key] = originals(bucket)
    assert keys(bucket) == with_sizes(key)
    assert key.startswith("media/movies/")
    assert key.endswith(".png")
    assert response.data["image"] == f"{s3_endpoint}/{BUCKET}/{key}"
    stored = bucket.Object(key)
    assert stored.content_type == "image/png"
    with Image.open(io.BytesIO(stored.get()["Body"].read())) as image:
        assert (image.format, image.size) == ("PNG", (40, 60))
    small = key.rsplit(".", 1)[0] + "-185.webp"
    assert bucket.Object(small).content_type == "image/webp"
    assert response.data["image_sizes"]["185"] == f"{s3_endpoint}/{BUCKET}/{small}"
    movie = Movie.objects.get(pk=response.data["id"])
    assert f"media/{movie.image.name}" == key
    # Read back over the API, the link is the same.
    assert admin_client_api.get(f"/api/movies/{movie.pk}/").data["image"] == response.data["image"]


def test_replacing_a_poster_deletes_the_old_object_after_the_commit(
    bucket, admin_client_api, django_capture_on_commit_callbacks
):
    created = admin_client_api.post(
        "/api/movies/", {"title": "Harbour Lights", "image": image_upload()}, format="multipart"
    )
    [old_key] = originals(bucket)

    with django_capture_on_commit_callbacks(execute=True):
        replaced = admin_client_api.patch(
            f"/api/movies/{created.data['id']}/",
            {"image": image_upload("new.jpg", fmt="JPEG", size=(80, 120))},
            format="multipart",
        )
        assert len(keys(bucket)) == 2 * 4  # the old one (and sizes) stay until the commit

    assert replaced.status_code == 200, replaced.data
    [new_key] = originals(bucket)
    assert keys(bucket) == with_sizes(new_key)
    assert new_key != old_key
    assert new_key.endswith(".jpg")
    assert replaced.data["image"].endswith(new_key)


def test_removing_a_poster_and_deleting_a_movie_delete_their_objects(
    bucket, admin_client_api, django_capture_on_commit_callbacks
):
    first = admin_client_api.post(
        "/api/movies/", {"title": "One", "image": image_upload()}, format="multipart"
    ).data
    second = admin_client_api.post(
        "/api/movies/", {"title": "Two", "image": image_upload()}, format="multipart"
    ).data
    assert len(keys(bucket)) == 2 * 4

    with django_capture_on_commit_callbacks(execute=True):
        removed = admin_client_api.patch(f"/api/movies/{first['id']}/", {"image": None})
    assert removed.status_code == 200
    assert removed.data["image"] is None
    assert keys(bucket) == with_sizes(second["image"].split(f"/{BUCKET}/")[1])

    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client_api.delete(f"/api/movies/{second['id']}/").status_code == 204
    assert keys(bucket) == []


def test_a_create_that_fails_after_the_upload_leaves_no_object_and_no_movie(bucket, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Movie, "save", broken_save)

    with pytest.raises(RuntimeError):
        services.movie_create(title="Half Written", image=image_upload())

    assert keys(bucket) == []
    assert not Movie.objects.filter(title="Half Written").exists()


def test_a_replace_that_fails_after_the_upload_leaves_no_object_and_the_old_poster(
    bucket, monkeypatch, django_capture_on_commit_callbacks
):
    movie = services.movie_create(title="Harbour Lights", image=image_upload())
    [old_key] = originals(bucket)

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Movie, "save", broken_save)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.movie_update(movie=movie, title="Renamed", image=image_upload("b.png"))
    monkeypatch.undo()

    assert keys(bucket) == with_sizes(old_key)
    movie.refresh_from_db()
    assert (movie.title, f"media/{movie.image.name}") == ("Harbour Lights", old_key)


def test_an_upload_the_bucket_refuses_leaves_no_movie(bucket, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket"},
        },
    }

    with pytest.raises(Exception, match="NoSuchBucket"):
        services.movie_create(title="Never Stored", image=image_upload())

    assert not Movie.objects.filter(title="Never Stored").exists()
    assert keys(bucket) == []
