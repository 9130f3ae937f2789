from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from members.models import Notification, OutboxJob, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "email", "display_name", "leadership_role", "business_unit", "is_staff",
        "date_joined",
    )  # fmt: skip
    list_filter = ("leadership_role", "digest_frequency", "is_staff", "is_active")
    search_fields = ("email", "display_name", "username", "business_unit")
    ordering = ("display_name",)
    fieldsets = (
        (None, {"fields": ("email", "username", "password")}),
        (
            "Profile",
            {
                "fields": (
                    "display_name",
                    "job_title",
                    "business_unit",
                    "location",
                    "bio",
                    "leadership_role",
                    "expertise",
                    "interests",
                    "digest_frequency",
                )  # fmt: skip
            },
        ),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "username",
                    "display_name",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "message", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("recipient__email", "message")
    raw_id_fields = ("recipient", "actor")


@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin):
    list_display = ("task_name", "created_at", "attempts", "sent_at")
    list_filter = ("task_name",)
