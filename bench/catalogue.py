#!/usr/bin/env python
"""PostgreSQL benchmark of the catalogue's reads at growing sizes (``make bench MODE=pg``).

For each size (default 1,000, 100,000 and 1,000,000 movies) it empties a separate
database (``BENCH_DATABASE_URL``, default ``movie_api_bench`` on 127.0.0.1; created if
missing; NEVER point it at real data: it is flushed), fills it with
``manage.py seed_catalogue``, then times each read in-process through Django's test
client: median (p50) and p95 of ``--repeat`` requests after one warm-up. It prints a
table with each read's growth from the smallest size; the target is a ratio: every
read within 3x of its time at 1,000 movies. Exit status 1 when a read misses it.

    .venv/bin/python bench/catalogue.py [--sizes 1000,100000] [--repeat 21] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/movie_api_bench"
GROWTH_TARGET = 3.0

SEARCH_DOC = '{ allMovies(search: "detective") { id title rating } }'

# (label, method, path or body). {movie_id} is a movie in the middle of the catalogue.
READS = [
    ("search=detective", "get", "/api/movies/?search=detective"),
    ("search=zzqx (no hit)", "get", "/api/movies/?search=zzqx"),
    (
        "genre+min_rating+search+ordering",
        "get",
        "/api/movies/?genre=3&min_rating=2&search=river&ordering=-rating",
    ),
    ("home page ?search=detective", "get", "/?search=detective"),
    ("GraphQL allMovies(search:)", "post", SEARCH_DOC),
    ("title=lisbon", "get", "/api/movies/?title=lisbon"),
    ("genre=3", "get", "/api/movies/?genre=3"),
    ("list (newest first)", "get", "/api/movies/"),
    ("list ordering=title", "get", "/api/movies/?ordering=title"),
    ("list ordering=-rating", "get", "/api/movies/?ordering=-rating"),
    ("detail", "get", "/api/movies/{movie_id}/"),
    ("suggest q=the qui", "get", "/api/movies/suggest/?q=the+qui"),
    ("suggest q=lisb", "get", "/api/movies/suggest/?q=lisb"),
    ("suggest typo q=lighthuose", "get", "/api/movies/suggest/?q=lighthuose"),
]


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_LOG_LEVEL"] = "ERROR"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movie_api.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    setup_test_environment()


def seed(size: int, *, reuse: bool) -> float:
    from django.core.management import call_command

    from movies.models import Movie

    if reuse and Movie.objects.count() == size:
        return 0.0
    call_command("flush", interactive=False, verbosity=0)
    started = time.monotonic()
    call_command("seed_catalogue", movies=size, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return time.monotonic() - started


def measure(client, method: str, target: str, movie_id: int, repeat: int):
    from django.core.cache import cache

    path = target.format(movie_id=movie_id) if method == "get" else target

    def call():
        cache.clear()  # no throttle or cached answer between requests
        if method == "post":
            return client.post("/graphql/", {"query": target}, content_type="application/json")
        return client.get(path)

    status = call().status_code
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    p50 = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[18] if len(timings) >= 20 else max(timings)
    return p50, p95, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument(
        "--reuse", action="store_true", help="Keep a catalogue of the right size from a last run."
    )
    args = parser.parse_args()
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]

    url = database_url()
    ensure_database(url)
    setup_django(url)
    from django.core.management import call_command
    from django.test import Client

    from movies.models import Movie

    call_command("migrate", verbosity=0)
    client = Client()
    results: dict[int, dict[str, tuple[float, float, int]]] = {}
    for size in sizes:
        took = seed(size, reuse=args.reuse)
        ids = list(
            Movie.objects.order_by("id").values_list("id", flat=True)[size // 2 : size // 2 + 1]
        )
        movie_id = ids[0] if ids else 1
        print(
            f"{size:,} movies (seeded in {took:.0f} s), {args.repeat} requests a read", flush=True
        )
        results[size] = {}
        for label, method, target in READS:
            results[size][label] = measure(client, method, target, movie_id, args.repeat)
            p50, p95, status = results[size][label]
            print(f"  {label:36} {status:>4} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms", flush=True)

    base = sizes[0]
    header = " | ".join(f"{size:,} p50 / p95 ms" for size in sizes)
    print(f"\n| read | {header} | growth from {base:,} (p50) |")
    print("|---|" + "---|" * len(sizes) + "---|")
    missed = 0
    for label, _, _ in READS:
        cells = " | ".join(
            f"{results[size][label][0]:.1f} / {results[size][label][1]:.1f}" for size in sizes
        )
        growth = results[sizes[-1]][label][0] / results[base][label][0]
        ok = growth <= GROWTH_TARGET and all(results[s][label][2] == 200 for s in sizes)
        missed += not ok
        print(f"| {label} | {cells} | {growth:.1f}x{'' if ok else ' MISSED'} |")
    print("\nall reads within 3x" if not missed else f"\n{missed} read(s) beyond 3x")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
