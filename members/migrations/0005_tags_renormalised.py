"""Every stored tag renamed to its canonical name (members.tags), merging
tags that become the same name, so a profile's "shift handover" and a
question's "shift-handover" are one tag."""

from django.db import migrations

from members.tags import tags_renormalise


def renormalise(apps, schema_editor):
    tags_renormalise(tag_model=apps.get_model("taggit", "Tag"))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_outbox_done"),
        (
            "taggit",
            "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx",
        ),
    ]

    operations = [
        migrations.RunPython(renormalise, migrations.RunPython.noop, elidable=False),
    ]
