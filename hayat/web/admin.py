from django.contrib import admin

from hayat.web.models import SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "page", "owner", "shared", "created_at"]
    list_filter = ["page", "shared"]
