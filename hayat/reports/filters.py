"""The filters of a report: a period of days in the hospital's time zone, a grain, and the optional narrowing
by department, room type, tariff and booking source. Bad input never reaches a query: the form refuses it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hayat.accounts.models import Department
from hayat.catalog.models import Tariff
from hayat.core.forms import StyledForm
from hayat.core.params import SaneDateField
from hayat.facilities.models import RoomType
from hayat.stays.models import BookingSource

# Three years: a seasonal comparison over several years, and the most the availability plans count at once.
MAX_DAYS = 3 * 366
DEFAULT_DAYS = 30


class Grain:
    DAY, WEEK, MONTH = "day", "week", "month"
    CHOICES = ((DAY, _("By day")), (WEEK, _("By week")), (MONTH, _("By month")))


@dataclass(frozen=True)
class Filters:
    """Days [start, end): `end` is the day after the last one shown."""

    start: date
    end: date
    grain: str = Grain.DAY
    department: Department | None = None
    room_type: RoomType | None = None
    tariff: Tariff | None = None
    source: str = ""

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days


class ReportFilterForm(StyledForm, forms.Form):
    start = SaneDateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = SaneDateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    grain = forms.ChoiceField(label=_("Show"), required=False, choices=Grain.CHOICES)
    department = forms.ModelChoiceField(label=_("Department"), required=False, empty_label=_("All departments"),
                                        queryset=Department.objects.order_by("name"))
    room_type = forms.ModelChoiceField(label=_("Room type"), required=False, empty_label=_("All room types"),
                                       queryset=RoomType.objects.order_by("name"))
    tariff = forms.ModelChoiceField(label=_("Tariff"), required=False, empty_label=_("All tariffs"),
                                    queryset=Tariff.objects.order_by("name"))
    source = forms.ChoiceField(label=_("Source"), required=False,
                               choices=[("", _("All sources")), *BookingSource.choices])

    def __init__(self, *args, today: date, used: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("grain", "department", "room_type", "tariff", "source"):
            if name not in used:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        end = data.get("end") or self.today
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if end < start:
            self.add_error("end", _("The end date must be on or after the start date."))
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error("end", ngettext("Choose at most %(days)s day.", "Choose at most %(days)s days.", MAX_DAYS)
                           % {"days": MAX_DAYS})
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> Filters:
        """The valid filters; call after is_valid()."""
        data = self.cleaned_data
        return Filters(start=data["start"], end=data["end"] + timedelta(days=1),
                       grain=data.get("grain") or Grain.DAY, department=data.get("department"),
                       room_type=data.get("room_type"), tariff=data.get("tariff"), source=data.get("source") or "")
