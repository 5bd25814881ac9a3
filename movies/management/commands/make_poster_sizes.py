"""Backfill: store the WebP sizes of posters uploaded before sizes existed."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.catalogue_version import bump_catalogue_version
from movies.images import save_poster_sizes, size_names
from movies.models import Movie


class Command(BaseCommand):
    help = "Make the 185/342/780 px WebP sizes of every poster that has none (--all: redo all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake the sizes of every poster.")

    def handle(self, *args, **options):
        movies = Movie.objects.exclude(image="").only("id", "image", "image_sizes").order_by("id")
        if not options["all"]:
            movies = movies.filter(image_sizes__isnull=True)
        made = failed = 0
        for movie in movies.iterator():
            old_sizes = movie.image_sizes
            try:
                sizes = save_poster_sizes(movie.image)
            except Exception as error:  # a missing or unreadable file: report and go on
                failed += 1
                self.stderr.write(f"Movie {movie.pk}: {movie.image.name}: {error}")
                continue
            Movie.objects.filter(pk=movie.pk).update(image_sizes=sizes)
            for name in size_names(old_sizes):  # --all: the sizes just replaced
                movie.image.storage.delete(name)
            made += 1
        if made:
            bump_catalogue_version()
        self.stdout.write(f"Made sizes for {made} poster(s); {failed} failed.")
