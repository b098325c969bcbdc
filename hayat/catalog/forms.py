"""Forms for service types, services, tariffs, their included sessions and the price grid, and list filters."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.catalog import services
from hayat.catalog.models import MAX_COURSE_DAYS, Service, ServiceType, SessionBasis, Tariff
from hayat.core.charging import POLICY_FIELDS, ChargeUnit
from hayat.core.forms import StyledForm
from hayat.core.money import MAX_DIGITS
from hayat.facilities.models import RoomType

ACTIVE_CHOICES = [("", _("Active and inactive")), ("yes", _("Active only")), ("no", _("Inactive only"))]


def money_input(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, min_value=0, max_digits=MAX_DIGITS, decimal_places=2,
                              help_text=help_text,
                              widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}))


class ServiceTypeForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def service_type_data(self) -> services.ServiceTypeData:
        return services.ServiceTypeData(**self.cleaned_data)


class ServiceForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    service_type = forms.ModelChoiceField(label=_("Service type"), queryset=ServiceType.objects.filter(is_active=True))
    code = forms.CharField(label=_("Code"), max_length=20, required=False,
                           help_text=_("Optional short code used on bills and schedules."))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=1440, initial=30)
    price = money_input(_("Price per session"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    charged_by_time = forms.BooleanField(label=_("Charged by time"), required=False,
                                         help_text=_("Oxygen, a ventilator, a monitor: started and stopped on an "
                                                     "inpatient's episode, the price being per unit."))
    charge_unit = forms.ChoiceField(label=_("Charged per"), choices=ChargeUnit.choices, initial=ChargeUnit.HOUR,
                                    required=False)
    minimum_units = forms.IntegerField(label=_("Minimum units"), min_value=0, max_value=100000, initial=1,
                                       required=False)
    grace_minutes = forms.IntegerField(label=_("Grace minutes"), min_value=0, max_value=100000, initial=0,
                                       required=False)
    free_minutes = forms.IntegerField(label=_("Free first minutes"), min_value=0, max_value=100000, initial=0,
                                      required=False)

    @classmethod
    def for_service(cls, service: Service, data=None):
        form = cls(data, initial={
            "name": service.name, "service_type": service.service_type, "code": service.code or "",
            "duration_minutes": service.duration_minutes, "price": service.price,
            "description": service.description, "is_active": service.is_active,
            "charged_by_time": service.charged_by_time, **{name: getattr(service, name) for name in POLICY_FIELDS}})
        form.fields["service_type"].queryset = (ServiceType.objects.filter(is_active=True)
                                                | ServiceType.objects.filter(pk=service.service_type_id))
        return form

    def service_data(self) -> services.ServiceData:
        """The form's values; a charge policy left empty is the default one (per started hour)."""
        return services.ServiceData(**{name: value for name, value in self.cleaned_data.items()
                                       if value not in (None, "")})


class TariffForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("Short code, e.g. WELL-10."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sessions_basis = forms.ChoiceField(label=_("Sessions are"), choices=SessionBasis.choices,
                                       initial=SessionBasis.PACKAGE)
    length_days = forms.IntegerField(
        label=_("Course length in days"), required=False, min_value=1, max_value=MAX_COURSE_DAYS,
        help_text=_("A shorter stay gets a prorated share of a package's sessions, and booking it is warned about. "
                    "Leave empty for any length."))
    is_active = forms.BooleanField(label=_("Offered for new stays"), required=False, initial=True)

    @classmethod
    def for_tariff(cls, tariff: Tariff, data=None):
        return cls(data, initial={"name": tariff.name, "code": tariff.code, "description": tariff.description,
                                  "sessions_basis": tariff.sessions_basis, "length_days": tariff.length_days,
                                  "is_active": tariff.is_active})

    def tariff_data(self) -> services.TariffData:
        return services.TariffData(**self.cleaned_data)


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, service: Service) -> str:
        return f"{service.service_type.name} · {service.name}"


class IncludeServiceForm(StyledForm, forms.Form):
    service = ServiceChoiceField(label=_("Service"), queryset=Service.objects.filter(is_active=True)
                                 .select_related("service_type").order_by("service_type__name", "name"))
    sessions = forms.IntegerField(label=_("Sessions"), min_value=1, max_value=500, initial=1)


class SessionsForm(StyledForm, forms.Form):
    sessions = forms.IntegerField(label=_("Sessions"), min_value=1, max_value=500)


class PriceGridForm(StyledForm, forms.Form):
    """One field per tariff × room type; an empty field means the room's base price applies."""

    def __init__(self, *args, tariffs: list[Tariff], room_types: list[RoomType], prices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.tariffs, self.room_types = tariffs, room_types
        for tariff in tariffs:
            for room_type in room_types:
                name = self.field_name(tariff.pk, room_type.pk)
                self.fields[name] = money_input(f"{tariff.name} / {room_type.name}", required=False)
                self.fields[name].widget.attrs.update({"class": "form-control form-control-sm text-end",
                                                       "placeholder": _("base price")})
                self.initial.setdefault(name, prices.get((tariff.pk, room_type.pk)))

    @staticmethod
    def field_name(tariff_id: int, room_type_id: int) -> str:
        return f"price_{tariff_id}_{room_type_id}"

    def rows(self) -> list[tuple[Tariff, list]]:
        """The grid for the template: each tariff with its bound fields, in room-type order."""
        return [(tariff, [self[self.field_name(tariff.pk, room_type.pk)] for room_type in self.room_types])
                for tariff in self.tariffs]

    def prices(self) -> dict[tuple[int, int], Decimal | None]:
        return {(tariff.pk, room_type.pk): self.cleaned_data.get(self.field_name(tariff.pk, room_type.pk))
                for tariff in self.tariffs for room_type in self.room_types}


class FilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    active = forms.ChoiceField(label=_("In use"), required=False, choices=ACTIVE_CHOICES)

    def values(self) -> dict:
        """The valid filters; Django leaves invalid ones out of cleaned_data."""
        self.is_valid()
        return self.cleaned_data


class ServiceFilter(FilterForm):
    service_type = forms.ModelChoiceField(label=_("Service type"), required=False, queryset=ServiceType.objects.all(),
                                          empty_label=_("All service types"))
