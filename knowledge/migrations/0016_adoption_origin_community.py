import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """An adoption carries the community its item comes from, so a
    community's stick rate reads its adoptions by index (the largest
    community's 186 adoptions) instead of joining all its 48,000 items."""

    dependencies = [
        ("knowledge", "0015_analyze_item_expression_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="adoption",
            name="origin_community",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="communities.community",
            ),
        ),
        migrations.RunSQL(
            """
            UPDATE knowledge_adoption a SET origin_community_id = i.community_id
            FROM knowledge_item i WHERE i.id = a.item_id
            """,
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="adoption",
            name="origin_community",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="communities.community",
            ),
        ),
    ]
