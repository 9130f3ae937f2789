from django.contrib import admin

from mentoring.models import (
    CheckIn,
    Feedback,
    Goal,
    MentoringRequest,
    MentorOffer,
    Pair,
    ReminderLog,
)


@admin.register(MentorOffer)
class MentorOfferAdmin(admin.ModelAdmin):
    list_display = ("user", "available", "capacity", "updated_at")
    list_filter = ("available",)
    search_fields = ("user__display_name", "user__email")
    raw_id_fields = ("user",)


@admin.register(MentoringRequest)
class MentoringRequestAdmin(admin.ModelAdmin):
    list_display = ("mentee", "format", "status", "created_at", "matched_at")
    list_filter = ("status", "format")
    search_fields = ("mentee__display_name", "mentee__email", "goals")
    raw_id_fields = ("mentee", "requested_mentor", "community")
    date_hierarchy = "created_at"


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    raw_id_fields = ("created_by",)


@admin.register(Pair)
class PairAdmin(admin.ModelAdmin):
    list_display = ("mentor", "mentee", "broker", "status", "proposed_at")
    list_filter = ("status", "format")
    search_fields = ("mentor__display_name", "mentee__display_name")
    raw_id_fields = ("request", "mentor", "mentee", "broker", "declined_by")
    inlines = [GoalInline]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("pair", "date", "progress", "author")
    raw_id_fields = ("pair", "author")


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("pair", "author", "rating", "created_at")
    raw_id_fields = ("pair", "author", "published_item")


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ("pair", "kind", "period", "sent_at")
    list_filter = ("kind",)
    raw_id_fields = ("pair",)
