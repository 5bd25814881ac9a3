"""Usernames and emails unique ignoring case, enforced by the database.

``auth.User`` belongs to Django, so the constraints are two expression indexes on its
table, made here with plain SQL that SQLite and PostgreSQL both understand:
``lower(username)`` unique, and ``lower(email)`` unique among non-empty emails (accounts
made by ``createsuperuser`` or the admin may have none).

Before creating them the migration looks for existing clashes and, if there are any,
stops with a message listing them, so an operator knows which accounts to merge or
rename instead of reading a bare ``IntegrityError``.
"""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower

USERNAME_INDEX = "users_auth_user_username_lower_uniq"
EMAIL_INDEX = "users_auth_user_email_lower_uniq"


class CaseInsensitiveClash(RuntimeError):
    """Existing accounts share a username or an email that differ only in case."""


def case_clashes(User, using):
    """``{"username": {lowered: [values...]}, "email": {...}}`` of values shared ignoring case."""
    clashes = {}
    for field in ("username", "email"):
        rows = User._default_manager.using(using).exclude(**{field: ""})
        lowered = (
            rows.annotate(key=Lower(field))
            .values("key")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values_list("key", flat=True)
        )
        found = {}
        for key in lowered:
            found[key] = sorted(
                rows.annotate(key=Lower(field)).filter(key=key).values_list(field, flat=True)
            )
        if found:
            clashes[field] = found
    return clashes


def refuse_existing_clashes(apps, schema_editor):
    User = apps.get_model("auth", "User")
    clashes = case_clashes(User, schema_editor.connection.alias)
    if not clashes:
        return
    lines = [
        "Cannot make usernames and emails unique ignoring case: these accounts clash.",
        "Rename or merge them (e.g. in the admin), then run migrate again.",
    ]
    for field, groups in clashes.items():
        for values in groups.values():
            lines.append(f"  {field}: " + ", ".join(repr(value) for value in values))
    raise CaseInsensitiveClash("\n".join(lines))


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_clashes, migrations.RunPython.noop, elidable=False),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {USERNAME_INDEX} ON auth_user (lower(username))",
            f"DROP INDEX IF EXISTS {USERNAME_INDEX}",
        ),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {EMAIL_INDEX} ON auth_user (lower(email)) WHERE email <> ''",
            f"DROP INDEX IF EXISTS {EMAIL_INDEX}",
        ),
    ]
