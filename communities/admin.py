from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from communities import services
from communities.models import Community, Membership
from communities.selectors import active_member_count


class MembershipInlineFormSet(BaseInlineFormSet):
    """Changing a role promotes or demotes, deleting a row removes the member
    (the row stays, status "removed"): all through communities.services, so
    the last-steward rule and the notifications are the site's own.

    The admin validates before it saves, and the rule lives in the services:
    clean() runs the same calls in a savepoint it rolls back, so a refusal
    (LastStewardError...) is shown on the form instead of failing the save."""

    acting_user = None  # set per request by MembershipInline.get_formset

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            with transaction.atomic():
                self.apply()
                transaction.set_rollback(True)
        except services.MembershipError as error:
            raise ValidationError(str(error)) from error

    def apply(self) -> None:
        """Promotions first, so a steward can hand over in one save."""
        promote, demote, remove = [], [], []
        for form in self.initial_forms:
            membership = form.instance
            if self._should_delete_form(form):
                remove.append(membership)
            elif "role" in form.changed_data:
                steward = form.cleaned_data["role"] == Membership.Role.STEWARD
                (promote if steward else demote).append(membership)
        for membership in promote:
            services.membership_promote(
                acting_user=self.acting_user, membership=membership
            )
        for membership in demote:
            services.membership_demote(
                acting_user=self.acting_user, membership=membership
            )
        for membership in remove:
            services.membership_remove(
                acting_user=self.acting_user, membership=membership
            )
        # What the admin's change message and history read after a save.
        self.new_objects = []
        self.changed_objects = [(m, ["role"]) for m in promote + demote]
        self.deleted_objects = remove


class MembershipInline(admin.TabularInline):
    """Roles and removals through the services (MembershipInlineFormSet);
    people join, ask and are invited on the site, so no rows are added here."""

    model = Membership
    formset = MembershipInlineFormSet
    fk_name = "community"
    extra = 0
    fields = ("user", "role", "status", "joined_at", "introduced_at")
    readonly_fields = ("user", "status", "joined_at", "introduced_at")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.acting_user = request.user
        return formset


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = (
        "name", "visibility", "size", "last_activity_at", "created_at", "archived_at",
    )  # fmt: skip
    list_filter = ("visibility", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "slug", "purpose")
    fields = (
        "name", "slug", "purpose", "description", "tags", "visibility",
        "created_by", "created_at", "last_activity_at", "archived_at",
    )  # fmt: skip
    # Created on the site (community_create makes the creator its first
    # steward), archived and reopened there too; edits go through
    # community_update, which re-renders the description and normalises tags.
    readonly_fields = ("created_by", "created_at", "last_activity_at", "archived_at")
    date_hierarchy = "created_at"
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.archived_at is not None:
            return self.fields  # archived: reopen it on the site first
        return self.readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(size=active_member_count())

    @admin.display(description="active members", ordering="size")
    def size(self, obj):
        return obj.size

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.community_update(
            community=obj,
            acting_user=request.user,
            name=data["name"],
            slug=data["slug"],
            purpose=data["purpose"],
            description=data["description"],
            tags=data["tags"],
            visibility=data["visibility"],
        )

    def save_related(self, request, form, formsets, change):
        """Tags were set, normalised, by community_update: the form's own m2m
        save would store them as typed. Inline changes go through services."""
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, MembershipInlineFormSet):
            formset.apply()  # the services save; the formset's own save would not
            return
        super().save_formset(request, form, formset, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Read-only: roles and removals are changed in the community's inline
    (through the services), joining and invitations on the site."""

    list_display = ("user", "community", "role", "status", "joined_at")
    list_filter = ("role", "status")
    search_fields = ("user__email", "user__display_name", "community__name")
    list_select_related = ("user", "community")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
