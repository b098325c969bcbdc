"""Forms of the treatment pages: rooms, therapists, hours, prescriptions, the grids' filters, a drop and a mark."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.accounts.models import User
from hayat.catalog.models import Service
from hayat.core.forms import StyledForm, TypedDateField
from hayat.core.params import IdField, SaneDateField
from hayat.patients.models import Patient
from hayat.stays.models import Booking
from hayat.treatment.models import (
    WEEKDAYS,
    Cabinet,
    DayPart,
    Frequency,
    HoursKind,
    SessionStatus,
    Therapist,
)
from hayat.treatment.prescriptions import PrescriptionData
from hayat.treatment.resources import CabinetData, HoursData, TherapistData
from hayat.treatment.selectors import BY_CABINET, BY_THERAPIST


def procedures():
    return Service.objects.filter(is_active=True, charged_by_time=False).order_by("name")


class CabinetForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100, initial=1)
    buffer_minutes = forms.IntegerField(label=_("Buffer (minutes)"), min_value=0, max_value=120, initial=0)
    services = forms.ModelMultipleChoiceField(label=_("Procedures"), queryset=procedures(), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def data_object(self) -> CabinetData:
        return CabinetData(**self.cleaned_data)


class TherapistForm(StyledForm, forms.Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.filter(is_active=True)
                                  .order_by("full_name"))
    services = forms.ModelMultipleChoiceField(label=_("Procedures"), queryset=procedures(), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def data_object(self) -> TherapistData:
        return TherapistData(**self.cleaned_data)


class HoursForm(StyledForm, forms.Form):
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=HoursKind.choices)
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))

    def data_object(self) -> HoursData:
        return HoursData(**self.cleaned_data)


class ClosedHoursForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))


class RulesForm(StyledForm, forms.Form):
    no_show_uses_session = forms.BooleanField(label=_("A missed session counts as used"), required=False)


class PrescriptionForm(StyledForm, forms.Form):
    patient = forms.ModelChoiceField(label=_("Guest"), queryset=Patient.objects.none())
    service = forms.ModelChoiceField(label=_("Procedure"), queryset=procedures())
    count = forms.IntegerField(label=_("Sessions"), min_value=1, max_value=99, initial=10)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    weekdays = forms.TypedMultipleChoiceField(label=_("Weekdays"), choices=WEEKDAYS, coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    day_part = forms.ChoiceField(label=_("Preferred time"), choices=DayPart.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, booking: Booking, **kwargs):
        super().__init__(*args, **kwargs)
        patient_ids = [line.patient_id for line in booking.kept_lines()]
        self.fields["patient"].queryset = Patient.objects.filter(pk__in=patient_ids).order_by("last_name")
        self.fields["weekdays"].widget.attrs["class"] = "form-check-inline"

    def data_object(self) -> PrescriptionData:
        data = dict(self.cleaned_data)
        data["weekdays"] = "".join(str(day) for day in data["weekdays"])
        return PrescriptionData(**data)


class GridForm(forms.Form):
    day = SaneDateField(required=False)
    by = forms.ChoiceField(choices=[(BY_CABINET, BY_CABINET), (BY_THERAPIST, BY_THERAPIST)], required=False)
    week = forms.BooleanField(required=False)

    def values(self, today: date) -> tuple[date, str, bool]:
        """The day, the kind of column and day or week asked for; what is not valid falls back to its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("day") or today, data.get("by") or BY_CABINET, bool(data.get("week"))


class SheetForm(forms.Form):
    day = SaneDateField(required=False)
    cabinet = IdField(required=False)
    therapist = IdField(required=False)


class DropForm(forms.Form):
    """A drop on the day grid: the session now starts at `starts` on `day` in the column's cabinet or therapist."""

    day = TypedDateField()
    starts = forms.TimeField()
    cabinet = forms.ModelChoiceField(queryset=Cabinet.objects.all(), required=False)
    therapist = forms.ModelChoiceField(queryset=Therapist.objects.all(), required=False)


class MarkForm(forms.Form):
    status = forms.ChoiceField(choices=[(status, status) for status in
                                        (SessionStatus.DONE, SessionStatus.NO_SHOW, SessionStatus.CANCELLED)])
