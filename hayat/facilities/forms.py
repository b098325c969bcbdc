"""Forms for departments, wards, buildings, amenities, room types, rooms, beds and maintenance, and list filters."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hayat.accounts.models import Department, Specialisation, User
from hayat.core import clock
from hayat.core.charging import ChargeUnit
from hayat.core.forms import StyledForm
from hayat.core.money import MAX_DIGITS
from hayat.core.params import KeyChoicesField, SaneDateField, id_from
from hayat.facilities import services
from hayat.facilities.maintenance import MaintenanceData
from hayat.facilities.models import (
    MAX_CAPACITY,
    Amenity,
    Bed,
    Building,
    Maintenance,
    MaintenanceKind,
    MaintenanceStatus,
    Room,
    RoomType,
    RoomUse,
    Ward,
)

ACTIVE_CHOICES = [("", _("Active and inactive")), ("yes", _("Active only")), ("no", _("Inactive only"))]
DATETIME_WIDGET = {"attrs": {"type": "datetime-local"}, "format": "%Y-%m-%dT%H:%M"}


def money_input(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=0, max_digits=MAX_DIGITS, decimal_places=2, help_text=help_text,
                              widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}))


class WardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, ward: Ward) -> str:
        return f"{ward.department.name} · {ward.name} ({ward.building.code})"


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, room: Room) -> str:
        return f"{room.building.code}-{room.name} · {room.room_type.name}"


class DepartmentForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("Short code, e.g. CARD."))
    specialisation = forms.ModelChoiceField(label=_("Specialisation"), queryset=Specialisation.objects.all(),
                                            required=False)
    new_specialisation = forms.CharField(label=_("Or a new specialisation"), max_length=120, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @classmethod
    def for_department(cls, department: Department, data=None):
        return cls(data, initial={"name": department.name, "code": department.code,
                                  "specialisation": department.specialisation, "is_active": department.is_active})

    def department_data(self) -> services.DepartmentData:
        return services.DepartmentData(**self.cleaned_data)


class WardForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.filter(is_active=True))
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.filter(is_active=True))
    floor = forms.IntegerField(label=_("Floor"), min_value=-5, max_value=200, initial=1)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @classmethod
    def for_ward(cls, ward: Ward, data=None):
        form = cls(data, initial={"name": ward.name, "department": ward.department, "building": ward.building,
                                  "floor": ward.floor, "is_active": ward.is_active})
        # A ward keeps its department and building even after they were deactivated.
        form.fields["department"].queryset = Department.objects.filter(is_active=True) | Department.objects.filter(
            pk=ward.department_id)
        form.fields["building"].queryset = Building.objects.filter(is_active=True) | Building.objects.filter(
            pk=ward.building_id)
        return form

    def ward_data(self) -> services.WardData:
        return services.WardData(**self.cleaned_data)


class BuildingForm(StyledForm, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=10, help_text=_("Short label, e.g. A or MAIN."))
    name = forms.CharField(label=_("Name"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def building_data(self) -> services.BuildingData:
        return services.BuildingData(**self.cleaned_data)


class AmenityForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    icon = forms.CharField(label=_("Icon"), max_length=40, required=False,
                           help_text=_("A Font Awesome icon name, e.g. wifi, tv, snowflake, wheelchair."))

    def amenity_data(self) -> services.AmenityData:
        return services.AmenityData(**self.cleaned_data)


class RoomTypeForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    use = forms.ChoiceField(label=_("Used for"), choices=RoomUse.choices, initial=RoomUse.SANATORIUM,
                            help_text=_("Only rooms for sanatorium stays are offered when booking."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    charge_unit = forms.ChoiceField(label=_("Bed time charged per"), choices=ChargeUnit.choices,
                                    initial=ChargeUnit.HOUR, required=False,
                                    help_text=_("The rooms' bed-time rate is the price of one such unit."))
    minimum_units = forms.IntegerField(label=_("Minimum units"), min_value=0, max_value=100000, initial=1,
                                       required=False)
    grace_minutes = forms.IntegerField(label=_("Grace minutes"), min_value=0, max_value=100000, initial=0,
                                       required=False,
                                       help_text=_("A unit that has run only this long is not charged."))
    free_minutes = forms.IntegerField(label=_("Free first minutes"), min_value=0, max_value=100000, initial=0,
                                      required=False,
                                      help_text=_("A stay in bed ending within these minutes is free."))

    def room_type_data(self) -> services.RoomTypeData:
        """The form's values; a charge policy left empty is the default one (per started hour)."""
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        return services.RoomTypeData(**{"description": "", "is_active": False, **data})


class RoomForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name or number"), max_length=40)
    room_type = forms.ModelChoiceField(label=_("Room type"), queryset=RoomType.objects.filter(is_active=True))
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.filter(is_active=True))
    floor = forms.IntegerField(label=_("Floor"), min_value=-5, max_value=200, initial=1)
    ward = WardChoiceField(label=_("Ward"), required=False,
                           queryset=Ward.objects.filter(is_active=True).select_related("department", "building"),
                           help_text=_("Hospital rooms belong to a ward; leave empty for sanatorium rooms."))
    capacity = forms.IntegerField(label=_("Capacity (beds)"), min_value=1, max_value=MAX_CAPACITY, initial=1,
                                  help_text=_("Beds are added or taken out of service to match."))
    base_price = money_input(_("Base price per day"), _("Per guest and day, when the tariff has no price for "
                                                        "this room type."))
    hourly_rate = money_input(_("Bed-time rate"), _("Per bed and charged unit of the room type (an hour unless the "
                                                    "room type says otherwise), for hospital bed time."))
    amenities = KeyChoicesField(label=_("Amenities"), queryset=Amenity.objects.all(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amenities"].widget.attrs["class"] = "form-check-input"

    @classmethod
    def for_room(cls, room: Room, data=None):
        form = cls(data, initial={
            "name": room.name, "room_type": room.room_type, "building": room.building, "floor": room.floor,
            "ward": room.ward, "capacity": room.capacity, "base_price": room.base_price,
            "hourly_rate": room.hourly_rate, "amenities": list(room.amenities.all()), "notes": room.notes,
            "is_active": room.is_active})
        form.fields["room_type"].queryset = RoomType.objects.filter(is_active=True) | RoomType.objects.filter(
            pk=room.room_type_id)
        form.fields["building"].queryset = Building.objects.filter(is_active=True) | Building.objects.filter(
            pk=room.building_id)
        return form

    def room_data(self) -> services.RoomData:
        data = dict(self.cleaned_data)
        data["amenities"] = list(data["amenities"])
        return services.RoomData(**data)


class BedForm(StyledForm, forms.Form):
    number = forms.CharField(label=_("Bed number"), max_length=10, required=False,
                             help_text=_("Leave empty for the next free number."))


class BedRenameForm(StyledForm, forms.Form):
    number = forms.CharField(label=_("Bed number"), max_length=10)


class MaintenanceForm(StyledForm, forms.Form):
    room = RoomChoiceField(label=_("Room"), queryset=Room.objects.select_related("building", "room_type"))
    bed = forms.ModelChoiceField(label=_("Bed"), queryset=Bed.objects.none(), required=False,
                                 empty_label=_("The whole room"),
                                 help_text=_("Choose a bed to close only that bed."))
    kind = forms.ChoiceField(label=_("Type"), choices=MaintenanceKind.choices)
    start = forms.DateTimeField(label=_("Start"), widget=forms.DateTimeInput(**DATETIME_WIDGET))
    end = forms.DateTimeField(label=_("End"), widget=forms.DateTimeInput(**DATETIME_WIDGET))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    performed_by = forms.ModelChoiceField(label=_("Performed by"), required=False,
                                          queryset=User.objects.filter(is_active=True).order_by("full_name"))

    def __init__(self, *args, room: Room | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        room_id = self.data.get("room") or (room.pk if room else None) or self.initial.get("room")
        room_id = id_from(getattr(room_id, "pk", room_id))
        if room_id:
            self.fields["bed"].queryset = Bed.objects.filter(room_id=room_id, is_active=True).order_by("number")
        self.fields["room"].widget.attrs.update({
            "hx-get": "", "hx-target": "#id_bed", "hx-select": "#id_bed", "hx-swap": "outerHTML",
            "hx-include": "this", "hx-trigger": "change"})
        if not self.is_bound and "start" not in self.initial:
            start = clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            self.initial.update(start=start, end=start + timedelta(hours=2))

    @classmethod
    def for_period(cls, period: Maintenance, data=None):
        return cls(data, room=period.room, initial={
            "room": period.room, "bed": period.bed, "kind": period.kind, "start": period.start, "end": period.end,
            "description": period.description, "performed_by": period.performed_by})

    def maintenance_data(self) -> MaintenanceData:
        return MaintenanceData(**self.cleaned_data)


class TransitionForm(StyledForm, forms.Form):
    to = forms.ChoiceField(choices=MaintenanceStatus.choices)
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)


# List filters: a bad value is ignored, never a server error ---------------------------------------------------

class FilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    active = forms.ChoiceField(label=_("In use"), required=False, choices=ACTIVE_CHOICES)

    def values(self) -> dict:
        """The valid filters; Django leaves invalid ones out of cleaned_data."""
        self.is_valid()
        return self.cleaned_data


class DepartmentFilter(FilterForm):
    pass


class WardFilter(FilterForm):
    department = forms.ModelChoiceField(label=_("Department"), required=False, queryset=Department.objects.all(),
                                        empty_label=_("All departments"))
    building = forms.ModelChoiceField(label=_("Building"), required=False, queryset=Building.objects.all(),
                                      empty_label=_("All buildings"))


class RoomFilter(FilterForm):
    room_type = forms.ModelChoiceField(label=_("Room type"), required=False, queryset=RoomType.objects.all(),
                                       empty_label=_("All room types"))
    building = forms.ModelChoiceField(label=_("Building"), required=False, queryset=Building.objects.all(),
                                      empty_label=_("All buildings"))
    floor = forms.IntegerField(label=_("Floor"), required=False, min_value=-5, max_value=200,
                               widget=forms.NumberInput(attrs={"placeholder": _("Floor")}))
    ward = WardChoiceField(label=_("Ward"), required=False,
                           queryset=Ward.objects.select_related("department", "building"), empty_label=_("All wards"))
    amenity = forms.ModelChoiceField(label=_("Amenity"), required=False, queryset=Amenity.objects.all(),
                                     empty_label=_("Any amenity"))


class MaintenanceFilter(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All statuses")), ("open", _("Scheduled or in progress")), *MaintenanceStatus.choices])
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *MaintenanceKind.choices])
    building = forms.ModelChoiceField(label=_("Building"), required=False, queryset=Building.objects.all(),
                                      empty_label=_("All buildings"))
    since = SaneDateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    until = SaneDateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def values(self) -> dict:
        self.is_valid()
        return self.cleaned_data


class RangeForm(StyledForm, forms.Form):
    """A date range for the availability pages; defaults to the next two weeks, shown in the fields."""

    DEFAULT_DAYS = 14

    start = SaneDateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = SaneDateField(label=_("To (exclusive)"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    room_type = forms.ModelChoiceField(required=False, queryset=RoomType.objects.all(),
                                       label=_("Room type"), empty_label=_("All room types"))
    guests = forms.IntegerField(required=False, min_value=1, max_value=50, label=_("Guests"))

    def __init__(self, data, **kwargs):
        data = data.copy()
        if not data.get("start"):
            data["start"] = clock.today().isoformat()
        if not data.get("end"):
            try:
                data["end"] = (self.base_fields["start"].clean(data["start"]) +
                               timedelta(days=self.DEFAULT_DAYS)).isoformat()
            except ValidationError:
                pass  # the start is refused next to its field
        super().__init__(data, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end date must be after the start date."))
        elif start and end and (end - start).days > 92:
            self.add_error("end", _("Show at most 92 days at a time."))
        data["guests"] = data.get("guests") or 1
        return data
