"""The package behind ``populate_movies.py``: fill a running movie_api through its API.

- ``data``: the genres, actors and the seeded movie generator;
- ``posters``: the posters, drawn with Pillow;
- ``client``: HTTP to the site's REST and GraphQL endpoints, failures as one line;
- ``backends``: reading and writing the catalogue over REST or over GraphQL;
- ``run``: one run, creating only what is missing;
- ``cli``: the command line (``main``).

It talks HTTP only (``requests``) and never imports Django.
"""
