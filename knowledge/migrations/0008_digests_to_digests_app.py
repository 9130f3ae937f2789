# Digest and DigestDelivery move to the digests app. Their rows stay: the
# tables are renamed here, and digests.0001_initial takes the models over in
# the migration state without touching the database.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0007_item_author_community_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="digest", table="digests_digest"),
                migrations.AlterModelTable(
                    name="digestdelivery", table="digests_digestdelivery"
                ),
            ],
            state_operations=[
                migrations.DeleteModel(name="DigestDelivery"),
                migrations.DeleteModel(name="Digest"),
            ],
        ),
    ]
