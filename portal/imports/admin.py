"""The batch log in Django's admin: read only (rows are written by the imports)."""

from django.contrib import admin

from portal.imports.models import ImportLog


@admin.register(ImportLog)
class ImportLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "filename", "status", "rows", "created_by"]
    list_filter = ["kind", "status"]
    search_fields = ["filename"]
    list_select_related = ["created_by"]
    fields = readonly_fields = [
        "created_at",
        "kind",
        "filename",
        "status",
        "rows",
        "created_by",
        "errors",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
