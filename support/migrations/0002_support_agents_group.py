"""Create the "Support agents" group: its members work the support desk without being staff."""

from django.conf import settings
from django.db import migrations


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=settings.SUPPORT_AGENT_GROUP)


def delete_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=settings.SUPPORT_AGENT_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("support", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
