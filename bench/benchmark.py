#!/usr/bin/env python
"""Speed and memory benchmark for the hot read paths.

Seeds a throw-away SQLite database (or the one DATABASE_URL names, which it then
flushes: never point it at real data) with a catalogue, then times the busiest
reads through Django's test client and measures the memory a request allocates at
its peak. Each measure has a target; the script prints a table and exits 1 when a
target is missed.

    .venv/bin/python bench/benchmark.py [--movies 2000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@dataclass
class Target:
    name: str
    method: str
    path: str
    p95_ms: float
    peak_kib: float
    body: dict | None = None


TARGETS = [
    Target("REST movie list, 100 a page", "get", "/api/movies/?page_size=100", 250, 8192),
    Target(
        "REST movie list, filtered",
        "get",
        "/api/movies/?genre=drama&min_rating=2&search=the",
        150,
        4096,
    ),
    Target("REST movie detail", "get", "/api/movies/{movie_id}/", 40, 1024),
    Target("REST genres", "get", "/api/movies/genres/", 40, 1024),
    Target(
        "GraphQL allMovies(limit: 100)",
        "post",
        "/graphql/",
        300,
        12288,
        {"query": "{ allMovies(limit: 100) { id title rating genres { name } actors { name } } }"},
    ),
    Target("Home page", "get", "/", 300, 12288),
    Target("Home page search (HTMX fragment)", "get", "/movies/?search=the", 250, 8192),
]


def seed(movies: int) -> int:
    from movies.models import Actor, CastMember, Genre, Movie

    genres = Genre.objects.bulk_create(
        Genre(name=name)
        for name in [
            "Drama",
            "Comedy",
            "Action",
            "Thriller",
            "Horror",
            "Romance",
            "Sci-Fi",
            "Documentary",
        ]
    )
    actors = Actor.objects.bulk_create(Actor(name=f"Actor {n}") for n in range(200))
    batch = Movie.objects.bulk_create(
        Movie(
            title=f"The Movie Number {n}",
            plot_summary="A story about the sea and the people who wait for it. " * 3,
            rating=Decimal(n % 51) / 10,
        )
        for n in range(movies)
    )
    Movie.genres.through.objects.bulk_create(
        Movie.genres.through(movie_id=m.id, genre_id=genres[(i + k) % len(genres)].id)
        for i, m in enumerate(batch)
        for k in range(2)
    )
    CastMember.objects.bulk_create(
        CastMember(movie_id=m.id, person_id=actors[(i * 7 + k) % len(actors)].id, order=k)
        for i, m in enumerate(batch)
        for k in range(4)
    )
    return batch[0].id


def measure(client, target: Target, movie_id: int, repeat: int) -> tuple[float, float, float, int]:
    path = target.path.format(movie_id=movie_id)
    headers = {"HTTP_HX_REQUEST": "true"} if "HTMX" in target.name else {}

    def call():
        if target.method == "post":
            return client.post(path, target.body, content_type="application/json", **headers)
        return client.get(path, **headers)

    status = call().status_code  # warm up caches, templates, URL resolver
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    p50 = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[18] if len(timings) >= 20 else max(timings)
    return p50, p95, peak / 1024, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movies", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movie_api.settings")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    movie_id = seed(args.movies)
    client = Client()

    print(f"{args.movies} movies, {args.repeat} requests each\n")
    print(
        f"{'path':40} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'target':>8} {'peak KiB':>9} {'target':>8}"
    )
    failures = 0
    for target in TARGETS:
        p50, p95, peak, status = measure(client, target, movie_id, args.repeat)
        ok = status == 200 and p95 <= target.p95_ms and peak <= target.peak_kib
        failures += not ok
        print(
            f"{target.name:40} {status:>6} {p50:8.1f} {p95:8.1f} {target.p95_ms:8.0f} "
            f"{peak:9.0f} {target.peak_kib:8.0f} {'ok' if ok else 'MISSED'}"
        )
    tmp.cleanup()
    print("\nall targets met" if not failures else f"\n{failures} target(s) missed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
