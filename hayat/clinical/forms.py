"""Forms of the episode pages. They carry what the user sent; every rule is the services' (DomainError).

The record forms forward every field a request carried, writable or not and shown on the page or not (as the
API does), so that the service's role × phase allow-list refuses a field by name instead of a form dropping
it silently.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from hayat.accounts.models import Department, User
from hayat.clinical import field_access, selectors
from hayat.clinical.models import DiagnosisRank, DischargeResult, Disposition, Episode, EpisodeStatus
from hayat.clinical.vitals import MEASURES
from hayat.core.forms import StyledForm
from hayat.facilities.models import Bed
from hayat.patients.models import Patient

RECEPTION_ORDER = ["reason_for_visit", "intended_admission_type", "insurance_philhealth_number",
                   "insurance_hmo_name", "insurance_hmo_number", "emergency_contact_name", "emergency_contact_phone"]
DOCUMENTATION_ORDER = ["chief_complaint", "present_illness", "physical_examination", "principal_diagnosis",
                       "other_diagnoses", "treatment_plan", "admission_type", "attending_physician",
                       "physician_override_reason"]
RECORD_FIELDS = RECEPTION_ORDER + DOCUMENTATION_ORDER
WIDE_FIELDS = {"reason_for_visit", *DOCUMENTATION_ORDER} - {"admission_type", "attending_physician"}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__({"step": 60, **(attrs or {})}, format="%Y-%m-%dT%H:%M")


class DoctorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, doctor: User) -> str:
        return f"{doctor.full_name} · {doctor.department or _('no department')}"


class BedSelect(forms.Select):
    """The free beds of the whole hospital (hundreds in a big one), grouped by department: each option written
    inline, not through Django's template per option, which made the bed picker most of an episode page's time."""

    template_name = "clinical/widgets/bed_select.html"


class BedChoiceField(forms.ModelChoiceField):
    widget = BedSelect

    def label_from_instance(self, bed: Bed) -> str:
        room = bed.room
        return f"{room.ward.name} · {room} · {bed}"


def beds_by_department(beds: list[Bed], label) -> list[tuple[str, list[tuple[int, str]]]]:
    """Choices of an option group per department, in the order the beds come (the episode's department first)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for bed in beds:
        groups.setdefault(str(bed.room.ward.department), []).append((bed.pk, label(bed)))
    return list(groups.items())


def episode_field(name: str) -> forms.Field:
    """The form field of an episode column, with the model's label, choices and length."""
    if name == "attending_physician":
        return DoctorChoiceField(label=Episode._meta.get_field(name).verbose_name, queryset=selectors.doctors(),
                                 required=False, empty_label=_("Not chosen yet"))
    field = Episode._meta.get_field(name).formfield()
    if isinstance(field.widget, forms.Textarea):
        field.widget.attrs["rows"] = 2 if name in {"reason_for_visit", "physician_override_reason"} else 3
    return field


class EpisodeFields(forms.Form):
    """Fields of an episode by name; `sent_values()` returns what the request carried for any of them."""

    names: list[str] = RECORD_FIELDS

    def __init__(self, *args, writable: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.writable = writable
        for name in self.names:
            field = episode_field(name)
            field.required = field.required and name in writable
            self.fields[name] = field

    def sent_values(self) -> dict[str, Any]:
        """The record fields the request carried, typed, and any other name it carried (a vital sign, a
        discharge field) as sent, for the service to refuse by name."""
        others = {name: self.data.get(name) for name in self.data
                  if name not in self.fields and name != "csrfmiddlewaretoken"}
        return others | {name: self.cleaned_data.get(name) for name in self.names if name in self.data}


class CheckInForm(StyledForm, EpisodeFields):
    """Reception check-in: the patient and why they came. Insurance left blank is taken from the patient."""

    patient = forms.ModelChoiceField(
        label=_("Patient"), queryset=Patient.objects.filter(is_active=True), widget=forms.HiddenInput,
        error_messages={"required": _("Choose the patient."), "invalid_choice": _("Choose an active patient.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, writable=field_access.RECEPTION, **kwargs)

    def reception_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in RECEPTION_ORDER]

    def episode_values(self) -> dict[str, Any]:
        return {name: value for name, value in self.sent_values().items() if value not in (None, "")}

    def other_errors(self) -> list[str]:
        """Errors on fields this page does not show: clinical fields a request carried, refused by name."""
        shown = {"patient", NON_FIELD_ERRORS, *RECEPTION_ORDER}
        return list(dict.fromkeys(error for name, errors in self.errors.items() if name not in shown
                                  for error in errors))


class RecordForm(StyledForm, EpisodeFields):
    """The episode's record in one form: the fields the user's role may write in this phase are inputs,
    the others are shown as text."""

    wide_fields = WIDE_FIELDS

    def __init__(self, *args, episode: Episode, user: User, **kwargs):
        initial = {name: getattr(episode, name) for name in RECORD_FIELDS if name != "attending_physician"}
        initial["attending_physician"] = episode.attending_physician_id
        writable = field_access.allowed_fields(user.role, field_access.phase_of(episode))
        super().__init__(*args, writable=writable & set(RECORD_FIELDS), initial=initial, **kwargs)
        self.episode = episode

    @property
    def may_edit(self) -> bool:
        return bool(self.writable)

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(_("Reception"), [self[name] for name in RECEPTION_ORDER]),
                (_("Clinical documentation"), [self[name] for name in DOCUMENTATION_ORDER])]


class OwnIds:
    """Element ids prefixed by the form's name, so several forms share a page without clashing ids."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class VitalsForm(OwnIds, StyledForm, forms.Form):
    """Readings as typed: the service parses them and names the first one out of range."""

    id_prefix = "vitals"

    taken_at = forms.DateTimeField(label=_("Taken at"), required=False, widget=DateTimeInput(),
                                   help_text=_("Leave empty for now."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, measure in reversed(MEASURES.items()):
            step = "0.1" if measure.decimals else "1"
            field = forms.CharField(label=f"{measure.label} ({measure.unit})", required=False, max_length=12,
                                    widget=forms.NumberInput(attrs={"step": step, "min": measure.low,
                                                                    "max": measure.high, "class": "form-control"}))
            self.fields = {name: field, **self.fields}

    def readings(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in MEASURES if self.cleaned_data.get(name)}


class DiagnosisForm(OwnIds, StyledForm, forms.Form):
    id_prefix = "diagnosis"
    code = forms.CharField(label=_("ICD-10 code"), max_length=10)
    rank = forms.ChoiceField(label=_("Rank"), choices=DiagnosisRank.choices, initial=DiagnosisRank.SECONDARY)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class AmendForm(StyledForm, forms.Form):
    """Replaces a code with another one, or removes it (the Remove button sends `remove`), with the reason."""

    code = forms.CharField(label=_("New ICD-10 code"), max_length=10, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    remove = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("remove") and not data.get("code", "").strip():
            raise forms.ValidationError(_("Type the new code to replace this one, or press Remove."),
                                        code="no_code")
        return data

    def messages(self) -> list[str]:
        return [message for errors in self.errors.values() for message in errors]


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             widget=forms.TextInput(attrs={"placeholder": _("Reason"), "aria-label": _("Reason")}))


class BedForm(OwnIds, StyledForm, forms.Form):
    """A free hospital bed (coding an inpatient, a first bed, a transfer) and a note."""

    id_prefix = "bed"

    bed = BedChoiceField(label=_("Bed"), queryset=Bed.objects.none(), empty_label=_("Choose a free bed"),
                         required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, beds: list[Bed] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.free_beds = beds or []
        field = self.fields["bed"]
        # Any bed may be sent (a stale page); the service decides whether it is free.
        field.queryset = Bed.objects.select_related("room__ward__department", "room__building")
        field.choices = [("", field.empty_label), *beds_by_department(self.free_beds, field.label_from_instance)]


class DischargeForm(OwnIds, StyledForm, forms.Form):
    id_prefix = "discharge"
    # No answer is preselected: a discharge records what the doctor chose, never a default.
    disposition = forms.ChoiceField(label=_("Disposition"), choices=[("", _("Choose…")), *Disposition.choices])
    result = forms.ChoiceField(label=_("Result"), choices=[("", _("Choose…")), *DischargeResult.choices])
    discharged_at = forms.DateTimeField(label=_("Discharged at"), required=False, widget=DateTimeInput(),
                                        help_text=_("Leave empty for now."))
    note = forms.CharField(label=_("Discharge summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EpisodeFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(required=False, choices=[("", _("All statuses")), ("open", _("Open"))]
                               + list(EpisodeStatus.choices))
    department = forms.ModelChoiceField(required=False, queryset=Department.objects.order_by("name"),
                                        empty_label=_("All departments"))
    physician = forms.ModelChoiceField(required=False, queryset=selectors.doctors(), empty_label=_("All physicians"))

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"search": str(self.data.get("q", ""))[:100]}
        data = self.cleaned_data
        return {"search": data["q"], "status": data["status"],
                "department": data["department"].pk if data["department"] else None,
                "physician": data["physician"].pk if data["physician"] else None}


class MappingForm(StyledForm, forms.Form):
    first = forms.CharField(label=_("From code"), max_length=10, help_text=_("e.g. I00, or I21 alone"))
    last = forms.CharField(label=_("To code"), max_length=10, required=False,
                           help_text=_("e.g. I99; empty for the one prefix"))
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.filter(is_active=True))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
