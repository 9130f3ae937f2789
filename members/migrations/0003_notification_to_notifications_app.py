# Notification moves to the notifications app. Its rows stay: the table is
# renamed here, and notifications.0001_initial takes the model over in the
# migration state without touching the database.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_welcome_and_email_prefs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(
                    name="notification", table="notifications_notification"
                ),
            ],
            state_operations=[
                migrations.DeleteModel(name="Notification"),
            ],
        ),
    ]
