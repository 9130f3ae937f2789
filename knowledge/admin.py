from django.contrib import admin

from knowledge.models import (
    Adoption,
    Digest,
    DigestDelivery,
    HelpfulMark,
    Item,
    Reply,
)
from knowledge.services import (
    item_hide,
    item_restore,
    item_update,
    reply_hide,
    reply_restore,
    reply_update,
)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    """Staff moderate items; members write them. An edit goes through
    knowledge.services.item_update, which re-renders the HTML, normalises the
    tags and refreshes the search vector; hiding through item_hide/restore.
    Everything else (counters, dates, links) is shown read-only."""

    list_display = [
        "title",
        "kind",
        "community",
        "author",
        "created_at",
        "helpful_count",
        "reply_count",
        "hidden_at",
    ]
    list_filter = ["kind", "hidden_at"]
    search_fields = ["title", "tag_names"]
    fields = [
        "kind", "title", "body", "tags", "community", "author", "created_at",
        "edited_at", "last_activity_at", "hidden_at", "hidden_by", "shared_from",
        "shared_by", "share_note", "accepted_reply", "helpful_count",
        "reply_count", "first_reply_at",
    ]  # fmt: skip
    readonly_fields = fields[4:]
    date_hierarchy = "created_at"
    actions = ["hide", "restore"]

    def has_add_permission(self, request):
        return False  # members write items in their communities

    def save_model(self, request, obj, form, change):
        item_update(
            item=obj,
            editor=request.user,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            tags=form.cleaned_data["tags"],
        )

    def save_related(self, request, form, formsets, change):
        """The tags were set (normalised) by item_update; the form's own m2m
        save would store them as typed."""

    @admin.action(description="Hide the selected items")
    def hide(self, request, queryset):
        for item in queryset:
            item_hide(item=item, by=request.user)

    @admin.action(description="Restore the selected items")
    def restore(self, request, queryset):
        for item in queryset:
            item_restore(item=item, by=request.user)


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    """An edited reply is re-rendered by knowledge.services.reply_update;
    hiding goes through reply_hide/restore, which keep the item's count."""

    list_display = ["item", "author", "created_at", "hidden_at"]
    fields = ["body", "item", "author", "created_at", "edited_at", "hidden_at"]
    readonly_fields = fields[1:]
    date_hierarchy = "created_at"
    actions = ["hide", "restore"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        reply_update(reply=obj, editor=request.user, body=form.cleaned_data["body"])

    @admin.action(description="Hide the selected replies")
    def hide(self, request, queryset):
        for reply in queryset:
            reply_hide(reply=reply, by=request.user)

    @admin.action(description="Restore the selected replies")
    def restore(self, request, queryset):
        for reply in queryset:
            reply_restore(reply=reply, by=request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that counters and notifications follow: written only by
    knowledge.services (helpful_set, adoption_record), read here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HelpfulMark)
class HelpfulMarkAdmin(ReadOnlyAdmin):
    list_display = ["item", "user", "created_at"]


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdmin):
    list_display = ["item", "community", "recorded_by", "created_at"]


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
