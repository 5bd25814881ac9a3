#!/usr/bin/env python
"""``EXPLAIN (ANALYZE, BUFFERS)`` of the catalogue's key reads on a seeded benchmark
database (``bench/catalogue.py`` makes them): the server's own execution time of each
query a read runs (page, count, suggestion steps), which a busy machine disturbs less
than a request's wall time.

    .venv/bin/python bench/explain.py [--size 1000000] [--verbose]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

READS = {
    "search=detective": {"search": "detective"},
    "search=zzqx (no hit)": {"search": "zzqx"},
    "genre+min_rating+search+ordering": {
        "genre": "3",
        "min_rating": "2",
        "search": "river",
        "ordering": "-rating",
    },
    "genre+min_rating+search (ranked)": {"genre": "3", "min_rating": "2", "search": "river"},
    "search=the (most titles)": {"search": "the"},
    "title=lisbon": {"title": "lisbon"},
    "genre=3": {"genre": "3"},
    "list (newest first)": {},
    "list ordering=-rating": {"ordering": "-rating"},
}
SUGGESTIONS = ["the qui", "lisb", "lighthose"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--verbose", action="store_true", help="Print each plan.")
    parser.add_argument("--plans", nargs="*", default=[], help="Print these rows' plans.")
    args = parser.parse_args()
    base = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/movie_api_bench"
    )
    os.environ["DATABASE_URL"] = f"{base}_{args.size}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movie_api.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    from movies import selectors
    from movies.models import TIER_SORT_MAX, Movie, _Not, _rows_where
    from movies.postgres import CATALOGUE_COUNT_SQL
    from movies.search import suggestion_queries

    def analyze(sql: str, params) -> tuple[float, str]:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        return float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)), plan

    def report(label: str, queryset=None, sql: str = "", params=()) -> None:
        if queryset is not None:
            try:
                sql, params = queryset.query.sql_with_params()
            except EmptyResultSet:
                print(f"| {label} | no query |")
                return
        analyze(sql, params)  # warm
        took, plan = min((analyze(sql, params) for _ in range(3)), key=lambda r: r[0])
        print(f"| {label} | {took:.2f} |")
        if args.verbose or label in args.plans:
            print(plan, "\n")

    print(f"{Movie.objects.count():,} movies; EXPLAIN (ANALYZE, BUFFERS), best of 3, ms\n")
    print("| query | execution ms |\n|---|---|")
    for label, filters in READS.items():
        queryset = selectors.movie_values(selectors.movie_list(filters=filters))
        report(f"{label}: page 1", queryset[:20])
        all_matches = "all matches"
        if queryset.stored_count() is not None:  # what the read runs instead of counting
            report(f"{label}: count kept by triggers", sql=CATALOGUE_COUNT_SQL,
                   params=[queryset._count_scope])  # fmt: skip
            all_matches = "all matches (not run: kept by triggers)"
        counted = [(all_matches, queryset.order_by())]
        if queryset._first_tier is not None:  # what a page asks: each tier, up to a cap
            cap = TIER_SORT_MAX + 1
            first = queryset._first_tier
            counted.append(
                (
                    "title tier capped",
                    _rows_where(queryset, first, sorted_whole=False).order_by()[:cap],
                )
            )
            others = _rows_where(queryset, _Not(first), sorted_whole=False).order_by()[:cap]
            counted.append(("plot tier capped", others))
        for name, counted_queryset in counted:
            sql, params = counted_queryset.values("pk").query.sql_with_params()
            count_sql = f"SELECT count(*) FROM ({sql}) c"  # noqa: S608
            report(f"{label}: {name} count (once per write)", sql=count_sql, params=params)
    for text in SUGGESTIONS:
        for step, queryset in enumerate(suggestion_queries(Movie.objects.all(), text), 1):
            report(f"suggest {text!r} step {step}", queryset[:8])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
