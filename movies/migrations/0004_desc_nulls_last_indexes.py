"""PostgreSQL: the descending orderings that put nulls last (``-release_date``,
``-runtime``, ``-members_rating``) get their own indexes. A plain ``(field, id)``
index read backwards gives DESC NULLS FIRST, so without these such a page sorts
the whole table. SQLite cannot declare NULLS LAST in an index: nothing there."""

from django.db import migrations

COLUMNS = {
    "movie_release_date_desc": "release_date",
    "movie_runtime_desc": "runtime",
    "movie_members_rating_desc": "members_rating_average",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in COLUMNS.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON movies_movie ({column} DESC NULLS LAST, id DESC)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("movies", "0003_people_cast_details")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
