from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from knowledge.models import (
    Adoption,
    AdoptionCheckIn,
    Experiment,
    HelpfulMark,
    InboundMailLog,
    Item,
    ItemKind,
    Reply,
    ReplyHelpfulMark,
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
        "kind", "activity", "title", "body", "tags", "community", "author",
        "created_at", "edited_at", "last_activity_at", "hidden_at", "hidden_by",
        "shared_from", "shared_by", "share_note", "accepted_reply", "helpful_count",
        "reply_count", "first_reply_at",
    ]  # fmt: skip
    readonly_fields = fields[5:]
    date_hierarchy = "created_at"
    actions = ["hide", "restore"]

    def has_add_permission(self, request):
        return False  # members write items in their communities

    def get_readonly_fields(self, request, obj=None):
        # An experiment stays one (its record must match), and nothing
        # becomes one here (it has no hypothesis): see item_update.
        if obj is not None and obj.kind == ItemKind.EXPERIMENT:
            return ["kind", *self.readonly_fields]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "kind" in form.base_fields:
            form.base_fields["kind"].choices = [
                c for c in ItemKind.choices if c[0] != ItemKind.EXPERIMENT
            ]
        return form

    def save_model(self, request, obj, form, change):
        item_update(
            item=Item.objects.get(pk=obj.pk),
            acting_user=request.user,
            kind=form.cleaned_data.get("kind", obj.kind),
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            tags=form.cleaned_data["tags"],
            activity=form.cleaned_data["activity"],
        )

    def save_related(self, request, form, formsets, change):
        """The tags were set (normalised) by item_update; the form's own m2m
        save would store them as typed."""

    @admin.action(description=_("Hide the selected items"))
    def hide(self, request, queryset):
        for item in queryset:
            item_hide(item=item, acting_user=request.user)

    @admin.action(description=_("Restore the selected items"))
    def restore(self, request, queryset):
        for item in queryset:
            item_restore(item=item, acting_user=request.user)


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    """An edited reply is re-rendered by knowledge.services.reply_update;
    hiding goes through reply_hide/restore, which keep the item's count."""

    list_display = ["item", "author", "created_at", "helpful_count", "hidden_at"]
    fields = [
        "body", "item", "author", "created_at", "edited_at", "hidden_at",
        "helpful_count", "recommended_at", "recommended_by",
    ]  # fmt: skip
    readonly_fields = fields[1:]
    date_hierarchy = "created_at"
    actions = ["hide", "restore"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        reply_update(
            reply=obj, acting_user=request.user, body=form.cleaned_data["body"]
        )

    @admin.action(description=_("Hide the selected replies"))
    def hide(self, request, queryset):
        for reply in queryset:
            reply_hide(reply=reply, acting_user=request.user)

    @admin.action(description=_("Restore the selected replies"))
    def restore(self, request, queryset):
        for reply in queryset:
            reply_restore(reply=reply, acting_user=request.user)


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


@admin.register(ReplyHelpfulMark)
class ReplyHelpfulMarkAdmin(ReadOnlyAdmin):
    list_display = ["reply", "user", "created_at"]
    raw_id_fields = ["reply", "user"]


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdmin):
    list_display = ["item", "community", "recorded_by", "created_at"]
    raw_id_fields = ["item", "community", "recorded_by"]


@admin.register(InboundMailLog)
class InboundMailLogAdmin(ReadOnlyAdmin):
    """Every e-mail that reached a reply address (knowledge/inbound.py)."""

    list_display = [
        "received_at",
        "outcome",
        "sender",
        "recipient",
        "channel",
        "reason",
        "reply",
    ]
    list_filter = ["outcome", "channel"]
    search_fields = ["sender", "recipient", "message_id"]
    date_hierarchy = "received_at"
    raw_id_fields = ["member", "item", "reply"]


@admin.register(AdoptionCheckIn)
class AdoptionCheckInAdmin(ReadOnlyAdmin):
    """Answered on the site (knowledge.adoptions); read here."""

    list_display = ["adoption", "day", "due_on", "notified_at", "answer"]
    list_filter = ["answer", "day"]
    raw_id_fields = ["adoption", "variant", "answered_by"]


@admin.register(Experiment)
class ExperimentAdmin(ReadOnlyAdmin):
    """Written with its item and closed on the site (knowledge.experiments)."""

    list_display = ["item", "review_on", "sponsor", "outcome", "closed_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["item", "sponsor", "closed_by", "lesson"]
