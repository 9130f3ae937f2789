from django.contrib import admin

from integrations.models import Delivery, SlackIdentity, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "community", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    raw_id_fields = ("community", "created_by")
    # The secret is shown once, on the page that creates the hook; hooks are
    # made there (/integrations/webhooks/new/), where the scope is checked.
    exclude = ("secret",)

    def has_add_permission(self, request):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "webhook", "status", "attempts", "response_code")
    list_filter = ("status", "event")
    raw_id_fields = ("webhook",)
    readonly_fields = ("payload",)

    def has_add_permission(self, request):
        return False  # the fan-out writes them


@admin.register(SlackIdentity)
class SlackIdentityAdmin(admin.ModelAdmin):
    list_display = ("team_id", "slack_user_id", "user", "linked_at")
    raw_id_fields = ("user",)
