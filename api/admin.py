from django.contrib import admin

from api.models import PersonalAccessToken


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):
    """Staff see tokens and may revoke one (set "revoked at"); a token's
    text is never stored, so it cannot be shown or made here."""

    list_display = ("name", "user", "prefix", "scope", "last_used_at", "expires_at")
    list_filter = ("scope",)
    search_fields = ("name", "prefix", "user__email", "user__display_name")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "token_hash",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
    )

    def has_add_permission(self, request):
        return False
