"""Event rows in the Django admin: shown, never added, edited or deleted.

An event row (who did what, when) is the evidence of a change; an administrator who could
edit or delete it could rewrite history. Every event model's admin and inline uses these
(`tests/test_event_admins.py` checks each one, for superusers too)."""

from __future__ import annotations

from django.contrib import admin


class EventRowPermissions:
    """Read only: no add, change or delete (the bulk delete action disappears with it)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EventAdmin(EventRowPermissions, admin.ModelAdmin):
    """A read-only list and detail of an event model."""


class EventInline(EventRowPermissions, admin.TabularInline):
    """Event rows shown under the object they belong to, read only."""

    extra = 0
    can_delete = False
