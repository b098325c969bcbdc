"""A read-only look at bookings for Admins: every change goes through the services (locks, checks, audit)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hayat.stays.models import Booking, BookingStatusChange, GuestLine


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GuestLineInline(ReadOnly, admin.TabularInline):
    model = GuestLine
    extra = 0
    fields = ["patient", "room", "bed", "tariff", "start_date", "end_date", "price_per_day", "is_open", "holds_place",
              "removed_at"]
    raw_id_fields = ["patient"]


class StatusChangeInline(ReadOnly, admin.TabularInline):
    model = BookingStatusChange
    extra = 0
    fields = ["at", "by", "from_status", "to_status", "reason"]


@admin.register(Booking)
class BookingAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["number", "start_date", "end_date", "status", "source", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["number"]
    date_hierarchy = "start_date"
    inlines = [GuestLineInline, StatusChangeInline]
