from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_functions(sender, connection, **kwargs) -> None:
    """SQLite has no unaccent: give it ``movies_fold`` (case and accents off) for search."""
    if connection.vendor != "sqlite":
        return
    from movies.search import fold

    connection.connection.create_function("movies_fold", 1, fold, deterministic=True)


class MoviesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "movies"
    verbose_name = "Movie catalogue"

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_functions, dispatch_uid="movies_sqlite_fold")
