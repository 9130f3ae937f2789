"""Every stored tag renamed to its canonical name (members.tags), merging
tags that become the same name, so a profile's "shift handover" and a
question's "shift-handover" are one tag. A no-op on a new database; kept for
databases loaded from data written before the one tag normaliser."""

from django.db import migrations

from members.tags import tags_renormalise


def renormalise(apps, schema_editor):
    tags_renormalise(tag_model=apps.get_model("taggit", "Tag"))


class Migration(migrations.Migration):
    # Every app's tag links exist before their tags are merged.
    dependencies = [
        ("members", "0001_initial"),
        ("communities", "0002_initial"),
        ("knowledge", "0002_initial"),
        ("mentoring", "0001_initial"),
        (
            "taggit",
            "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx",
        ),
    ]

    operations = [
        migrations.RunPython(renormalise, migrations.RunPython.noop, elidable=False),
    ]
