from django.contrib import admin

from knowledge.models import (
    Adoption,
    HelpfulMark,
    Item,
    Reply,
)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
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
    raw_id_fields = [
        "community",
        "author",
        "hidden_by",
        "shared_from",
        "shared_by",
        "accepted_reply",
    ]
    readonly_fields = ["helpful_count", "reply_count", "first_reply_at"]
    date_hierarchy = "created_at"


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["item", "author", "created_at", "hidden_at"]
    raw_id_fields = ["item", "author", "hidden_by"]
    date_hierarchy = "created_at"


@admin.register(HelpfulMark)
class HelpfulMarkAdmin(admin.ModelAdmin):
    list_display = ["item", "user", "created_at"]
    raw_id_fields = ["item", "user"]


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ["item", "community", "recorded_by", "created_at"]
    raw_id_fields = ["item", "community", "recorded_by"]
