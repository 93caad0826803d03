"""Django admin of the kpi app: POS systems (tokens are issued by `manage.py pos_token`)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from kpi.models import PosSystem, PosTokenEvent
from portal.admin_events import EventInline


class PosTokenEventInline(EventInline):
    model = PosTokenEvent
    fields = readonly_fields = ["at", "kind", "actor", "token_prefix", "stores"]


@admin.register(PosSystem)
class PosSystemAdmin(admin.ModelAdmin):
    """Attach stores, deactivate a system; a token is only ever issued by the command,
    which shows it once (the admin never sees more than its first characters)."""

    list_display = ["name", "token_prefix", "store_count", "is_active", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "token_prefix"]
    filter_horizontal = ["stores"]
    inlines = [PosTokenEventInline]
    readonly_fields = ["token_prefix", "token_hash", "created_at", "last_used_at"]
    fields = ["name", "stores", "is_active", *readonly_fields]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(store_count=Count("stores"))

    @admin.display(description=_("stores"), ordering="store_count")
    def store_count(self, obj: PosSystem) -> int:
        return obj.store_count

    def has_add_permission(self, request) -> bool:
        return False  # `manage.py pos_token NAME --stores …` creates one with its token
