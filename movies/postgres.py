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


# --- Migration 0008: exact counts of the catalogue and of each genre, without counting ---

# How many movies the catalogue holds (scope 0) and each genre holds (scope = the genre's
# id), kept by statement triggers on movies_movie and its genre links as rows of deltas:
# a write appends a row (+n or -n) and never updates a shared one, so concurrent writers
# never wait for each other (nor deadlock) on a counter, and a rolled-back write takes its
# rows with it. A count is the sum of its scope's rows: exact at the reader's snapshot,
# like count(*). After each write, the rows of the scopes it touched are folded into one
# a scope (a scope summing to 0, a deleted genre's, is dropped) by whoever gets the
# advisory lock first; the others skip folding (pg_try_advisory_xact_lock never waits),
# so the table stays a few dozen rows. A TRUNCATE (Django's flush) empties it.

CATALOGUE_COUNTS = [
    # Whoever migrates waits for the writers of the moment and holds off new ones until
    # the backfill below commits with the triggers: no write is counted twice or missed.
    "LOCK TABLE movies_movie, movies_movie_genres IN SHARE ROW EXCLUSIVE MODE",
    """
    CREATE TABLE movies_catalogue_count (
        id bigserial PRIMARY KEY,
        scope bigint NOT NULL,
        delta bigint NOT NULL
    )
    """,
    "COMMENT ON TABLE movies_catalogue_count IS 'Deltas of movie counts: scope 0 is the "
    "whole catalogue, any other the genre of that id; a count is the sum of its scope. "
    "Kept by triggers (movies/postgres.py).'",
    "CREATE INDEX movies_catalogue_count_scope ON movies_catalogue_count (scope)",
    # Folds the rows of the given scopes into one a scope. 6020817: the folding's advisory
    # lock, a number no other lock of the project uses. Only under READ COMMITTED (Django's
    # default): a REPEATABLE READ or SERIALIZABLE writer skips folding, since deleting rows
    # that a fold committed after its snapshot would fail it with a serialization error.
    """
    CREATE FUNCTION movies_catalogue_count_fold(scopes bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('transaction_isolation') = 'read committed' THEN
            IF pg_try_advisory_xact_lock(6020817) THEN
                WITH folded AS (
                    DELETE FROM movies_catalogue_count WHERE scope = ANY(scopes)
                    RETURNING scope, delta
                )
                INSERT INTO movies_catalogue_count (scope, delta)
                SELECT scope, sum(delta) FROM folded GROUP BY scope HAVING sum(delta) <> 0;
            END IF;
        END IF;
    END
    $$
    """,
    """
    CREATE FUNCTION movies_catalogue_count_movies() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO movies_catalogue_count (scope, delta)
            SELECT 0, count(*) FROM new_rows HAVING count(*) > 0;
        ELSE
            INSERT INTO movies_catalogue_count (scope, delta)
            SELECT 0, -count(*) FROM old_rows HAVING count(*) > 0;
        END IF;
        PERFORM movies_catalogue_count_fold(ARRAY[0]::bigint[]);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION movies_catalogue_count_genres() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            INSERT INTO movies_catalogue_count (scope, delta)
            SELECT genre_id, -count(*) FROM old_rows GROUP BY genre_id;
            PERFORM movies_catalogue_count_fold(ARRAY(SELECT DISTINCT genre_id FROM old_rows));
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO movies_catalogue_count (scope, delta)
            SELECT genre_id, count(*) FROM new_rows GROUP BY genre_id;
            PERFORM movies_catalogue_count_fold(ARRAY(SELECT DISTINCT genre_id FROM new_rows));
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION movies_catalogue_count_truncated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'movies_movie' THEN
            DELETE FROM movies_catalogue_count;  -- no movie left, so no genre link either
        ELSE
            DELETE FROM movies_catalogue_count WHERE scope <> 0;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER movies_catalogue_count_insert AFTER INSERT ON movies_movie "
    "REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION movies_catalogue_count_movies()",
    "CREATE TRIGGER movies_catalogue_count_delete AFTER DELETE ON movies_movie "
    "REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION movies_catalogue_count_movies()",
    "CREATE TRIGGER movies_catalogue_count_truncate AFTER TRUNCATE ON movies_movie "
    "FOR EACH STATEMENT EXECUTE FUNCTION movies_catalogue_count_truncated()",
    "CREATE TRIGGER movies_catalogue_count_insert AFTER INSERT ON movies_movie_genres "
    "REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION movies_catalogue_count_genres()",
    "CREATE TRIGGER movies_catalogue_count_delete AFTER DELETE ON movies_movie_genres "
    "REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION movies_catalogue_count_genres()",
    "CREATE TRIGGER movies_catalogue_count_update AFTER UPDATE ON movies_movie_genres "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION movies_catalogue_count_genres()",
    "CREATE TRIGGER movies_catalogue_count_truncate AFTER TRUNCATE ON movies_movie_genres "
    "FOR EACH STATEMENT EXECUTE FUNCTION movies_catalogue_count_truncated()",
    # The counts of what is there already.
    "INSERT INTO movies_catalogue_count (scope, delta) "
    "SELECT 0, count(*) FROM movies_movie HAVING count(*) > 0",
    "INSERT INTO movies_catalogue_count (scope, delta) "
    "SELECT genre_id, count(*) FROM movies_movie_genres GROUP BY genre_id",
    "ANALYZE movies_catalogue_count",
]

CATALOGUE_COUNTS_BACKWARD = [
    "DROP TRIGGER IF EXISTS movies_catalogue_count_truncate ON movies_movie_genres",
    "DROP TRIGGER IF EXISTS movies_catalogue_count_update ON movies_movie_genres",
    "DROP TRIGGER IF EXISTS movies_catalogue_count_delete ON movies_movie_genres",
    "DROP TRIGGER IF EXISTS movies_catalogue_count_insert ON movies_movie_genres",
    "DROP TRIGGER IF EXISTS movies_catalogue_count_truncate ON movies_movie",
    "DROP TRIGGER IF EXISTS movies_catalogue_count_delete ON movies_movie",
    "DROP TRIGGER IF EXISTS movies_catalogue_count_insert ON movies_movie",
    "DROP FUNCTION IF EXISTS movies_catalogue_count_truncated()",
    "DROP FUNCTION IF EXISTS movies_catalogue_count_genres()",
    "DROP FUNCTION IF EXISTS movies_catalogue_count_movies()",
    "DROP FUNCTION IF EXISTS movies_catalogue_count_fold(bigint[])",
    "DROP TABLE IF EXISTS movies_catalogue_count",
]

# A count: the sum of its scope's deltas (an index range of a row or a few).
CATALOGUE_COUNT_SQL = "SELECT coalesce(sum(delta), 0) FROM movies_catalogue_count WHERE scope = %s"


def create_catalogue_counts(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in CATALOGUE_COUNTS:
            cursor.execute(statement)


def drop_catalogue_counts(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in CATALOGUE_COUNTS_BACKWARD:
            cursor.execute(statement)
