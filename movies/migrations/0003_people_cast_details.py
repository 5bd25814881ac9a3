"""Movie details: the actor table becomes the one person table, the cast gets characters
and billing order, and movies get directors, release date, runtime, the members' rating
and TMDB ids. Each movie's actors become its cast in their old order (by name, then id)
with empty characters; going back, the cast becomes the actors again."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def actors_to_cast(apps, schema_editor):
    Movie = apps.get_model("movies", "Movie")
    CastMember = apps.get_model("movies", "CastMember")
    Link = Movie.actors.through
    lines = []
    per_movie: dict[int, int] = {}
    links = Link.objects.order_by("movie_id", "person__name", "person_id").values_list(
        "movie_id", "person_id"
    )
    for movie_id, person_id in links.iterator(chunk_size=2000):
        order = per_movie.get(movie_id, 0)
        per_movie[movie_id] = order + 1
        lines.append(CastMember(movie_id=movie_id, person_id=person_id, character="", order=order))
        if len(lines) >= 1000:
            CastMember.objects.bulk_create(lines)
            lines = []
    CastMember.objects.bulk_create(lines)


def cast_to_actors(apps, schema_editor):
    Movie = apps.get_model("movies", "Movie")
    CastMember = apps.get_model("movies", "CastMember")
    Link = Movie.actors.through
    Link.objects.bulk_create(
        [
            Link(movie_id=movie_id, person_id=person_id)
            for movie_id, person_id in CastMember.objects.values_list("movie_id", "person_id")
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("movies", "0002_search_indexes"),
    ]

    operations = [
        # Keeps the table's rows and indexes (and renames the link table's actor_id to
        # person_id; PostgreSQL's indexes from 0002 follow the renamed table and column).
        migrations.RenameModel(old_name="Actor", new_name="Person"),
        migrations.AddField(
            model_name="person",
            name="tmdb_id",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="The person's id on TMDB, when imported.",
                null=True,
                unique=True,
            ),
        ),
        migrations.CreateModel(
            name="CastMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "character",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="The character played; may be empty.",
                        max_length=200,
                    ),
                ),
                (
                    "order",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="Billing order: 0 is billed first; ties by id."
                    ),
                ),
                (
                    "movie",
                    models.ForeignKey(
                        help_text="The movie.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cast_members",
                        to="movies.movie",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        help_text="Who plays the part.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cast_credits",
                        to="movies.person",
                    ),
                ),
            ],
            options={
                "ordering": ["order", "id"],
                "indexes": [
                    models.Index(fields=["person", "movie"], name="castmember_person_movie")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("movie", "person"), name="castmember_movie_person"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="movie",
            name="directors",
            field=models.ManyToManyField(
                blank=True,
                help_text="Who directed the movie.",
                related_name="directed",
                to="movies.person",
            ),
        ),
        migrations.AddField(
            model_name="movie",
            name="release_date",
            field=models.DateField(
                blank=True, help_text="First release date; unknown is null.", null=True
            ),
        ),
        migrations.AddField(
            model_name="movie",
            name="runtime",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Length in minutes, 1 to 1000; unknown is null.",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(1000),
                ],
            ),
        ),
        migrations.AddField(
            model_name="movie",
            name="members_rating_average",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                editable=False,
                help_text="Average of the members' scores; null while nobody rated "
                "(kept by the members' rating service).",
                max_digits=3,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="movie",
            name="members_rating_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="How many members rated the movie."
            ),
        ),
        migrations.AddField(
            model_name="movie",
            name="tmdb_id",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="The movie's id on TMDB, when imported.",
                null=True,
                unique=True,
            ),
        ),
        migrations.AddIndex(
            model_name="movie",
            index=models.Index(fields=["release_date", "id"], name="movie_release_date_id"),
        ),
        migrations.AddIndex(
            model_name="movie",
            index=models.Index(fields=["runtime", "id"], name="movie_runtime_id"),
        ),
        migrations.AddIndex(
            model_name="movie",
            index=models.Index(
                fields=["members_rating_average", "id"], name="movie_members_rating_id"
            ),
        ),
        migrations.AddConstraint(
            model_name="movie",
            constraint=models.CheckConstraint(
                condition=models.Q(("runtime__isnull", True))
                | models.Q(("runtime__gte", 1), ("runtime__lte", 1000)),
                name="movie_runtime_between_1_and_1000",
            ),
        ),
        migrations.RunPython(actors_to_cast, cast_to_actors),
        migrations.RemoveField(model_name="movie", name="actors"),
        migrations.AddField(
            model_name="movie",
            name="cast",
            field=models.ManyToManyField(
                blank=True,
                help_text="The people in the cast (billing order is on CastMember).",
                related_name="movies",
                through="movies.CastMember",
                to="movies.person",
            ),
        ),
    ]
