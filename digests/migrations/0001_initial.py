# Digest and DigestDelivery, moved from knowledge with their rows.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

APP = "digests"


def move_content_types(apps, schema_editor):
    """Keep permissions and admin history: knowledge's content types for the
    moved models become this app's (a fresh database has none yet)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("digest", "digestdelivery"):
        if not ContentType.objects.filter(app_label=APP, model=model).exists():
            ContentType.objects.filter(app_label="knowledge", model=model).update(
                app_label=APP
            )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("knowledge", "0008_digests_to_digests_app"),
        ('communities', '0004_membership_invited_by'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table exists already: renamed by knowledge's migration.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Digest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period', models.CharField(choices=[('daily', 'Daily'), ('weekly', 'Weekly')], max_length=10)),
                        ('start', models.DateTimeField()),
                        ('end', models.DateTimeField()),
                        ('content', models.JSONField(default=dict)),
                        ('html', models.TextField(blank=True)),
                        ('has_news', models.BooleanField(default=False)),
                        ('built_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digests', to='communities.community')),
                    ],
                    options={
                        'indexes': [models.Index(fields=['period', 'start'], name='digest_period_start')],
                        'constraints': [models.UniqueConstraint(fields=('community', 'period', 'start'), name='digest_once')],
                    },
                ),
                migrations.CreateModel(
                    name='DigestDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period', models.CharField(choices=[('daily', 'Daily'), ('weekly', 'Weekly')], max_length=10)),
                        ('period_start', models.DateTimeField()),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=10)),
                        ('claim_token', models.CharField(blank=True, max_length=32)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('attempts', models.PositiveIntegerField(default=0)),
                        ('last_error', models.TextField(blank=True)),
                        ('digest_ids', models.JSONField(blank=True, default=list)),
                        ('notification_count', models.PositiveIntegerField(default=0)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digest_deliveries', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name_plural': 'digest deliveries',
                        'indexes': [models.Index(fields=['claim_token'], name='digest_delivery_claim')],
                        'constraints': [models.UniqueConstraint(fields=('member', 'period', 'period_start'), name='digest_delivery_once')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
