"""Clinical figures: the inpatient census, length of stay, case mix, lab workload and sessions delivered.

The midnight census of a day counts the patients lying in a bed at the midnight that ends it, in the
hospital's time zone: a patient moved at 23:30 counts once, in the new bed.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import timedelta
from itertools import accumulate

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from hayat.clinical.models import (
    AssignmentEnd,
    BedAssignment,
    DiagnosisAction,
    DiagnosisRank,
    Episode,
    EpisodeDiagnosis,
)
from hayat.facilities.availability import midnight
from hayat.lab.models import LabResult
from hayat.reports import periods
from hayat.reports.filters import Filters
from hayat.reports.registry import CLINICAL, COUNT, DECIMAL, MONEY_AMOUNT, TEXT, Chart, Column, Report, Table
from hayat.stays.models import STAYED, Booking, ServiceUsage, UsageKind


def of_department(filters: Filters, path: str) -> Q:
    return Q(**{path: filters.department}) if filters.department is not None else Q()


def midnight_census(filters: Filters) -> dict:
    """{day: patients in a bed at the midnight ending it}: the assignments overlapping the period, folded here."""
    assignments = BedAssignment.objects.filter(of_department(filters, "bed__room__ward__department"),
                                               started_at__lt=midnight(filters.end))
    assignments = assignments.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=midnight(filters.start)))
    days = list(periods.days(filters.start, filters.end))
    ends = [midnight(day + timedelta(days=1)) for day in days]
    # +1 on the first midnight an assignment covers, −1 on the first it no longer covers: one pass per
    # assignment and one over the days, however long the period.
    changes = [0] * (len(days) + 1)
    for started_at, ended_at in assignments.values_list("started_at", "ended_at").order_by():
        first = bisect_left(ends, started_at)
        after = len(days) if ended_at is None else bisect_left(ends, ended_at)
        if first < after:
            changes[first] += 1
            changes[after] -= 1
    return {day: {"census": count} for day, count in zip(days, accumulate(changes), strict=False)}


def census(filters: Filters) -> Table:
    episodes = Episode.objects.filter(of_department(filters, "department"))
    admitted = periods.by_local_day(episodes, "admitted_at", filters.start, filters.end, admissions=Count("id"))
    discharged = periods.by_local_day(episodes, "discharged_at", filters.start, filters.end, discharges=Count("id"))
    moved = periods.by_local_day(
        BedAssignment.objects.filter(of_department(filters, "bed__room__ward__department"),
                                     ended_reason=AssignmentEnd.TRANSFER),
        "ended_at", filters.start, filters.end, transfers=Count("id"))
    days = midnight_census(filters)
    for source in (admitted, discharged, moved):
        for day, values in source.items():
            days.setdefault(day, {}).update(values)
    keys = ("admissions", "discharges", "transfers", "census")
    rows = [(first, *(values[key] for key in keys))
            for first, values in periods.fold(days, keys, filters.start, filters.end, filters.grain)]
    # By week or month the census column adds the days up: patient-days counted at midnight.
    columns = (Column("period", _("Day")), Column("admissions", _("Admissions")),
               Column("discharges", _("Discharges")), Column("transfers", _("Transfers")),
               Column("census", _("Midnight census")))
    return Table(columns, rows, label_kind=filters.grain)


DAY = timedelta(days=1)


def length_of_stay(filters: Filters) -> Table:
    """Inpatient episodes discharged in the period, by department, and the sanatorium stays that ended in it."""
    length = ExpressionWrapper(F("discharged_at") - F("admitted_at"), output_field=DurationField())
    episodes = (Episode.objects.filter(of_department(filters, "department"), admitted_at__isnull=False,
                                       discharged_at__gte=midnight(filters.start),
                                       discharged_at__lt=midnight(filters.end))
                .order_by().values("department__name").annotate(count=Count("id"), days=Sum(length))
                .order_by("department__name"))
    rows = [(row["department__name"] or "–", row["count"], days_of(row["days"]),
             round(days_of(row["days"]) / row["count"], 1)) for row in episodes]
    nights = ExpressionWrapper(F("end_date") - F("start_date"), output_field=DurationField())
    stays = Booking.objects.filter(status__in=STAYED, end_date__gt=filters.start, end_date__lte=filters.end) \
        .aggregate(count=Count("id"), days=Sum(nights))
    if stays["count"]:
        rows.append((_("Sanatorium stays"), stays["count"], days_of(stays["days"]),
                     round(days_of(stays["days"]) / stays["count"], 1)))
    columns = (Column("unit", _("Department"), TEXT), Column("count", _("Stays")), Column("days", _("Days"), DECIMAL),
               Column("average", _("Average length of stay, days"), DECIMAL))
    return Table(columns, rows)


def days_of(duration) -> float:
    return round((duration or timedelta()) / DAY, 1)


def current_principal() -> Q:
    """The principal code an episode carries now: neither removed nor amended by a later entry."""
    return Q(rank=DiagnosisRank.PRINCIPAL, amended_by__isnull=True) & ~Q(action=DiagnosisAction.REMOVED)


def coded_in(filters: Filters):
    return EpisodeDiagnosis.objects.filter(
        current_principal(), of_department(filters, "episode__department"),
        episode__registered_at__gte=midnight(filters.start), episode__registered_at__lt=midnight(filters.end))


def case_mix(filters: Filters) -> Table:
    length = ExpressionWrapper(F("episode__discharged_at") - F("episode__admitted_at"), output_field=DurationField())
    found = (coded_in(filters).order_by().values("icd_code__chapter")
             .annotate(episodes=Count("episode", distinct=True), days=Sum(length),
                       discharged=Count("episode", filter=Q(episode__discharged_at__isnull=False,
                                                           episode__admitted_at__isnull=False)))
             .order_by("icd_code__chapter"))
    rows = [(row["icd_code__chapter"] or "–", row["episodes"],
             round(days_of(row["days"]) / row["discharged"], 1) if row["discharged"] else None) for row in found]
    columns = (Column("chapter", _("ICD-10 chapter"), TEXT), Column("episodes", _("Episodes")),
               Column("average", _("Average length of stay, days"), DECIMAL))
    return Table(columns, rows)


def top_codes(filters: Filters) -> Table:
    found = (coded_in(filters).order_by().values("icd_code__code", "icd_code__title")
             .annotate(episodes=Count("episode", distinct=True)).order_by("-episodes", "icd_code__code")[:20])
    rows = [(row["icd_code__code"], row["icd_code__title"][:80], row["episodes"]) for row in found]
    columns = (Column("code", _("Code"), TEXT), Column("title", _("Diagnosis"), TEXT),
               Column("episodes", _("Episodes")))
    return Table(columns, rows)


def lab_results_in(filters: Filters):
    return LabResult.objects.filter(performed_at__gte=midnight(filters.start), performed_at__lt=midnight(filters.end))


def lab_by_test(filters: Filters) -> Table:
    found = (lab_results_in(filters).order_by().values("test_type__name")
             .annotate(results=Count("id"), patients=Count("patient", distinct=True)).order_by("test_type__name"))
    rows = [(row["test_type__name"], row["results"], row["patients"]) for row in found]
    return Table((Column("test", _("Test type"), TEXT), Column("results", _("Results")),
                  Column("patients", _("Patients"))), rows)


def lab_by_performer(filters: Filters) -> Table:
    found = (lab_results_in(filters).order_by().values("performed_by__full_name")
             .annotate(results=Count("id"), tests=Count("test_type", distinct=True))
             .order_by("-results", "performed_by__full_name"))
    rows = [(row["performed_by__full_name"], row["results"], row["tests"]) for row in found]
    return Table((Column("performer", _("Performed by"), TEXT), Column("results", _("Results")),
                  Column("tests", _("Test types"))), rows)


def sessions(filters: Filters) -> Table:
    """Services delivered to guests: included sessions and extras, by service and by who recorded them."""
    found = (ServiceUsage.objects.filter(used_on__gte=filters.start, used_on__lt=filters.end)
             .order_by().values("service__name", "recorded_by__full_name")
             .annotate(sessions=Sum("quantity", filter=Q(kind=UsageKind.SESSION)),
                       extras=Sum("quantity", filter=Q(kind=UsageKind.EXTRA)),
                       billed=Sum(F("unit_price") * F("quantity"), filter=Q(billable=True)))
             .order_by("service__name", "recorded_by__full_name"))
    rows = [(row["service__name"], row["recorded_by__full_name"], row["sessions"] or 0, row["extras"] or 0,
             row["billed"] or 0) for row in found]
    columns = (Column("service", _("Service"), TEXT), Column("by", _("Delivered by"), TEXT),
               Column("sessions", _("Included sessions"), COUNT), Column("extras", _("Extra services")),
               Column("billed", _("Billable"), MONEY_AMOUNT))
    return Table(columns, rows)


CENSUS = Report(
    slug="census", title=_("Inpatient census"), group=CLINICAL, capability="reports.clinical",
    description=_("Admissions, discharges and transfers per day, and the patients in bed at midnight."),
    read=census, chart=Chart("period", ("census", "admissions", "discharges")), filters=("grain", "department"))
LENGTH_OF_STAY = Report(
    slug="length_of_stay", title=_("Average length of stay"), group=CLINICAL, capability="reports.clinical",
    description=_("Inpatient episodes discharged in the period by department, and the sanatorium stays that ended."),
    read=length_of_stay, chart=Chart("unit", ("average",)), filters=("department",))
CASE_MIX = Report(
    slug="case_mix", title=_("Case mix by ICD-10 chapter"), group=CLINICAL, capability="reports.clinical",
    description=_("Episodes registered in the period by the chapter of their principal diagnosis."),
    read=case_mix, chart=Chart("chapter", ("episodes",)), filters=("department",))
TOP_CODES = Report(
    slug="top_codes", title=_("Most frequent diagnoses"), group=CLINICAL, capability="reports.clinical",
    description=_("The twenty principal ICD-10 codes seen most often in the period."),
    read=top_codes, chart=Chart("code", ("episodes",)), filters=("department",))
LAB_BY_TEST = Report(
    slug="lab_by_test", title=_("Lab workload by test"), group=CLINICAL, capability="reports.clinical",
    description=_("Lab results performed in the period, by test type."),
    read=lab_by_test, chart=Chart("test", ("results",)))
LAB_BY_PERFORMER = Report(
    slug="lab_by_performer", title=_("Lab workload by performer"), group=CLINICAL, capability="reports.clinical",
    description=_("Lab results performed in the period, by who performed them."),
    read=lab_by_performer, chart=Chart("performer", ("results",)))
SESSIONS = Report(
    slug="sessions", title=_("Sessions delivered"), group=CLINICAL, capability="reports.clinical",
    description=_("Included sessions and extra services given to guests, by service and by who gave them."),
    read=sessions, chart=Chart("service", ("sessions", "extras")))
