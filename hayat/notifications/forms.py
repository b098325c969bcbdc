from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hayat.core.forms import StyledForm
from hayat.core.params import SaneDateField
from hayat.notifications.models import Channel, Kind, State

DATE = forms.DateInput(attrs={"type": "date"})


class OutboxFilterForm(StyledForm, forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state")), *State.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *Kind.choices])
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("Any channel")), *Channel.choices])
    start = SaneDateField(label=_("From"), required=False, widget=DATE)
    end = SaneDateField(label=_("To"), required=False, widget=DATE)


class TemplateForm(StyledForm, forms.Form):
    subject = forms.CharField(label=_("E-mail subject"), max_length=200)
    email_body = forms.CharField(label=_("E-mail text"), widget=forms.Textarea(attrs={"rows": 7}))
    sms_body = forms.CharField(label=_("SMS text"), widget=forms.Textarea(attrs={"rows": 3}))


class KindSettingForm(StyledForm, forms.Form):
    enabled = forms.BooleanField(label=_("Sent"), required=False)
    timing = forms.IntegerField(label=_("Timing"), min_value=0, max_value=365)


class QuietHoursForm(StyledForm, forms.Form):
    start = forms.TimeField(label=_("Quiet from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Quiet until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self):
        data = super().clean()
        if (data.get("start") is None) != (data.get("end") is None) and not self.errors:
            raise forms.ValidationError(_("Give both times, or leave both empty."))
        return data


class PreferenceForm(StyledForm, forms.Form):
    prefix = "message"  # beside the documents' language on the patient page

    channel = forms.ChoiceField(label=_("Preferred channel"), required=False,
                                choices=[("", _("SMS when there is a mobile, else e-mail")), *Channel.choices])
    language = forms.ChoiceField(label=_("Language of messages"), required=False,
                                 choices=[("", _("The language for documents")), *settings.LANGUAGES])
    consent = forms.BooleanField(label=_("Agrees to follow-ups"), required=False)
    opted_out = forms.BooleanField(label=_("Asked for no messages"), required=False)
