from django.contrib.postgres.indexes import GinIndex
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_initial")]

    operations = [
        migrations.AddIndex(
            model_name="item",
            index=GinIndex(fields=["search_vector"], name="item_search_gin"),
        )
    ]
