# Notification, moved from members with its rows.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

APP = "notifications"


def move_content_types(apps, schema_editor):
    """Keep permissions and admin history: members's content types for the
    moved models become this app's (a fresh database has none yet)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("notification",):
        if not ContentType.objects.filter(app_label=APP, model=model).exists():
            ContentType.objects.filter(app_label="members", model=model).update(
                app_label=APP
            )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0003_notification_to_notifications_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table exists already: renamed by members's migration.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=60)),
                        ('message', models.CharField(max_length=300)),
                        ('url', models.CharField(blank=True, max_length=300)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True)),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['recipient', '-created_at'], name='notif_recipient_recent'), models.Index(condition=models.Q(('read_at__isnull', True)), fields=['recipient'], name='notif_recipient_unread')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
