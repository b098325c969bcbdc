from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.core.forms import StyledForm
from hayat.web.models import SearchPage


class SaveSearchForm(StyledForm, forms.Form):
    page = forms.ChoiceField(choices=SearchPage.choices, widget=forms.HiddenInput)
    query = forms.CharField(required=False, widget=forms.HiddenInput)  # its length is judged by the service
    name = forms.CharField(label=_("Name of the search"), max_length=80)
    shared = forms.BooleanField(label=_("Share with colleagues"), required=False)
