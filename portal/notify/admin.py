from django.contrib import admin

from portal.notify.models import Delivery, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = ["channel", "address", "claimed_at", "sent_at", "attempts", "error"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "key", "step", "created_at", "read_at"]
    list_filter = ["step", "created_at"]
    search_fields = ["key", "title", "recipient__email", "recipient__personnel_number"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["recipient", "key", "step", "created_at"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "address", "sent_at", "attempts", "error"]
    list_filter = ["channel", "sent_at"]
    raw_id_fields = ["notification"]
    readonly_fields = ["notification", "channel", "address", "claimed_at", "sent_at", "attempts"]
