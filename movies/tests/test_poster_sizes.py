"""Posters in a few sizes: WebP at 185, 342 and 780 px wide, made at upload, deleted with
the poster, linked from the API (``image_sizes``) and the page (``srcset``), and
backfilled for old posters by ``make_poster_sizes``."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from movies import services
from movies.images import POSTER_WIDTHS
from movies.models import Movie

from .factories import MovieFactory
from .images import image_upload

pytestmark = pytest.mark.django_db


def media_files(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def size_names(movie: Movie) -> set[str]:
    return {entry["name"] for entry in movie.image_sizes.values()}


def decoded(settings, name: str) -> tuple[str, tuple[int, int]]:
    with Image.open(Path(settings.MEDIA_ROOT) / name) as image:
        return image.format, image.size


def test_an_upload_stores_three_webp_sizes_with_the_poster_aspect(settings):
    movie = services.movie_create(title="Tall", image=image_upload(size=(1000, 1500)))

    movie.refresh_from_db()
    assert sorted(movie.image_sizes, key=int) == ["185", "342", "780"]
    for width in POSTER_WIDTHS:
        entry = movie.image_sizes[str(width)]
        height = round(1500 * width / 1000)
        assert (entry["width"], entry["height"]) == (width, height)
        assert decoded(settings, entry["name"]) == ("WEBP", (width, height))
    assert media_files(settings) == {movie.image.name} | size_names(movie)


def test_a_small_poster_is_not_enlarged(settings):
    movie = services.movie_create(title="Small", image=image_upload(size=(300, 450)))

    sizes = {key: (entry["width"], entry["height"]) for key, entry in movie.image_sizes.items()}
    assert sizes == {"185": (185, 278), "342": (300, 450), "780": (300, 450)}
    assert decoded(settings, movie.image_sizes["780"]["name"]) == ("WEBP", (300, 450))


def test_replacing_a_poster_replaces_its_sizes_once_committed(
    settings, django_capture_on_commit_callbacks
):
    movie = services.movie_create(title="Posted", image=image_upload())
    old = {movie.image.name} | size_names(movie)

    with django_capture_on_commit_callbacks(execute=True):
        services.movie_update(movie=movie, image=image_upload("b.jpg", fmt="JPEG"))
        assert old < media_files(settings)  # kept until the commit

    movie.refresh_from_db()
    assert media_files(settings) == {movie.image.name} | size_names(movie)
    assert not old & media_files(settings)


def test_clearing_a_poster_deletes_its_sizes(settings, django_capture_on_commit_callbacks):
    movie = services.movie_create(title="Posted", image=image_upload())

    with django_capture_on_commit_callbacks(execute=True):
        services.movie_update(movie=movie, image=None)

    movie.refresh_from_db()
    assert (movie.image.name, movie.image_sizes) == ("", None)
    assert media_files(settings) == set()


def test_deleting_a_movie_deletes_its_sizes(settings, django_capture_on_commit_callbacks):
    movie = services.movie_create(title="Posted", image=image_upload())

    with django_capture_on_commit_callbacks(execute=True):
        services.movie_delete(movie=movie)

    assert media_files(settings) == set()


def test_a_create_that_fails_after_the_upload_leaves_no_size(settings, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Movie, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.movie_create(title="Half Written", image=image_upload())

    assert media_files(settings) == set()


def test_an_update_that_fails_after_the_upload_keeps_the_old_sizes_only(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    movie = services.movie_create(title="Posted", image=image_upload())
    kept = {movie.image.name} | size_names(movie)

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Movie, "save", broken_save)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.movie_update(movie=movie, image=image_upload("b.png"))
    monkeypatch.undo()

    assert media_files(settings) == kept


def test_the_api_links_each_size_absolutely(api_client, admin_client_api):
    created = admin_client_api.post(
        "/api/movies/", {"title": "Harbour", "image": image_upload()}, format="multipart"
    )
    assert created.status_code == 201, created.data
    movie = Movie.objects.get(pk=created.data["id"])

    for body in (created.data, api_client.get(f"/api/movies/{movie.pk}/").json()):
        assert body["image"] == f"http://testserver/media/{movie.image.name}"
        assert body["image_sizes"] == {
            str(width): f"http://testserver/media/{movie.image_sizes[str(width)]['name']}"
            for width in POSTER_WIDTHS
        }
    [listed] = api_client.get("/api/movies/").json()["results"]
    assert listed["image_sizes"] == body["image_sizes"]


def test_a_poster_without_sizes_reads_as_null_sizes(api_client):
    movie = MovieFactory(title="Old Poster")
    movie.image.save("old.png", image_upload(), save=True)  # stored before sizes existed

    body = api_client.get(f"/api/movies/{movie.pk}/").json()

    assert body["image"].endswith(movie.image.name)
    assert body["image_sizes"] is None


def img_tag(html: str, title: str) -> str:
    match = re.search(rf'<img [^>]*alt="Poster of {re.escape(title)}"[^>]*>', html)
    assert match, f"no poster for {title}"
    return match.group(0)


def test_cards_and_the_movie_page_offer_the_sizes_in_srcset(client):
    movie = services.movie_create(title="Harbour", image=image_upload(size=(400, 600)))
    urls = [
        f"/media/{movie.image_sizes[str(width)]['name']} {movie.image_sizes[str(width)]['width']}w"
        for width in POSTER_WIDTHS
    ]

    card = img_tag(client.get(reverse("movies:list")).content.decode(), "Harbour")
    assert f'srcset="{", ".join(urls)}"' in card
    assert 'sizes="(max-width: 575.98px) 45vw, 185px"' in card
    assert 'loading="lazy"' in card
    assert 'width="400" height="600"' in card

    page = img_tag(
        client.get(reverse("movies:detail", args=[movie.pk])).content.decode(), "Harbour"
    )
    assert f'srcset="{", ".join(urls)}"' in page
    assert 'loading="lazy"' not in page  # the page's main image loads at once


def test_a_poster_without_sizes_falls_back_to_the_single_image(client):
    movie = MovieFactory(title="Old Poster")
    movie.image.save("old.png", image_upload(), save=True)

    card = img_tag(client.get(reverse("movies:list")).content.decode(), "Old Poster")

    assert f'src="/media/{movie.image.name}"' in card
    assert "srcset" not in card
    assert 'width="400" height="600"' in card


def test_make_poster_sizes_backfills_posters_without_sizes(settings):
    old = MovieFactory(title="Old Poster")
    old.image.save("old.png", image_upload(size=(200, 300)), save=True)
    done = services.movie_create(title="Done", image=image_upload())
    done_sizes = done.image_sizes
    MovieFactory(title="No Poster")
    out = io.StringIO()

    call_command("make_poster_sizes", stdout=out)

    old.refresh_from_db()
    assert old.image_sizes["185"]["width"] == 185
    assert decoded(settings, old.image_sizes["342"]["name"]) == ("WEBP", (200, 300))
    done.refresh_from_db()
    assert done.image_sizes == done_sizes  # untouched
    assert Movie.objects.get(title="No Poster").image_sizes is None
    assert "Made sizes for 1 poster(s); 0 failed." in out.getvalue()

    call_command("make_poster_sizes", stdout=out)  # a second run has nothing to do
    assert "Made sizes for 0 poster(s)" in out.getvalue()


def test_make_poster_sizes_reports_a_missing_file_and_goes_on(settings):
    broken = MovieFactory(title="Lost File", image="movies/gone.png")
    fine = MovieFactory(title="Fine")
    fine.image.save("fine.png", image_upload(), save=True)
    out, err = io.StringIO(), io.StringIO()

    call_command("make_poster_sizes", stdout=out, stderr=err)

    assert f"Movie {broken.pk}: movies/gone.png" in err.getvalue()
    assert Movie.objects.get(pk=broken.pk).image_sizes is None
    assert Movie.objects.get(pk=fine.pk).image_sizes is not None
    assert "Made sizes for 1 poster(s); 1 failed." in out.getvalue()


def test_make_poster_sizes_all_remakes_and_deletes_the_replaced_sizes(settings):
    movie = services.movie_create(title="Posted", image=image_upload())
    before = size_names(movie)

    call_command("make_poster_sizes", "--all", stdout=io.StringIO())

    movie.refresh_from_db()
    assert media_files(settings) == {movie.image.name} | size_names(movie)
    assert not before & size_names(movie)


def test_the_sizes_cost_no_query_per_card(client, django_assert_max_num_queries):
    services.movie_create(title="First", image=image_upload())
    client.get(reverse("movies:list"))  # warm sessions and caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("movies:list"))
    for number in range(5):
        services.movie_create(title=f"More {number}", image=image_upload())

    with django_assert_max_num_queries(len(one)):
        html = client.get(reverse("movies:list")).content.decode()
    assert html.count("srcset=") >= 6
