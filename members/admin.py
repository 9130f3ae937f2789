from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from members.markup import markdown_to_html
from members.models import OutboxJob, ScimToken, User
from members.services import leadership_role_set, scim_token_revoke


# Django's user forms make `username` a UsernameField (a CharField); ours is a
# SlugField, whose form field arguments a CharField refuses. Use the model's own.
class MemberChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        field_classes = {}


class MemberCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "username", "display_name")
        field_classes = {}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = MemberChangeForm
    add_form = MemberCreationForm
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
                    "notification_emails",
                )  # fmt: skip
            },
        ),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )

    def save_model(self, request, obj, form, change):
        # The profile page shows bio_html; keep it in step with an admin's edit.
        if "bio" in form.changed_data:
            obj.bio_html = markdown_to_html(obj.bio)
        role_changed = change and "leadership_role" in form.changed_data
        if role_changed:
            # The role changes only through the service, which tells the member.
            new_role = obj.leadership_role
            obj.leadership_role = form.initial["leadership_role"]
        super().save_model(request, obj, form, change)
        if role_changed:
            leadership_role_set(actor=request.user, member=obj, role=new_role)

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


@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin):
    list_display = ("task_name", "created_at", "attempts", "sent_at", "done_at")
    list_filter = ("task_name",)


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    """Tokens are made with `manage.py scim_token_create` (the token is shown
    once there); here they are listed and revoked."""

    list_display = ("name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("name", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            scim_token_revoke(token=token)
