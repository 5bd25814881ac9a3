#!/usr/bin/env python3
"""Fill a running movie_api site with demo data through its own API.

Signs in as an admin, then makes sure the site holds a fictional demo catalogue: 13
genres, 33 invented people (actors, directors, a few who do both) and (by default) 100
generated movies, each with a release date (1950-2026), a runtime, 1-2 directors, 4-8
billed cast members with characters, a plot written for its genre, a rating mostly
between 2.5 and 4.5 and a poster drawn with Pillow in its genre's style::

    POPULATE_PASSWORD=... python populate_movies.py --url http://127.0.0.1:8000 --username admin
    python populate_movies.py --via graphql --movies 20 --seed 7
    TMDB_API_KEY=... python populate_movies.py --source tmdb --movies 40

It only talks HTTP (``requests``): it never imports Django, so it works against any
movie_api, local or remote. Running it again adds nothing that is already there:
genres and people are matched by name, movies by title (ignoring case and spacing);
with ``--source tmdb``, movies and people by TMDB id.
The same ``--seed`` always generates the same movies, so the default seed makes
``make run`` idempotent. ``--via graphql`` creates through the GraphQL mutations;
GraphQL has no file upload, so the posters then follow through REST (a multipart
PATCH of the movie just created).

Exit codes: 0 done, 1 the site could not be filled (one line on stderr says why),
2 bad command line, 130 interrupted.

This file is only the entry point: the work is done by the ``populate`` package beside
it (data, posters, client, backends, run, tmdb, cli); see docs/populate.md.
"""

from __future__ import annotations

import sys

from populate.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
