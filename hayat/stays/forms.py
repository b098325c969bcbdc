"""Forms of the booking pages and the wizard; every rule is the services' (errors come back as DomainError)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.catalog.models import Tariff
from hayat.catalog.pricing import price_for, price_grid
from hayat.core.forms import StyledForm
from hayat.core.money import format_money
from hayat.core.params import IdField, SaneDateField
from hayat.facilities.models import Room
from hayat.stays import lifecycle
from hayat.stays.models import BookingSource, BookingStatus
from hayat.stays.places import PlaceOption
from hayat.stays.services import MAX_GUESTS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PickedIdField(IdField):
    """The hidden id a picker sets: anything but a database key reads "choose from the list"."""

    default_error_messages = {"invalid": _("Choose the patient from the list.")}


class DatesForm(StyledForm, forms.Form):
    start_date = SaneDateField(label=_("Arrival"), widget=DateInput())
    end_date = SaneDateField(label=_("Departure"), widget=DateInput())
    guest_count = forms.IntegerField(label=_("Guests"), min_value=1, max_value=MAX_GUESTS, initial=1)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The departure must be at least one day after the arrival."))
        return data


def grouped_choices(options: list[PlaceOption], *, current: str = "", current_label: str = "") -> list:
    """Select choices grouped by room type; a current value no longer free stays visible, marked as taken."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for option in options:
        groups.setdefault(option.group, []).append((option.value, option.label))
    choices: list = [("", _("Choose a room or a bed"))]
    values = {option.value for option in options}
    if current and current not in values:
        choices.append((current, _("%(place)s – no longer free") % {"place": current_label or current}))
    choices.extend((group, items) for group, items in groups.items())
    return choices


class PlacesForm(StyledForm, forms.Form):
    """Step 2: a room (any bed) or a bed for each guest."""

    def __init__(self, *args, guest_count: int, options: list[PlaceOption], current: list[tuple[str, str]],
                 **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(guest_count):
            value, label = current[index] if index < len(current) else ("", "")
            self.fields[f"place_{index}"] = forms.ChoiceField(
                label=_("Guest %(number)d") % {"number": index + 1},
                choices=grouped_choices(options, current=value, current_label=label), initial=value,
            )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def places(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields if name.startswith("place_")]


class TariffMenu:
    """The tariffs on offer and their prices, read once (two queries), then labelled for any number of rooms."""

    def __init__(self):
        self.tariffs = list(Tariff.objects.filter(is_active=True).order_by("name"))
        self.grid = price_grid(self.tariffs)

    def choices(self, room: Room | None) -> list[tuple[str, str]]:
        """Each tariff with its price per day in `room` (no price without a room)."""
        choices = [("", _("Choose a tariff"))]
        for tariff in self.tariffs:
            label = str(tariff)
            if room is not None:
                price = format_money(price_for(tariff, room, grid=self.grid))
                label = _("%(tariff)s – %(price)s per day") % {"tariff": tariff, "price": price}
            choices.append((str(tariff.pk), label))
        return choices


def tariff_choices(room: Room | None) -> list[tuple[str, str]]:
    return TariffMenu().choices(room)


class GuestsForm(forms.Form):
    """Step 3: a patient (hidden id set by the patient picker) and a tariff for each guest."""

    def __init__(self, *args, rooms: list[Room | None], **kwargs):
        super().__init__(*args, **kwargs)
        menu = TariffMenu()
        for index, room in enumerate(rooms):
            self.fields[f"patient_{index}"] = PickedIdField(
                label=_("Patient"), required=False, widget=forms.HiddenInput,
                error_messages={"invalid": _("Choose the patient from the list.")})
            self.fields[f"tariff_{index}"] = forms.TypedChoiceField(
                label=_("Tariff"), choices=menu.choices(room), coerce=int, required=False, empty_value=None,
                widget=forms.Select(attrs={"class": "form-select"}))
        self.count = len(rooms)

    def guests(self) -> list[tuple[int | None, int | None]]:
        return [(self.cleaned_data.get(f"patient_{index}"), self.cleaned_data.get(f"tariff_{index}"))
                for index in range(self.count)]


class ConfirmForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label=_("Book as"), initial=BookingStatus.CONFIRMED,
                               choices=[(value, BookingStatus(value).label) for value in lifecycle.INITIAL],
                               help_text=_("A reservation holds the rooms until it is confirmed or cancelled."))
    source = forms.ChoiceField(label=_("Source"), choices=BookingSource.choices, initial=BookingSource.WALK_IN)
    referral = forms.CharField(label=_("Referred by"), max_length=200, required=False,
                               help_text=_("Referring doctor, clinic, agency or company."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    bills = forms.TypedChoiceField(
        label=_("Who pays"), initial=False, coerce=lambda value: value == "True", required=False, empty_value=False,
        choices=[(False, _("One payer for every guest")), (True, _("Each guest pays their own bill"))],
        help_text=_("It can be changed on the booking page until the first payment."))


class BookingFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *BookingStatus.choices])
    source = forms.ChoiceField(label=_("Source"), required=False,
                               choices=[("", _("Any source")), *BookingSource.choices])
    date_from = SaneDateField(label=_("Staying from"), required=False, widget=DateInput())
    date_to = SaneDateField(label=_("to"), required=False, widget=DateInput())


class EditDatesForm(DatesForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["guest_count"]


class RevertForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class DetailsForm(StyledForm, forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=BookingSource.choices)
    referral = forms.CharField(label=_("Referred by"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class GuestForm(forms.Form):
    """Add or change a guest: the patient (picker), a place free for the guest's period and a tariff."""

    patient = PickedIdField(label=_("Patient"), widget=forms.HiddenInput,
                            error_messages={"required": _("Choose the patient.")})
    place = forms.ChoiceField(label=_("Room or bed"))
    tariff = forms.TypedChoiceField(label=_("Tariff"), coerce=int, empty_value=None)

    def __init__(self, *args, options: list[PlaceOption], room: Room | None = None, current_place: str = "",
                 current_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = grouped_choices(options, current=current_place, current_label=current_label)
        self.fields["tariff"].choices = tariff_choices(room)
        for name in ("place", "tariff"):
            self.fields[name].widget.attrs["class"] = "form-select"


class CancelForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    refund_amount = forms.DecimalField(label=_("Refund"), min_value=0, max_digits=14, decimal_places=2,
                                       initial=0, required=False)


class StatusForm(StyledForm, forms.Form):
    to = forms.ChoiceField(choices=BookingStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class RemoveGuestForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class MoveForm(forms.Form):
    """A calendar drop: the bar of `from_room` that began on `from_date` now begins on `start_date` in `to_room`."""

    from_room = forms.ModelChoiceField(queryset=Room.objects.all())
    to_room = forms.ModelChoiceField(queryset=Room.objects.all())
    start_date = SaneDateField()
    from_date = SaneDateField(required=False)


class CalendarForm(forms.Form):
    start = SaneDateField(required=False)
    days = forms.TypedChoiceField(choices=[(7, 7), (14, 14), (21, 21), (31, 31)], coerce=int, required=False,
                                  empty_value=14)
    room_type = IdField(required=False)
    page = IdField(required=False)

    def values(self, today: date) -> tuple[date, int, int | None, int]:
        """The window and the page of rooms asked for; a value that is not valid falls back to its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("start") or today, data.get("days") or 14, data.get("room_type"), data.get("page") or 1
