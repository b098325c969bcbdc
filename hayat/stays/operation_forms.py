"""Forms of the stay operations: check-in and out, illness histories, sessions and services, mid-stay changes,
reservations and the waitlist. Every rule is the services'; these only read what the desk typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.accounts.models import User
from hayat.catalog.models import Service
from hayat.core.forms import StyledForm
from hayat.core.params import IdField, KeyChoicesField, SaneDateField
from hayat.core.roles import Role
from hayat.facilities.models import Room, RoomType
from hayat.stays.checkin import Arrival, CheckInData, decode_signature
from hayat.stays.forms import DateInput, PickedIdField, grouped_choices, tariff_choices
from hayat.stays.models import Booking, IllnessKind, RoomCondition, WaitlistPriority
from hayat.stays.places import PlaceOption

ARRIVAL_FIELDS = ("complaints", "systolic", "diastolic", "pulse", "temperature", "kind")


def staff(role: str):
    return User.objects.filter(role=role, is_active=True).order_by("full_name")


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class StaffChoices(KeyChoicesField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class CheckInForm(StyledForm, forms.Form):
    """The desk's check-in list for the whole booking, then complaints and vitals for each guest."""

    identity_checked = forms.BooleanField(label=_("Identity documents checked"), required=False)
    rules_explained = forms.BooleanField(label=_("House rules explained"), required=False)
    consent_signed = forms.BooleanField(label=_("Consent to treatment signed"), required=False)
    room_condition = forms.ChoiceField(label=_("Room condition"), choices=RoomCondition.choices,
                                       initial=RoomCondition.READY)
    room_notes = forms.CharField(label=_("Remarks on the room"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    doctor = StaffChoice(label=_("Assigned doctor"), queryset=staff(Role.DOCTOR), empty_label=_("Choose a doctor"))
    nurses = StaffChoices(label=_("Nurses"), queryset=staff(Role.NURSE), required=False,
                          widget=forms.SelectMultiple(attrs={"size": 3}))
    # Filled by stays/signature.js from the pad on the page: the drawing as a PNG data URL.
    signature = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def __init__(self, *args, booking: Booking, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = staff(Role.DOCTOR)
        self.fields["nurses"].queryset = staff(Role.NURSE)
        self.guests = []
        for line in booking.current_lines():
            if any(patient.pk == line.patient_id for patient, _names in self.guests):
                continue
            prefix = f"guest_{line.patient_id}_"
            self.fields[prefix + "complaints"] = forms.CharField(
                label=_("Complaints"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[prefix + "systolic"] = forms.IntegerField(label=_("BP systolic"), required=False)
            self.fields[prefix + "diastolic"] = forms.IntegerField(label=_("BP diastolic"), required=False)
            self.fields[prefix + "pulse"] = forms.IntegerField(label=_("Pulse"), required=False)
            self.fields[prefix + "temperature"] = forms.DecimalField(label=_("Temperature, °C"), required=False,
                                                                     max_digits=3, decimal_places=1)
            self.fields[prefix + "kind"] = forms.ChoiceField(
                label=_("Illness history type"), choices=IllnessKind.choices, initial=IllnessKind.STATIONARY)
            for name in ARRIVAL_FIELDS:
                self.fields[prefix + name].widget.attrs["class"] = "form-select" if name == "kind" else "form-control"
            self.guests.append((line.patient, [prefix + name for name in ARRIVAL_FIELDS]))

    def guest_rows(self):
        """(patient, [bound fields]) per guest, for the template."""
        return [(patient, [self[name] for name in names]) for patient, names in self.guests]

    def check_in_data(self) -> CheckInData:
        data = self.cleaned_data
        arrivals = [self.arrival_of(patient) for patient, _names in self.guests]
        return CheckInData(doctor=data["doctor"], identity_checked=data["identity_checked"],
                           rules_explained=data["rules_explained"], consent_signed=data["consent_signed"],
                           room_condition=data["room_condition"], room_notes=data["room_notes"],
                           nurses=list(data["nurses"]), arrivals=arrivals,
                           signature=decode_signature(data["signature"]))

    def arrival_of(self, patient) -> Arrival:
        values = {name: self.cleaned_data.get(f"guest_{patient.pk}_{name}") for name in ARRIVAL_FIELDS}
        values["complaints"] = values["complaints"] or ""
        return Arrival(patient.pk, **values)


class CheckOutForm(StyledForm, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CareTeamForm(StyledForm, forms.Form):
    doctor = StaffChoice(label=_("Doctor"), queryset=staff(Role.DOCTOR), empty_label=_("Choose a doctor"))
    nurses = StaffChoices(label=_("Nurses"), queryset=staff(Role.NURSE), required=False,
                          widget=forms.SelectMultiple(attrs={"size": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = staff(Role.DOCTOR)
        self.fields["nurses"].queryset = staff(Role.NURSE)


class IllnessStateForm(StyledForm, forms.Form):
    to = forms.CharField()
    reason = forms.CharField(label=_("Note"), max_length=300, required=False)


class ExtraServiceForm(StyledForm, forms.Form):
    patient = forms.TypedChoiceField(label=_("Guest"), coerce=int)
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none(),
                                     empty_label=_("Choose a service"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100, initial=1)
    used_on = SaneDateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, booking: Booking, **kwargs):
        super().__init__(*args, **kwargs)
        guests = {line.patient_id: line.patient for line in booking.kept_lines()}
        self.fields["patient"].choices = [(pk, patient.full_name) for pk, patient in guests.items()]
        self.fields["service"].queryset = Service.objects.filter(is_active=True).order_by("name")


class SessionForm(forms.Form):
    patient = IdField()
    service = IdField()


class MidStayChangeForm(StyledForm, forms.Form):
    """From a day: another room or bed (or the same), another tariff (or the same)."""

    from_date = SaneDateField(label=_("From"), widget=DateInput())
    place = forms.ChoiceField(label=_("Room or bed"))
    tariff = forms.TypedChoiceField(label=_("Tariff"), coerce=int, empty_value=None)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, options: list[PlaceOption], current_place: str, current_label: str, room: Room | None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = grouped_choices(options, current=current_place, current_label=current_label)
        self.fields["tariff"].choices = tariff_choices(room)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class HoldForm(StyledForm, forms.Form):
    until = forms.DateTimeField(label=_("Hold until"), widget=DateTimeInput(),
                                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class WaitlistForm(StyledForm, forms.Form):
    patient = PickedIdField(label=_("Patient"), widget=forms.HiddenInput,
                            error_messages={"required": _("Choose the patient.")})
    start_date = SaneDateField(label=_("Arrival"), widget=DateInput())
    end_date = SaneDateField(label=_("Departure"), widget=DateInput())
    room_type = forms.ModelChoiceField(label=_("Room type"), queryset=RoomType.objects.order_by("name"),
                                       required=False, empty_label=_("Any room type"))
    guests = forms.IntegerField(label=_("Guests"), min_value=1, max_value=20, initial=1)
    priority = forms.TypedChoiceField(label=_("Priority"), choices=WaitlistPriority.choices, coerce=int,
                                      initial=WaitlistPriority.NORMAL)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)


class ConvertForm(StyledForm, forms.Form):
    """A waitlist entry booked in one step: one place (a room for several guests), one tariff, and a patient for
    each guest beyond the waiting one (hidden ids set by the patient pickers)."""

    place = forms.ChoiceField(label=_("Room or bed"))
    tariff = forms.TypedChoiceField(label=_("Tariff"), coerce=int, empty_value=None)

    def __init__(self, *args, options: list[PlaceOption], room: Room | None, guests: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = grouped_choices(options)
        self.fields["tariff"].choices = tariff_choices(room)
        self.companion_names = [f"companion_{number}" for number in range(2, guests + 1)]
        for name in self.companion_names:
            self.fields[name] = PickedIdField(widget=forms.HiddenInput,
                                              error_messages={"required": _("Choose the patient.")})

    def companion_ids(self) -> list[int]:
        return [self.cleaned_data[name] for name in self.companion_names]
