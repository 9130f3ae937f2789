"""Items' denormalised tag_names (and search vectors) follow the tags that
members 0002 renamed and merged."""

from django.db import migrations

from knowledge.services import items_tag_names_refresh


def refresh(apps, schema_editor):
    items_tag_names_refresh(
        item_model=apps.get_model("knowledge", "Item"),
        link_model=apps.get_model("knowledge", "ItemTag"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_initial"),
        ("members", "0002_tags_renormalised"),
    ]

    operations = [
        migrations.RunPython(refresh, migrations.RunPython.noop, elidable=False),
    ]
