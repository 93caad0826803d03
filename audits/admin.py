"""The audits app in the Django admin: checklists with their events, read only."""

from django.contrib import admin

from audits.models import Checklist, ChecklistEvent
from portal.admin_events import EventInline, EventRowPermissions


class ChecklistEventInline(EventInline):
    model = ChecklistEvent
    fields = readonly_fields = ["at", "kind", "actor", "payload"]


@admin.register(Checklist)
class ChecklistAdmin(EventRowPermissions, admin.ModelAdmin):
    """Checklists are written and published through `audits.services` (each change an
    event); the admin only shows them with their history."""

    list_display = ["title", "status", "created_by", "published_at"]
    list_filter = ["status"]
    inlines = [ChecklistEventInline]
