from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.admin_events import EventAdmin
from portal.org import services
from portal.org.models import OrgEvent, Region, Store, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "city", "region", "format", "lp_launch_date", "is_active"]
    list_filter = ["region", "format", "is_active"]
    search_fields = ["code", "name", "city"]
    list_select_related = ["region"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = [
        "personnel_number",
        "full_name",
        "email",
        "role",
        "store",
        "region",
        "is_active",
    ]
    list_filter = ["role", "is_active", "region", "store__region"]
    search_fields = ["personnel_number", "email", "last_name", "first_name"]
    list_select_related = ["store", "region"]
    autocomplete_fields = ["store", "region"]
    fieldsets = [
        (None, {"fields": ["email", "personnel_number", "password"]}),
        (
            _("Personal details"),
            {"fields": ["last_name", "first_name", "middle_name", "hire_date"]},
        ),
        (_("Role and place"), {"fields": ["role", "store", "region"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "personnel_number",
                    "last_name",
                    "first_name",
                    "role",
                    "store",
                    "region",
                    "password1",
                    "password2",
                ],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Keep groups in step with the role and leave the same event rows as the import.
        services.person_admin_saved(
            actor=request.user, person=obj, created=not change, changed=form.changed_data
        )


@admin.register(OrgEvent)
class OrgEventAdmin(EventAdmin):
    list_display = ["created_at", "kind", "actor", "store", "person"]
    list_filter = ["kind"]
    list_select_related = ["actor", "store", "person"]
    readonly_fields = ["kind", "actor", "region", "store", "person", "payload", "created_at"]
