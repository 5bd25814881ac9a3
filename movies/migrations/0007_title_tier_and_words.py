"""PostgreSQL: the title's own search index (title matches first, without ranking every
match) and the table of title words that typo suggestions correct against. Nothing on
other databases. See movies/postgres.py."""

from django.db import migrations

import movies.postgres


class Migration(migrations.Migration):
    dependencies = [
        ("movies", "0006_popular_row_index"),
    ]

    operations = [
        migrations.RunPython(
            movies.postgres.create_tiers_and_words, movies.postgres.drop_tiers_and_words
        ),
    ]
