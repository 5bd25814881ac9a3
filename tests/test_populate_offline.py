"""populate_movies.py without a server: the command line, answers a live server rarely
gives (faked with ``responses``), the movie generator and the posters' text. Fast: no
database, no live server; the one subprocess (the entry point run as a script) is ``slow``.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import responses

import populate_movies
from populate.backends import RestBackend
from populate.client import Api
from populate.data import _ACTRESSES, ACTORS, DIRECTORS, GENRES, PEOPLE, generate_movies, match_key
from populate.posters import poster_font, poster_text

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"
ADMIN = "root"


def test_an_address_that_is_not_a_url_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        populate_movies.main(["--url", "localhost:8000", "--username", ADMIN, "--password", "x"])

    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "populate_movies.py: error: argument --url: 'localhost:8000' is not a site address: "
        "give one like http://127.0.0.1:8000 (see --help)"
    ]


# ------------------------------------------------- answers a live server rarely gives

BASE = "http://movies.test"


def _login_ok(access: str) -> dict:
    return {"access": access, "refresh": "r", "user": {"id": 1, "username": ADMIN, "email": ""}}


@responses.activate
def test_an_expired_token_is_renewed_once_by_signing_in_again():
    responses.post(f"{BASE}/api/users/login/", json=_login_ok("first"))
    responses.post(f"{BASE}/api/users/login/", json=_login_ok("second"))
    responses.post(
        f"{BASE}/api/movies/genres/",
        status=401,
        json={"detail": "Given token not valid for any token type"},
        match=[responses.matchers.header_matcher({"Authorization": "Bearer first"})],
    )
    responses.post(
        f"{BASE}/api/movies/genres/",
        status=201,
        json={"id": 9, "name": "Drama"},
        match=[responses.matchers.header_matcher({"Authorization": "Bearer second"})],
    )
    api = Api(BASE, username=ADMIN, password=PASSWORD)
    api.login()

    assert RestBackend(api).create_genre("Drama") == 9


@responses.activate
def test_a_server_error_mid_run_is_one_line(capsys):
    responses.post(f"{BASE}/api/users/login/", json=_login_ok("token"))
    responses.post(f"{BASE}/api/movies/genres/", status=400, json={"name": ["required"]})
    responses.get(
        f"{BASE}/api/movies/genres/",
        json={"count": 0, "next": None, "previous": None, "results": []},
    )
    responses.get(
        f"{BASE}/api/movies/actors/",
        json={"count": 0, "next": None, "previous": None, "results": []},
    )
    responses.get(
        f"{BASE}/api/movies/",
        json={"count": 0, "next": None, "previous": None, "results": []},
    )
    responses.post(f"{BASE}/api/movies/genres/", status=500, body="<h1>Server Error</h1>")

    code = populate_movies.main(
        ["--url", BASE, "--username", ADMIN, "--password", PASSWORD, "--no-progress"]
    )

    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines() == [
        "populate_movies: error: the server failed (HTTP 500) while creating genre 'Action'"
    ]


# ---------------------------------------------------------------- the generator


def test_the_same_seed_gives_the_same_movies_and_another_seed_others():
    assert generate_movies(20, 5) == generate_movies(20, 5)
    assert generate_movies(5, 5) == generate_movies(20, 5)[:5]
    titles_5 = {spec.title for spec in generate_movies(20, 5)}
    titles_6 = {spec.title for spec in generate_movies(20, 6)}
    assert titles_5 != titles_6


def test_generated_movies_keep_within_the_brief_even_by_the_thousand():
    specs = generate_movies(2000, 1)

    assert len({match_key(spec.title) for spec in specs}) == 2000
    for spec in specs:
        assert 1 <= len(spec.genres) <= 3
        assert set(spec.genres) <= set(GENRES)
        assert 4 <= len(spec.cast) <= 8
        assert set(spec.actors) <= set(ACTORS)
        assert len(set(spec.actors)) == len(spec.actors)
        assert all(line.character for line in spec.cast)
        assert 1 <= len(spec.directors) <= 2
        assert set(spec.directors) <= set(DIRECTORS)
        assert 1950 <= spec.year <= 2026
        assert spec.release_date <= "2026-10-31"
        assert 60 <= spec.runtime <= 200
        assert Decimal("0.5") <= Decimal(spec.rating) <= Decimal("5.0")
        assert Decimal(spec.rating) == Decimal(spec.rating).quantize(Decimal("0.1"))
        assert 0 < len(spec.title) <= 200
        assert spec.plot_summary
    assert len(GENRES) == 13
    assert len(ACTORS) >= 15
    assert set(ACTORS) & set(DIRECTORS), "someone both acts and directs"
    assert len(PEOPLE) == len(set(PEOPLE)) == len(set(ACTORS) | set(DIRECTORS))


def test_the_default_catalogue_reads_like_a_real_one():
    """100 movies over the decades, every genre the main genre of some, ratings shaped
    like real ones (most between 2.5 and 4.5, none of the old 0.6s in bulk), no real
    actor among the people, and each plot names the lead's character."""
    specs = generate_movies(100, 1)
    ratings = [Decimal(spec.rating) for spec in specs]
    assert sum(Decimal("2.5") <= rating <= Decimal("4.5") for rating in ratings) >= 80
    assert sum(rating < Decimal("1.5") for rating in ratings) <= 2
    assert {spec.genres[0] for spec in specs} == set(GENRES)
    decades = {spec.year // 10 for spec in specs}
    assert len(decades) >= 6
    assert not {"Leonardo DiCaprio", "Meryl Streep", "Tom Hanks"} & set(PEOPLE)
    for spec in specs:
        lead = spec.cast[0]
        named = lead.person if lead.character == "Self" else lead.character.split()[0]
        assert spec.plot_summary.startswith(named + ", "), spec
        assert " in the Moon" not in spec.plot_summary
        if lead.character != "Self":  # the plot says "she" of the lead: an actress plays her
            assert lead.person in _ACTRESSES


def test_posters_carry_no_rating_or_genre_and_follow_the_main_genre(monkeypatch):
    """Only the title and the director's credit are written on a poster; its look
    comes from the main genre, so two genres' posters differ."""
    from populate import posters

    written: list[str] = []
    real_text = posters.ImageDraw.ImageDraw.text

    def record(self, xy, text, *args, **kwargs):
        written.append(text)
        return real_text(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(posters.ImageDraw.ImageDraw, "text", record)
    spec = generate_movies(1, 1)[0]
    png = posters.draw_poster(spec)
    assert png.startswith(b"\x89PNG")
    drawn = " ".join(written).casefold()
    assert spec.rating not in drawn
    assert "/ 5" not in drawn
    assert not [genre for genre in GENRES if genre.casefold() in drawn]
    assert spec.directors[0].casefold() in drawn
    assert posters.poster_style(spec).motif
    styles = {posters.POSTER_STYLES[genre].motif for genre in GENRES}
    assert len(styles) == len(GENRES)
    other = dataclasses.replace(spec, genres=("Horror",))
    assert posters.draw_poster(other) != png


def test_every_character_drawn_on_a_poster_has_a_glyph_in_the_font():
    font = poster_font(40)
    missing_glyph = font.getmask("\uffff").getbbox()
    text = poster_text("Letters from Valparaíso · Ñandú Über Ærø")
    assert text == "Letters from Valparaiso  Nandu Uber AEro"
    assert [char for char in set(text) if font.getmask(char).getbbox() == missing_glyph] == []


@pytest.mark.slow
def test_the_entry_point_runs_as_a_script_from_anywhere_without_django(tmp_path):
    """``python populate_movies.py`` finds its package beside it whatever the working
    folder, and neither it nor the package imports Django (it works against any site)."""
    script = ROOT / "populate_movies.py"
    help_run = subprocess.run(  # noqa: S603 - our own script with fixed arguments
        [sys.executable, str(script), "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert help_run.returncode == 0, help_run.stderr
    assert help_run.stdout.startswith("usage: populate_movies.py ")

    probe = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import sys, populate_movies, populate.cli, populate.run; "
            "print(sorted(name for name in sys.modules if name.split('.')[0] == 'django'))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "[]"
