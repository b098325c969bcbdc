"""Django's admin for accounts: read-mostly, and what it may change goes through the accounts service."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hayat.accounts import services
from hayat.accounts.models import Department, Specialisation, User
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error


class UserAdminForm(forms.ModelForm):
    """Applies the service's rules (no self-demotion or self-deactivation, no joining a deactivated department)
    as form errors."""

    acting_user: User | None = None

    class Meta:
        model = User
        fields = ["full_name", "role", "department", "phone", "is_active"]

    def clean(self):
        cleaned = super().clean()
        stored = User.objects.select_related("department").get(pk=self.instance.pk)
        try:
            services.check_own_account(by=self.acting_user, user=stored, role=cleaned.get("role", stored.role),
                                       active=cleaned.get("is_active", stored.is_active))
            services.check_department(cleaned.get("department"), current=stored.department)
        except DomainError as error:
            add_domain_error(self, error)
        return cleaned


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    """Accounts are created, and passwords set, in Hayat's own pages; here an Admin corrects a few fields."""

    form = UserAdminForm
    writes_through_services = True
    list_display = ["user_id", "full_name", "role", "department", "is_active"]
    list_filter = ["role", "is_active", "department"]
    search_fields = ["user_id", "full_name"]
    readonly_fields = ["user_id", "password", "avatar", "last_login", "date_joined"]
    exclude = ["specialisations"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: records keep pointing at the account

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.acting_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        services.save_from_admin(by=request.user, user=obj)


admin.site.register(Department)
admin.site.register(Specialisation)
