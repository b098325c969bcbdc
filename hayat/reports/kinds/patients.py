"""Who the guests and patients are: age bands and gender, region and district, new and returning.

A person counts once per report, whether they came once or several times in the period. Guests are the
patients of guest lines of bookings that came (checked in or finished) arriving in the period; inpatients and
outpatients those of episodes registered in it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from hayat.clinical.models import Episode
from hayat.facilities.availability import midnight
from hayat.patients.models import Gender, Patient
from hayat.reports import periods
from hayat.reports.filters import Filters
from hayat.reports.registry import BOOKINGS, TEXT, Chart, Column, Report, Table
from hayat.stays.models import STAYED, GuestLine

AGE_BANDS = ((0, 18), (18, 30), (30, 45), (45, 60), (60, 75), (75, None))


def guests_q(filters: Filters) -> Q:
    lines = GuestLine.objects.filter(booking__status__in=STAYED, start_date__gte=filters.start,
                                     start_date__lt=filters.end, removed_at__isnull=True)
    if filters.room_type is not None:
        lines = lines.filter(room__room_type=filters.room_type)
    if filters.tariff is not None:
        lines = lines.filter(tariff=filters.tariff)
    episodes = Episode.objects.filter(registered_at__gte=midnight(filters.start),
                                      registered_at__lt=midnight(filters.end))
    if filters.department is not None:
        episodes = episodes.filter(department=filters.department)
    if filters.room_type is not None or filters.tariff is not None:
        return Q(pk__in=lines.values("patient_id"))
    if filters.department is not None:
        return Q(pk__in=episodes.values("patient_id"))
    return Q(pk__in=lines.values("patient_id")) | Q(pk__in=episodes.values("patient_id"))


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def band_label(low: int, high: int | None) -> str:
    return f"{low}–{high - 1}" if high else f"{low}+"


def age_and_gender(filters: Filters) -> Table:
    """Ages on the first day of the period."""
    on = filters.start
    genders = (Gender.MALE, Gender.FEMALE)
    aggregates = {}
    for index, (low, high) in enumerate(AGE_BANDS):
        born = Q(birth_date__lte=years_before(on, low))
        if high is not None:
            born &= Q(birth_date__gt=years_before(on, high))
        for gender in genders:
            aggregates[f"{index}_{gender}"] = Count("id", filter=born & Q(gender=gender))
        aggregates[f"{index}_other"] = Count("id", filter=born & ~Q(gender__in=genders))
    aggregates["unknown_age"] = Count("id", filter=Q(birth_date__isnull=True))
    found = Patient.objects.filter(guests_q(filters)).aggregate(**aggregates)
    rows = []
    for index, band in enumerate(AGE_BANDS):
        counts = [found[f"{index}_{gender}"] for gender in genders] + [found[f"{index}_other"]]
        rows.append((band_label(*band), *counts, sum(counts)))
    rows.append((_("Age unknown"), "", "", "", found["unknown_age"]))
    columns = (Column("age", _("Age"), TEXT), Column("male", _("Men")), Column("female", _("Women")),
               Column("other", _("Other or not stated")), Column("total", _("People")))
    return Table(columns, rows)


def regions(filters: Filters) -> Table:
    found = (Patient.objects.filter(guests_q(filters)).order_by().values("region__name", "district__name")
             .annotate(people=Count("id")).order_by("-people", "region__name", "district__name")[:50])
    rows = [(row["region__name"] or "–", row["district__name"] or "–", row["people"]) for row in found]
    return Table((Column("region", _("Region"), TEXT), Column("district", _("District"), TEXT),
                  Column("people", _("People"))), rows)


def new_and_returning(filters: Filters) -> Table:
    """Guests arriving per period, and those of them who had stayed before it began."""
    earlier = GuestLine.objects.filter(patient_id=OuterRef("patient_id"), booking__status__in=STAYED,
                                       start_date__lt=filters.start)
    lines = GuestLine.objects.filter(booking__status__in=STAYED, start_date__gte=filters.start,
                                     start_date__lt=filters.end, removed_at__isnull=True)
    if filters.room_type is not None:
        lines = lines.filter(room__room_type=filters.room_type)
    if filters.tariff is not None:
        lines = lines.filter(tariff=filters.tariff)
    per_day = {row.pop("start_date"): row for row in lines.annotate(returning=Exists(earlier)).order_by()
               .values("start_date").annotate(arrivals=Count("patient_id", distinct=True),
                                              back=Count("patient_id", distinct=True, filter=Q(returning=True)))}
    rows = [(first, values["arrivals"], values["arrivals"] - values["back"], values["back"])
            for first, values in periods.fold(per_day, ("arrivals", "back"), filters.start, filters.end,
                                              filters.grain)]
    return Table((Column("period", _("Arrival")), Column("arrivals", _("Guests")), Column("new", _("New")),
                  Column("returning", _("Returning"))), rows, label_kind=filters.grain)


AGE_GENDER = Report(
    slug="age_gender", title=_("Age and gender"), group=BOOKINGS, capability="reports.stays",
    description=_("Guests and patients of the period by age band and gender."),
    read=age_and_gender, chart=Chart("age", ("male", "female", "other")),
    filters=("department", "room_type", "tariff"))
REGIONS = Report(
    slug="regions", title=_("Regions and districts"), group=BOOKINGS, capability="reports.stays",
    description=_("Where the guests and patients of the period live."),
    read=regions, chart=Chart("region", ("people",)), filters=("department", "room_type", "tariff"))
NEW_RETURNING = Report(
    slug="new_returning", title=_("New and returning guests"), group=BOOKINGS, capability="reports.stays",
    description=_("Guests arriving, and those who had stayed before."),
    read=new_and_returning, chart=Chart("period", ("new", "returning")), filters=("grain", "room_type", "tariff"))
