"""Statistics for the name expression indexes of 0010 (see knowledge's
0015_analyze_item_expression_indexes: an expression index has no statistics
until its table is analysed)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0010_member_name_search_indexes"),
    ]

    operations = [
        migrations.RunSQL("ANALYZE members_user", migrations.RunSQL.noop),
    ]
