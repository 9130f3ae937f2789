from django.contrib import admin

from digests.models import Digest, DigestDelivery


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    """Digests are built by the Celery job; operators read them here and
    rebuild with `manage.py send_digests`, so the content is read-only."""

    list_display = ["community", "period", "start", "end", "has_news", "built_at"]
    list_filter = ["period", "has_news"]
    search_fields = ["community__name", "community__slug"]
    list_select_related = ["community"]
    date_hierarchy = "start"
    raw_id_fields = ["community"]
    readonly_fields = ["start", "end", "content", "html", "has_news", "built_at"]
    ordering = ["-start", "community__name"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    """One member's e-mail for one period: find stuck or failed sends."""

    list_display = [
        "member",
        "period",
        "period_start",
        "status",
        "attempts",
        "notification_count",
        "sent_at",
    ]
    list_filter = ["status", "period"]
    search_fields = ["member__email", "member__username", "member__display_name"]
    list_select_related = ["member"]
    date_hierarchy = "period_start"
    raw_id_fields = ["member"]
    readonly_fields = [
        "claim_token",
        "claimed_at",
        "attempts",
        "last_error",
        "digest_ids",
        "notification_count",
        "created_at",
        "sent_at",
    ]
    ordering = ["-period_start", "-id"]
