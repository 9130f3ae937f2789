from django.contrib import admin

from privacy.models import DataExport


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = ("uuid", "member", "status", "requested_at", "ready_at", "size")
    list_filter = ("status",)
    raw_id_fields = ("member",)
    readonly_fields = ("uuid", "file_name", "size", "ready_at", "expires_at")
