"""The GIN index behind full-text search exists on PostgreSQL only; SQLite
uses a simpler search and has no such index type."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS item_search_gin ON knowledge_item USING gin (search_vector)"
DROP = "DROP INDEX IF EXISTS item_search_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
