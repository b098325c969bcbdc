"""Admin site entries for reference data (regions, districts) and a read-only look at patients."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hayat.patients.models import District, Patient, Region


class DistrictInline(admin.TabularInline):
    model = District
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "name_local", "country"]
    list_filter = ["country"]
    search_fields = ["name", "name_local"]
    inlines = [DistrictInline]


@admin.register(Patient)
class PatientAdmin(SimpleHistoryAdmin):
    """Read-only: every change to a patient goes through the services (duplicate check, audit)."""

    list_display = ["code", "last_name", "first_name", "birth_date", "is_active", "merged_into"]
    search_fields = ["code", "last_name_key", "first_name_key"]
    list_select_related = ["merged_into"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
