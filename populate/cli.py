"""The command line of populate_movies.py: options, the summary, exit codes."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Sequence
from typing import NoReturn
from urllib.parse import urlsplit

from .backends import Backend, GraphQLBackend, RestBackend
from .client import DEFAULT_TIMEOUT, MOVIES_PATH, PROG, Api, PopulateError, one_line
from .data import generate_movies
from .members import MembersError, populate_members
from .run import Summary, populate
from .tmdb import Tmdb, TmdbSummary, import_from_tmdb

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_MOVIES = 100
DEFAULT_SEED = 1


def _base_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a site address: give one like http://127.0.0.1:8000"
        )
    return value.rstrip("/")


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


class _Parser(argparse.ArgumentParser):
    """Command-line mistakes are one line too (exit code 2), pointing at --help."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    env = os.environ
    parser = _Parser(
        prog="populate_movies.py",
        description="Fill a running movie_api site with a fictional demo catalogue (genres, people, movies) "
        "through its API. Running it again adds only what is missing.",
        epilog="Prefer POPULATE_PASSWORD to --password: a command line is visible to "
        "other users of the machine.",
    )
    parser.add_argument(
        "--url",
        type=_base_url,
        default=env.get("POPULATE_URL") or DEFAULT_URL,
        help="the site's address (env POPULATE_URL; default %(default)s)",
    )
    parser.add_argument(
        "--username",
        default=env.get("POPULATE_USERNAME"),
        help="an admin (staff) account (env POPULATE_USERNAME)",
    )
    parser.add_argument(
        "--password",
        default=env.get("POPULATE_PASSWORD"),
        help="its password (env POPULATE_PASSWORD; asked for when missing on a terminal)",
    )
    parser.add_argument(
        "--source",
        choices=("demo", "tmdb"),
        default="demo",
        help="demo: a generated fictional catalogue (default); tmdb: popular movies from "
        "TMDB API v3 (needs TMDB_API_KEY or TMDB_READ_TOKEN; REST only)",
    )
    parser.add_argument(
        "--via",
        choices=("rest", "graphql"),
        default="rest",
        help="create through the REST endpoints (default) or the GraphQL mutations",
    )
    parser.add_argument(
        "--movies",
        type=_count,
        default=DEFAULT_MOVIES,
        metavar="N",
        help="how many movies to generate, or to import from TMDB (default %(default)s)",
    )
    parser.add_argument(
        "--members",
        type=_count,
        default=0,
        metavar="N",
        help="also make N demo members with ratings, reviews, lists and diaries "
        "(accounts made through /admin/, the rest through the API; default 0)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="N",
        help="random seed: the same seed gives the same movies (default %(default)s)",
    )
    parser.add_argument(
        "--posters",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="draw and upload a poster for each movie (default: yes)",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr (default: when stderr is a terminal)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="how long to wait for each answer (default %(default)s)",
    )
    return parser


def _print_summary(summary: Summary, args: argparse.Namespace, label: str, seconds: float) -> None:
    rows = [
        ("genres", summary.genres),
        ("people", summary.people),
        ("movies", summary.movies),
    ]
    print(f"{args.url} filled via {label} in {seconds:.1f}s (seed {args.seed}):")
    for name, tally in rows:
        print(
            f"  {name:<7} {tally.created + tally.existing:>4}"
            f"  ({tally.created} created, {tally.existing} already there)"
        )
    posters = f"{summary.posters} uploaded" if args.posters else "skipped (--no-posters)"
    print(f"  posters {posters}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    tmdb: Tmdb | None = None
    if args.source == "tmdb":
        if args.via == "graphql":
            parser.error(
                "--source tmdb writes through REST (tmdb_id is a REST field): drop --via graphql"
            )
        try:
            tmdb = Tmdb.from_environment(timeout=args.timeout)
        except PopulateError as error:
            parser.error(str(error))
    if not args.username:
        parser.error("give --username (or set POPULATE_USERNAME)")
    if args.password is None:
        if not sys.stdin.isatty():
            parser.error("give --password (or set POPULATE_PASSWORD)")
        args.password = getpass.getpass(f"Password for {args.username} at {args.url}: ")

    started = time.monotonic()
    api = Api(args.url, username=args.username, password=args.password, timeout=args.timeout)
    backend: Backend = GraphQLBackend(api) if args.via == "graphql" else RestBackend(api)
    try:
        api.login()
        api.check_admin()
        if tmdb is not None:
            tmdb_summary = import_from_tmdb(
                api, tmdb, args.movies, posters=args.posters, progress=args.progress
            )
        else:
            summary = populate(
                backend,
                generate_movies(args.movies, args.seed),
                posters=args.posters,
                progress=args.progress,
            )
        members = _populate_members(api, args)
    except PopulateError as error:
        print(f"{PROG}: error: {one_line(str(error), 500)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; run it again to finish the rest", file=sys.stderr)
        return 130
    finally:
        api.session.close()
        if tmdb is not None:
            tmdb.session.close()
            tmdb.images.close()
    if tmdb is not None:
        _print_tmdb_summary(tmdb_summary, args, time.monotonic() - started)
    else:
        _print_summary(summary, args, backend.label, time.monotonic() - started)
    if members is not None:
        print(
            f"  members {members.created} created, {members.existing} already there; "
            f"{members.ratings} ratings set, {members.diary_added} diary entries added"
        )
        for note in members.notes:
            print(f"  note: {note}")
    return 0


def _populate_members(api: Api, args: argparse.Namespace):
    """``--members N`` (see ``populate/members.py``); ``None`` when not asked for."""
    if not args.members:
        return None
    movie_ids = [movie["id"] for movie in api.list_all(MOVIES_PATH, "listing the movies")]
    try:
        return populate_members(
            base_url=api.base_url,
            admin_username=args.username,
            admin_password=args.password,
            count=args.members,
            movie_ids=movie_ids,
            seed=args.seed,
            timeout=args.timeout,
        )
    except MembersError as error:
        raise PopulateError(str(error)) from None


def _print_tmdb_summary(summary: TmdbSummary, args: argparse.Namespace, seconds: float) -> None:
    print(f"{args.url} filled from TMDB in {seconds:.1f}s:")
    print(
        f"  movies  {summary.movies_created + summary.movies_existing:>4}"
        f"  ({summary.movies_created} created, {summary.movies_existing} already there)"
    )
    print(f"  people  {summary.people_created} created")
    print(f"  genres  {summary.genres_created} created")
    if not args.posters:
        print("  posters skipped (--no-posters)")
    else:
        missing = len(summary.posters_missing)
        print(
            f"  posters {summary.posters} uploaded, {missing} without a poster on TMDB, "
            f"{len(summary.posters_refused)} refused by the site's poster checks"
        )
    print("This product uses the TMDB API but is not endorsed or certified by TMDB.")
