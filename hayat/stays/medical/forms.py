"""Forms of the medical record: they read what the doctor or nurse typed; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.clinical.vitals import MEASURES
from hayat.core.forms import StyledForm
from hayat.core.params import SaneDateField
from hayat.stays.forms import DateInput
from hayat.stays.medical.services import EpicrisisText, Examination, RecordFields
from hayat.stays.models import VITAL_FIELDS

TEXT = {"rows": 3}


class VitalsFields(StyledForm, forms.Form):
    """The readings as typed, one field per vital sign of the record; the service checks their ranges."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in VITAL_FIELDS:
            measure = MEASURES[name]
            step = "0.1" if measure.decimals else "1"
            self.fields[name] = forms.CharField(
                label=f"{measure.label} ({measure.unit})", required=False, max_length=12,
                widget=forms.NumberInput(attrs={"step": step, "min": measure.low, "max": measure.high,
                                                "class": "form-control"}))

    def readings(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in VITAL_FIELDS}

    def vital_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in VITAL_FIELDS]


class RecordForm(StyledForm, forms.Form):
    sick_leave = forms.BooleanField(label=_("Sick leave"), required=False)
    profession = forms.CharField(label=_("Profession"), max_length=120, required=False)
    occupational_hazards = forms.CharField(label=_("Occupational hazards"), required=False,
                                           widget=forms.Textarea(attrs=TEXT))
    tags = forms.CharField(label=_("Tags"), max_length=200, required=False,
                           help_text=_("Words separated by commas."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs=TEXT))

    def fields_object(self) -> RecordFields:
        return RecordFields(**self.cleaned_data)


class DiagnosisForm(StyledForm, forms.Form):
    which = forms.ChoiceField(label=_("Diagnosis"), choices=[
        ("initial", _("Initial")), ("arrival", _("On arrival")), ("final", _("Final"))])
    code = forms.CharField(label=_("ICD-10 code"), max_length=10, required=False)


class ExaminationForm(VitalsFields):
    complaints = forms.CharField(label=_("Complaints"), widget=forms.Textarea(attrs=TEXT))
    anamnesis = forms.CharField(label=_("Anamnesis"), required=False, widget=forms.Textarea(attrs=TEXT))
    objective_status = forms.CharField(label=_("Objective status"), required=False,
                                       widget=forms.Textarea(attrs=TEXT))

    def examination(self) -> Examination:
        data = self.cleaned_data
        return Examination(complaints=data["complaints"], anamnesis=data["anamnesis"],
                           objective_status=data["objective_status"])


class DiaryForm(VitalsFields):
    day = SaneDateField(label=_("Date"), required=False, widget=DateInput(),
                        help_text=_("Leave empty for today."))
    text = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXT))


class EpicrisisForm(StyledForm, forms.Form):
    course = forms.CharField(label=_("Course of the stay"), widget=forms.Textarea(attrs=TEXT))
    procedures = forms.CharField(label=_("Procedures received"), required=False, widget=forms.Textarea(attrs=TEXT),
                                 help_text=_("Proposed from the sessions and services recorded in the stay."))
    results = forms.CharField(label=_("Results"), required=False, widget=forms.Textarea(attrs=TEXT))
    recommendations = forms.CharField(label=_("Recommendations"), required=False,
                                      widget=forms.Textarea(attrs=TEXT))
    sick_leave_from = SaneDateField(label=_("Sick leave from"), required=False, widget=DateInput())
    sick_leave_to = SaneDateField(label=_("Sick leave to"), required=False, widget=DateInput())

    def text(self) -> EpicrisisText:
        return EpicrisisText(**self.cleaned_data)
