from django.contrib import admin

from communities.models import Community, Membership
from communities.selectors import active_member_count


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "community"
    extra = 0
    raw_id_fields = ("user", "invited_by")
    fields = ("user", "role", "status", "joined_at", "introduced_at")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = (
        "name", "visibility", "size", "last_activity_at", "created_at", "archived_at",
    )  # fmt: skip
    list_filter = ("visibility", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "slug", "purpose")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("created_by",)
    readonly_fields = ("description_html",)
    date_hierarchy = "created_at"
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(size=active_member_count())

    @admin.display(description="active members", ordering="size")
    def size(self, obj):
        return obj.size

    def save_model(self, request, obj, form, change):
        from members.markup import markdown_to_html

        obj.description_html = markdown_to_html(obj.description)
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "community", "role", "status", "joined_at")
    list_filter = ("role", "status")
    search_fields = ("user__email", "user__display_name", "community__name")
    raw_id_fields = ("user", "community", "invited_by")
    list_select_related = ("user", "community")
