from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.core.forms import StyledForm


class BackupForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Why (kept with the backup)"), required=False, max_length=500)


class RestoreForm(StyledForm, forms.Form):
    confirmation = forms.CharField(label=_("Type the archive's name to confirm"), max_length=200,
                                   widget=forms.TextInput(attrs={"autocomplete": "off"}))
