"""PostgreSQL-only schema for search: extensions, the unaccent wrapper, the search
vector and the indexes Django cannot declare portably.

The migration ``0002_search`` runs these statements on PostgreSQL and nothing on
other databases. Needs: the ``unaccent`` and ``pg_trgm`` extensions (both "trusted"
since PostgreSQL 13, so a database owner may create them on managed services).
"""

from __future__ import annotations

from django.db import migrations

# ``unaccent`` is only STABLE (its dictionary could change), so it cannot feed an
# index or a generated column; this wrapper names the dictionary explicitly and is
# declared IMMUTABLE, the usual recipe. {schema} is where the extension lives.
UNACCENT_FUNCTION = """
CREATE OR REPLACE FUNCTION movies_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$
"""

FORWARD = [
    # Title words weigh A, plot words B; 'simple' keeps every word as written
    # (no stemming, no stop words), so a prefix of any word matches.
    """
    ALTER TABLE movies_movie ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, movies_unaccent(coalesce(title, ''))), 'A')
        || setweight(to_tsvector('simple'::regconfig, movies_unaccent(coalesce(plot_summary, ''))), 'B')
    ) STORED
    """,
    "CREATE INDEX movie_search_vector_gin ON movies_movie USING gin (search_vector)",
    # title= (icontains: UPPER(title) LIKE '%x%') and typo suggestions.
    "CREATE INDEX movie_title_upper_trgm ON movies_movie USING gin (upper(title) gin_trgm_ops)",
    "CREATE INDEX movie_title_unaccent_trgm ON movies_movie "
    "USING gin (movies_unaccent(title) gin_trgm_ops)",
    # Suggestions: titles starting with the text, in order, as an index range.
    'CREATE INDEX movie_title_key ON movies_movie ((lower(movies_unaccent(title)) COLLATE "C"), id)',
    # genre= and actor= (and counting them) read the links by genre or person first.
    "CREATE INDEX movie_genres_genre_movie ON movies_movie_genres (genre_id, movie_id)",
    "CREATE INDEX movie_actors_actor_movie ON movies_movie_actors (actor_id, movie_id)",
    # name= on genres and actors (icontains).
    "CREATE INDEX genre_name_upper_trgm ON movies_genre USING gin (upper(name) gin_trgm_ops)",
    "CREATE INDEX actor_name_upper_trgm ON movies_actor USING gin (upper(name) gin_trgm_ops)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS actor_name_upper_trgm",
    "DROP INDEX IF EXISTS genre_name_upper_trgm",
    "DROP INDEX IF EXISTS movie_title_key",
    "DROP INDEX IF EXISTS movie_actors_actor_movie",
    "DROP INDEX IF EXISTS movie_genres_genre_movie",
    "DROP INDEX IF EXISTS movie_title_unaccent_trgm",
    "DROP INDEX IF EXISTS movie_title_upper_trgm",
    "DROP INDEX IF EXISTS movie_search_vector_gin",
    "ALTER TABLE movies_movie DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS movies_unaccent(text)",
]


def _extension_schema(cursor, name: str) -> str:
    cursor.execute(
        "SELECT quote_ident(n.nspname) FROM pg_extension e "
        "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = %s",
        [name],
    )
    row = cursor.fetchone()
    return row[0] if row else "public"


def create_search_schema(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        schema = _extension_schema(cursor, "unaccent")
        cursor.execute(UNACCENT_FUNCTION.format(schema=schema))
        for statement in FORWARD:
            cursor.execute(statement)


def drop_search_schema(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in BACKWARD:
            cursor.execute(statement)


def operations() -> list:
    from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension

    return [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_search_schema, drop_search_schema),
    ]


# --- Migration 0007: search that does not rank every match, bounded typo suggestions ---

# Title matches come first in a search (movies.search.TitleVector): the title's own
# vector, indexed, so they are found among titles only, not among every plot.
TITLE_VECTOR_INDEX = (
    "CREATE INDEX IF NOT EXISTS movie_title_vector_gin ON movies_movie "
    "USING gin (to_tsvector('simple'::regconfig, movies_unaccent(title)))"
)

# The distinct words of every title (folded as the search vector folds them): a typo is
# corrected against these few words (trigram similarity), not against every title.
# Kept by a statement trigger on movies_movie, so COPY (seed_catalogue), the services
# and the admin all feed it; a word whose last title went away stays (a correction to
# it finds no title, and the next best correction is tried with it).
TITLE_WORDS = [
    'CREATE TABLE IF NOT EXISTS movies_title_word (word text COLLATE "C" PRIMARY KEY)',
    "CREATE INDEX IF NOT EXISTS movie_title_word_trgm ON movies_title_word "
    "USING gin (word gin_trgm_ops)",
    """
    CREATE OR REPLACE FUNCTION movies_title_words_add() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO movies_title_word (word)
        SELECT DISTINCT lexeme
        FROM new_rows, unnest(to_tsvector('simple'::regconfig, movies_unaccent(new_rows.title)))
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS movies_title_words_insert ON movies_movie",
    "CREATE TRIGGER movies_title_words_insert AFTER INSERT ON movies_movie "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION movies_title_words_add()",
    "DROP TRIGGER IF EXISTS movies_title_words_update ON movies_movie",
    "CREATE TRIGGER movies_title_words_update AFTER UPDATE ON movies_movie "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION movies_title_words_add()",
    # The words of the titles already there.
    """
    INSERT INTO movies_title_word (word)
    SELECT DISTINCT lexeme
    FROM movies_movie, unnest(to_tsvector('simple'::regconfig, movies_unaccent(movies_movie.title)))
    ON CONFLICT DO NOTHING
    """,
    "ANALYZE movies_title_word",
]

TITLE_WORDS_BACKWARD = [
    "DROP TRIGGER IF EXISTS movies_title_words_update ON movies_movie",
    "DROP TRIGGER IF EXISTS movies_title_words_insert ON movies_movie",
    "DROP FUNCTION IF EXISTS movies_title_words_add()",
    "DROP TABLE IF EXISTS movies_title_word",
    "DROP INDEX IF EXISTS movie_title_vector_gin",
]


def create_tiers_and_words(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in (TITLE_VECTOR_INDEX, *TITLE_WORDS):
            cursor.execute(statement)


def drop_tiers_and_words(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in TITLE_WORDS_BACKWARD:
            cursor.execute(statement)
