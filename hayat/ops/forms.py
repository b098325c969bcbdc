"""The activity log's filters: ids and dates are read so that no typed value can break the query."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.core.forms import StyledForm
from hayat.core.params import IdField, SaneDateField


class ActivityFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Who or what"), required=False)
    action = forms.CharField(label=_("Action starts with"), required=False)
    patient = IdField(label=_("Patient id"), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    since = SaneDateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = SaneDateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
