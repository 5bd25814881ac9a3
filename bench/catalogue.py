#!/usr/bin/env python
"""PostgreSQL benchmark of the catalogue's reads at growing sizes (``make bench MODE=pg``).

Each size (default 1,000, 100,000 and 1,000,000 movies) gets its own database,
``<BENCH_DATABASE_URL>_<size>`` (default ``movie_api_bench_1000`` ... on 127.0.0.1;
created if missing; NEVER point it at real data: it is flushed), filled by
``manage.py seed_catalogue`` in a subprocess (``--reuse`` keeps one that already has
the right number of movies). Then each read is timed in-process through Django's test
client, the sizes interleaved request by request (a database router picks the
catalogue), so a busy machine slows every size alike: median (p50) and p95 of
``--repeat`` requests after one warm-up. It prints a table with each read's growth
from the smallest size; the target is a ratio: every read within 3x of its time at
1,000 movies. Exit status 1 when a read misses it.

    .venv/bin/python bench/catalogue.py [--sizes 1000,100000] [--repeat 21] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/movie_api_bench"  # + "_<size>"
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
    ("home page ?search=detective", "get", "/movies/?search=detective"),
    ("GraphQL allMovies(search:)", "post", SEARCH_DOC),
    ("title=lisbon", "get", "/api/movies/?title=lisbon"),
    ("genre=3", "get", "/api/movies/?genre=3"),
    ("list (newest first)", "get", "/api/movies/"),
    ("list ordering=title", "get", "/api/movies/?ordering=title"),
    ("list ordering=-rating", "get", "/api/movies/?ordering=-rating"),
    ("detail", "get", "/api/movies/{movie_id}/"),
    ("suggest q=the qui", "get", "/api/movies/suggest/?q=the+qui"),
    ("suggest q=lisb", "get", "/api/movies/suggest/?q=lisb"),
    ("suggest typo q=lighthose", "get", "/api/movies/suggest/?q=lighthose"),
]


def database_url(size: int) -> str:
    return f"{os.environ.get('BENCH_DATABASE_URL', DEFAULT_URL)}_{size}"


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def movie_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        try:
            return conn.execute("SELECT count(*) FROM movies_movie").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return -1


def run_manage(env: dict[str, str], *args: str) -> None:
    """``manage.py <args>`` of this project, in a subprocess with ``env``."""
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def seed(size: int, url: str, *, reuse: bool) -> float:
    """Migrate and fill the size's database in a subprocess; seconds the seeding took."""
    ensure_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_LOG_LEVEL": "ERROR"}
    env.pop("REDIS_URL", None)
    run_manage(env, "migrate", "--verbosity", "0")  # a kept catalogue gets new migrations too
    if reuse and movie_count(url) == size:
        return 0.0
    run_manage(env, "flush", "--noinput", "--verbosity", "0")
    started = time.monotonic()
    run_manage(env, "seed_catalogue", "--movies", str(size))
    return time.monotonic() - started


class CurrentCatalogue:
    """Database router: every query goes to the catalogue being timed."""

    alias = "default"

    def db_for_read(self, model, **hints):
        return CurrentCatalogue.alias

    def db_for_write(self, model, **hints):
        return CurrentCatalogue.alias

    def allow_relation(self, obj1, obj2, **hints):
        return True


def setup_django(urls: dict[int, str]) -> None:
    os.environ["DATABASE_URL"] = next(iter(urls.values()))
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_LOG_LEVEL"] = "ERROR"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movie_api.settings")
    import django
    import environ
    from django.conf import settings

    for size, url in urls.items():
        settings.DATABASES[f"size_{size}"] = {
            **settings.DATABASES["default"],
            **environ.Env.db_url_config(url),
        }
    settings.DATABASE_ROUTERS = [f"{__name__}.CurrentCatalogue"]
    django.setup()
    from django.test.utils import setup_test_environment

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    settings.HTTP_CACHE = False  # every request runs its view (no stored answer)
    setup_test_environment()


def request(client, method: str, target: str, movie_id: int, *, cold: bool = False):
    from django.core.cache import cache

    if cold:  # as the first read after a catalogue write: nothing kept, counts counted again
        cache.clear()
    if method == "post":
        return client.post("/graphql/", {"query": target}, content_type="application/json")
    return client.get(target.format(movie_id=movie_id))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument(
        "--reuse", action="store_true", help="Keep a catalogue of the right size from a last run."
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="Empty the cache before every request, as the first read after a catalogue "
        "write (counts counted again). Without it, exact counts are kept between requests "
        "as they are between writes (core.counts); answers are never stored either way.",
    )
    args = parser.parse_args()
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    urls = {size: database_url(size) for size in sizes}
    for size, url in urls.items():
        took = seed(size, url, reuse=args.reuse)
        print(f"{size:,} movies in {urlsplit(url).path.lstrip('/')}, seeded in {took:.0f} s")

    setup_django(urls)
    from django.test import Client

    from movies.models import Movie

    client = Client()
    movie_ids = {}
    for size in sizes:
        CurrentCatalogue.alias = f"size_{size}"
        movie_ids[size] = Movie.objects.order_by("id").values_list("id", flat=True)[size // 2]

    timings: dict[tuple[int, str], list[float]] = {}
    statuses: dict[tuple[int, str], int] = {}
    for size in sizes:  # warm up each catalogue and read once
        CurrentCatalogue.alias = f"size_{size}"
        for label, method, target in READS:
            response = request(client, method, target, movie_ids[size], cold=args.cold)
            statuses[size, label] = response.status_code
            timings[size, label] = []
    mode = "cold: cache emptied before each request" if args.cold else "counts kept"
    print(
        f"timing {len(READS)} reads x {len(sizes)} sizes x {args.repeat}, interleaved, {mode}",
        flush=True,
    )
    for _ in range(args.repeat):
        for label, method, target in READS:
            for size in sizes:
                CurrentCatalogue.alias = f"size_{size}"
                start = time.perf_counter()
                request(client, method, target, movie_ids[size], cold=args.cold)
                timings[size, label].append((time.perf_counter() - start) * 1000)

    def p50(size, label):
        return statistics.median(timings[size, label])

    def p95(size, label):
        values = timings[size, label]
        return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)

    base = sizes[0]
    header = " | ".join(f"{size:,}: p50 / p95 ms" for size in sizes)
    growth_header = " | ".join(f"{size:,} / {base:,}" for size in sizes[1:])
    print(f"\n| read | {header} | {growth_header} |")
    print("|---|" + "---|" * (2 * len(sizes) - 1))
    missed = 0
    for label, _, _ in READS:
        cells = " | ".join(f"{p50(size, label):.1f} / {p95(size, label):.1f}" for size in sizes)
        growths = [p50(size, label) / p50(base, label) for size in sizes[1:]]
        ok = all(g <= GROWTH_TARGET for g in growths) and all(
            statuses[size, label] == 200 for size in sizes
        )
        missed += not ok
        growth_cells = " | ".join(f"{g:.1f}x" for g in growths)
        print(f"| {label} | {cells} | {growth_cells}{'' if ok else ' MISSED'} |")
    print("\nall reads within 3x" if not missed else f"\n{missed} read(s) beyond 3x")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
