#!/usr/bin/env python
"""Load benchmark: the project under gunicorn and ``wrk``, next to a bare-Django floor.

Seeds a throw-away SQLite database (or a fresh PostgreSQL one with ``--database-url``:
it is flushed, never point it at real data) with 100 movies (3 genres, 4 cast and a
director each), collects the static files, then serves ``bench.settings`` (the project
plus ``/__floor__/``, bench/floor.py) with gunicorn, once with the response cache off
(cold) and once on (warm), and drives each endpoint with ``wrk``. It prints req/s,
p50/p99 latency and the ratio to the floor measured in the same server run, then each
worker's resident memory. Exits 1 when a target of issue 13 is missed.

    .venv/bin/python bench/load.py [--workers 2] [--duration 8] [--connections 8]
        [--database-url postgres://...] [--redis-url redis://...] [--conn-max-age 0]
        [--only home --only /api/movies/]   (a subset; the floor is always measured)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GRAPHQL_ALL_MOVIES = (
    '{"query": "{ allMovies(limit: 20) { id title rating genres { name } actors { name } } }"}'
)


@dataclass
class Endpoint:
    name: str
    path: str
    post: str | None = None
    # (cold, warm) shares of the floor to reach; None: reported only.
    cold_target: float | None = None
    warm_target: float | None = 1.0


ENDPOINTS = [
    Endpoint("floor: bare Django, 20 movies nested", "/__floor__/", warm_target=None),
    Endpoint("/api/movies/ (20)", "/api/movies/", cold_target=0.50),
    Endpoint("/api/movies/<id>/", "/api/movies/{movie_id}/", cold_target=0.50),
    Endpoint("/api/movies/?page_size=100", "/api/movies/?page_size=100", cold_target=0.25),
    Endpoint("home page (HTML)", "/", cold_target=0.35),
    Endpoint("movie list page (HTML)", "/movies/", warm_target=None),
    Endpoint("GraphQL allMovies(limit: 20)", "/graphql/", post=GRAPHQL_ALL_MOVIES),
    Endpoint("/api/movies/genres/", "/api/movies/genres/"),
]


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url: str, post: str | None, args, tmp: Path) -> Result:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s"]
    command += ["--latency"]
    if post is not None:
        script = tmp / "post.lua"
        body = post.replace("\\", "\\\\").replace('"', '\\"')
        script.write_text(
            'wrk.method = "POST"\n'
            f'wrk.body = "{body}"\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
        )
        command += ["-s", str(script)]
    output = subprocess.run(  # noqa: S603 - wrk with our own arguments
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = 0
    for pattern in (r"Non-2xx or 3xx responses: (\d+)", r"Socket errors: .*timeout (\d+)"):
        match = re.search(pattern, output)
        errors += int(match.group(1)) if match else 0
    return Result(rps, p50, p99, errors)


def django_env(args, tmp: Path, *, cache: bool) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
        "DATABASE_CONN_MAX_AGE": str(args.conn_max_age),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "HTTP_CACHE": "1" if cache else "0",
        "CACHE_KEY_PREFIX": f"bench-{os.getpid()}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_MAX_REQUESTS": str(args.max_requests),
    }
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def seed(env: dict[str, str]) -> int:
    """Migrate, seed and collect static files; returns a movie id."""
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["flush", "--noinput"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*manage, "collectstatic", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    script = """
from decimal import Decimal
import django
django.setup()
from movies.models import CastMember, Genre, Movie, Person
genres = Genre.objects.bulk_create(Genre(name=n) for n in
    ["Drama", "Comedy", "Action", "Thriller", "Horror", "Romance", "Sci-Fi", "Documentary"])
people = Person.objects.bulk_create(Person(name=f"Person Number {n}") for n in range(60))
movies = Movie.objects.bulk_create(
    Movie(title=f"The Movie Number {n}", plot_summary="A story about the sea. " * 6,
          rating=Decimal(n % 51) / 10, runtime=90 + n) for n in range(100))
Movie.genres.through.objects.bulk_create(
    Movie.genres.through(movie_id=m.id, genre_id=genres[(i + k) % 8].id)
    for i, m in enumerate(movies) for k in range(3))
CastMember.objects.bulk_create(
    CastMember(movie=m, person=people[(i * 7 + k) % 60], character=f"Part {k}", order=k)
    for i, m in enumerate(movies) for k in range(4))
Movie.directors.through.objects.bulk_create(
    Movie.directors.through(movie_id=m.id, person_id=people[(i * 3 + 50) % 60].id)
    for i, m in enumerate(movies))
print(movies[0].id)
"""
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(output.strip().splitlines()[-1])


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "bench.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__floor__/", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def worker_memory_mib(server: subprocess.Popen) -> list[float]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kib = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
        sizes.append(kib / 1024)
    return sizes


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def chosen_endpoints(only: list[str]) -> list[Endpoint]:
    """The floor, then every endpoint (or those whose name or path holds one of ``only``)."""
    floor, *rest = ENDPOINTS
    if only:
        rest = [e for e in rest if any(w in e.name or w in e.path for w in only)]
    return [floor, *rest]


def run_mode(args, tmp: Path, movie_id: int, *, cache: bool) -> tuple[dict, list[float]]:
    env = django_env(args, tmp, cache=cache)
    server = start_server(env, args.port)
    results = {}
    try:
        for endpoint in chosen_endpoints(args.only):
            url = f"http://127.0.0.1:{args.port}{endpoint.path.format(movie_id=movie_id)}"
            # warm up: imports, templates, connections, and (warm mode) the cache
            for _ in range(3 * args.workers):
                request = urllib.request.Request(  # noqa: S310
                    url,
                    data=endpoint.post.encode() if endpoint.post else None,
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    response.read()
            results[endpoint.name] = run_wrk(url, endpoint.post, args, tmp)
        memory = worker_memory_mib(server)
    finally:
        stop(server)
    return results, memory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=8, help="seconds per endpoint")
    parser.add_argument("--port", type=int, default=19231)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--conn-max-age", type=int, default=0)
    parser.add_argument("--max-requests", type=int, default=50000, help="gunicorn max_requests")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only the endpoints whose name or path holds this text (repeatable; "
        "the floor is always measured)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make bench-load` installs it (Debian package wrk)")

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        movie_id = seed(django_env(args, tmp, cache=False))
        cold, cold_memory = run_mode(args, tmp, movie_id, cache=False)
        warm, warm_memory = run_mode(args, tmp, movie_id, cache=True)

    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(
        f"\n{database}, cache {'Redis' if args.redis_url else 'in-process'}, gunicorn "
        f"{args.workers} sync workers, max_requests={args.max_requests}, "
        f"CONN_MAX_AGE={args.conn_max_age}, wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration}s, {os.cpu_count()} CPUs\n"
    )
    header = f"{'endpoint':38} | {'cold req/s':>10} {'p50':>7} {'p99':>7} {'floor':>6} | "
    header += f"{'warm req/s':>10} {'p50':>7} {'p99':>7} {'floor':>6}"
    print(header)
    print("-" * len(header))
    missed = []
    floor_name = ENDPOINTS[0].name
    for endpoint in chosen_endpoints(args.only):
        c, w = cold[endpoint.name], warm[endpoint.name]
        c_ratio = c.rps / cold[floor_name].rps
        w_ratio = w.rps / warm[floor_name].rps
        print(
            f"{endpoint.name:38} | {c.rps:10.0f} {c.p50_ms:6.1f}ms {c.p99_ms:6.1f}ms "
            f"{c_ratio:6.0%} | {w.rps:10.0f} {w.p50_ms:6.1f}ms {w.p99_ms:6.1f}ms {w_ratio:6.0%}"
        )
        if c.errors or w.errors:
            missed.append(f"{endpoint.name}: {c.errors + w.errors} errors")
        if endpoint.cold_target is not None and c_ratio < endpoint.cold_target:
            missed.append(f"{endpoint.name}: cold {c_ratio:.0%} < {endpoint.cold_target:.0%}")
        if endpoint.warm_target is not None and w_ratio < endpoint.warm_target:
            missed.append(f"{endpoint.name}: warm {w_ratio:.0%} < {endpoint.warm_target:.0%}")
    print(
        "\nMemory per worker after the run (RSS): cold "
        + ", ".join(f"{m:.0f} MiB" for m in cold_memory)
        + "; warm "
        + ", ".join(f"{m:.0f} MiB" for m in warm_memory)
    )
    for line in missed:
        print(f"MISSED {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
