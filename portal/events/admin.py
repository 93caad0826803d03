from django.contrib import admin

from portal.admin_events import EventAdmin
from portal.events.models import SnippetEvent


@admin.register(SnippetEvent)
class SnippetEventAdmin(EventAdmin):
    list_display = ["at", "kind", "content_type", "object_repr", "actor"]
    list_filter = ["kind", "content_type"]
    list_select_related = ["actor", "content_type"]
    readonly_fields = ["at", "kind", "actor", "content_type", "object_id", "object_repr", "payload"]
