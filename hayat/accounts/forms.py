"""Forms for staff accounts (Admin) and one's own profile."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hayat.accounts.models import Department, Specialisation, User
from hayat.accounts.services import UserData
from hayat.core.forms import StyledForm
from hayat.core.params import KeyChoicesField
from hayat.core.roles import Role


class LoginForm(StyledForm, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User ID")
        self.fields["username"].widget.attrs.update(autofocus=True, autocomplete="username")


class UserForm(StyledForm, forms.Form):
    user_id = forms.CharField(label=_("User ID"), max_length=40)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.filter(is_active=True), required=False
    )
    specialisations = KeyChoicesField(
        label=_("Specialisations (doctors)"), queryset=Specialisation.objects.all(), required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)

    @classmethod
    def for_user(cls, user: User, data=None):
        initial = {"user_id": user.user_id, "full_name": user.full_name, "role": user.role,
                   "department": user.department, "phone": user.phone,
                   "specialisations": list(user.specialisations.all())}
        form = cls(data, initial=initial)
        # A department deactivated since stays selectable for the people already in it.
        form.fields["department"].queryset = Department.objects.filter(Q(is_active=True) | Q(pk=user.department_id))
        return form

    def user_data(self) -> UserData:
        data = self.cleaned_data
        return UserData(user_id=data["user_id"], full_name=data["full_name"], role=data["role"],
                        department=data["department"], phone=data["phone"],
                        specialisations=list(data["specialisations"]))


class NewUserForm(UserForm):
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput(render_value=False))


class PasswordResetForm(StyledForm, forms.Form):
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)
    change_at_next_login = forms.BooleanField(label=_("The user chooses a new password at the next login"),
                                              required=False, initial=True)


class OwnPasswordForm(StyledForm, forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)


class AvatarForm(StyledForm, forms.Form):
    avatar = forms.FileField(label=_("Profile picture"))
