"""The database cache table behind CACHES["shared"] (login throttling) when no Redis is configured.

``createcachetable`` creates the tables of every DatabaseCache in settings and skips those that exist, so this is
the same as running it by hand, and does nothing when the shared cache is Redis.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
