from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.core.forms import StyledForm


class ActivityFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Who or what"), required=False)
    action = forms.CharField(label=_("Action starts with"), required=False)
    patient = forms.CharField(label=_("Patient id"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
