from django.contrib import admin

from journeys.models import Aspiration, Plan, PlanStep, StageMove, TourStop


class PlanStepInline(admin.TabularInline):
    model = PlanStep
    extra = 0
    raw_id_fields = ("owner_user", "person", "via_community", "completed_by")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("user", "community", "started_on", "completed_at", "closed_at")
    list_select_related = ("user", "community")
    raw_id_fields = ("user", "community")
    inlines = [PlanStepInline]


@admin.register(TourStop)
class TourStopAdmin(admin.ModelAdmin):
    list_display = ("community", "item", "position")
    list_select_related = ("community", "item")
    raw_id_fields = ("community", "item", "added_by")


@admin.register(Aspiration)
class AspirationAdmin(admin.ModelAdmin):
    list_display = ("user", "text", "updated_at")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(StageMove)
class StageMoveAdmin(admin.ModelAdmin):
    list_display = ("user", "community", "from_stage", "to_stage", "moved_on")
    list_select_related = ("user", "community")
    raw_id_fields = ("user", "community")
