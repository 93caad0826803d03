from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import admin as _otp_static_admin  # noqa: F401
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as _otp_totp_admin  # noqa: F401
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.admin_events import EventAdmin
from portal.org import services
from portal.org.models import OrgEvent, Region, Store, User
from portal.org.second_factor.services import second_factor_reset


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
        "name",
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
        # Staff and superuser status and the group follow the role (person_access_sync):
        # shown, never edited here.
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
    readonly_fields = ["last_login", "date_joined", "is_staff", "is_superuser", "groups"]
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset the second factor (enrol again at next login)"))
    def reset_second_factor(self, request, queryset):
        for person in queryset:
            second_factor_reset(actor=request.user, person=person)
        self.message_user(
            request,
            _("Second factor reset for %(count)d people; they enrol again at their next login.")
            % {"count": len(queryset)},
        )

    @admin.display(description=_("full name"), ordering="last_name")
    def name(self, obj: User) -> str:
        return obj.full_name

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Keep groups in step with the role and leave the same event rows as the import.
        services.person_admin_saved(
            actor=request.user, person=obj, created=not change, changed=form.changed_data
        )


@admin.register(OrgEvent)
class OrgEventAdmin(EventAdmin):
    list_display = ["at", "kind", "actor", "store", "person"]
    list_filter = ["kind"]
    list_select_related = ["actor", "store", "person"]
    readonly_fields = ["kind", "actor", "region", "store", "person", "payload", "at"]


# django-otp registers its device models in the admin, secrets included: a device is
# enrolled by its owner and reset by the people list's action, never edited by hand. Its
# admin modules are imported here so that their registration has happened before it is
# undone (autodiscover imports them once, after this app's admin).
for _device in (StaticDevice, TOTPDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
