"""PostgreSQL: the catalogue's and each genre's exact movie counts, kept by triggers
(movies_catalogue_count), so an unfiltered list or a one-genre list does not count its
rows. Nothing on other databases. See movies/postgres.py."""

from django.db import migrations

import movies.postgres


class Migration(migrations.Migration):
    dependencies = [
        ("movies", "0007_title_tier_and_words"),
    ]

    operations = [
        migrations.RunPython(
            movies.postgres.create_catalogue_counts, movies.postgres.drop_catalogue_counts
        ),
    ]
