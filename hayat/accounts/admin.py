from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hayat.accounts.models import Department, Specialisation, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    """Read-mostly: accounts are created and changed in Hayat's own pages, which hash and audit."""

    list_display = ["user_id", "full_name", "role", "department", "is_active"]
    list_filter = ["role", "is_active", "department"]
    search_fields = ["user_id", "full_name"]
    readonly_fields = ["user_id", "password", "avatar", "last_login", "date_joined"]
    exclude = ["specialisations"]

    def has_add_permission(self, request):
        return False


admin.site.register(Department)
admin.site.register(Specialisation)
