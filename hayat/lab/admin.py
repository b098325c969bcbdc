from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hayat.lab.models import Attachment, AttachmentGroup, LabResult, LabTestType


@admin.register(LabTestType)
class LabTestTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


class ReadOnlyAdmin:
    """Results and files are changed in Hayat's own pages, which check uploads, audit and clean up files."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttachmentGroupInline(ReadOnlyAdmin, admin.TabularInline):
    model = AttachmentGroup
    fields = ["position", "description", "uploaded_by", "uploaded_at"]
    extra = 0


@admin.register(LabResult)
class LabResultAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["code", "patient", "test_type", "performed_at", "performed_by"]
    list_filter = ["test_type"]
    search_fields = ["code", "patient__code", "patient__last_name"]
    list_select_related = ["patient", "test_type", "performed_by"]
    inlines = [AttachmentGroupInline]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "group"]
    list_select_related = ["group"]
    search_fields = ["original_name", "sha256"]
