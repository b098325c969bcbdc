"""Reads of bookings shared by the pages, the API, the dashboard and the patient page; constant query counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hayat.accounts.models import User
from hayat.core import clock
from hayat.core.models import AuditEvent
from hayat.facilities.models import Room
from hayat.patients.models import Patient
from hayat.patients.selectors import text_condition
from hayat.stays.models import (
    EXPECTED,
    IN_HOUSE,
    OPEN_WAITLIST,
    Booking,
    BookingStatus,
    BookingStatusChange,
    CheckIn,
    DiaryEntry,
    GuestLine,
    IllnessHistory,
    IllnessStateChange,
    WaitlistEntry,
)


def lines_prefetch() -> Prefetch:
    return Prefetch("lines", queryset=GuestLine.objects.select_related(
        "patient", "room__building", "room__room_type", "bed", "tariff").order_by("start_date", "id"))


@dataclass(frozen=True)
class BookingFilters:
    search: str = ""
    status: str = ""
    source: str = ""
    date_from: date | None = None
    date_to: date | None = None


def filtered(filters: BookingFilters, *, with_status: bool = True) -> QuerySet[Booking]:
    """Bookings matching the filters: stays overlapping [date_from, date_to], the number or a guest's name,
    code or phone in `search`."""
    queryset = Booking.objects.all()
    if with_status and filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.source:
        queryset = queryset.filter(source=filters.source)
    if filters.date_from:
        queryset = queryset.filter(end_date__gt=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(start_date__lte=filters.date_to)
    text = filters.search.strip()
    if text:
        guests = GuestLine.objects.filter(booking=OuterRef("pk"),
                                          patient__in=Patient.objects.filter(text_condition(text)).values("pk"))
        condition = Exists(guests)
        if any(char.isdigit() for char in text):
            condition |= Q(number__icontains=text)
        queryset = queryset.filter(condition)
    return queryset


def bookings(filters: BookingFilters | None = None) -> QuerySet[Booking]:
    """The booking list: guests with their rooms prefetched; two queries per page whatever its length."""
    return (filtered(filters or BookingFilters()).select_related("created_by").prefetch_related(lines_prefetch())
            .order_by("-start_date", "-id"))


def guest_ids(booking: Booking) -> list[int]:
    """The patients of a booking whose lines are prefetched (the list selectors do)."""
    return [line.patient_id for line in booking.lines.all()]


def status_counts(filters: BookingFilters | None = None) -> list[dict[str, Any]]:
    """[{"status", "label", "count"}] for every status, counted over the filters except the status: one query."""
    rows = dict(filtered(filters or BookingFilters(), with_status=False).order_by().values_list("status")
                .annotate(count=Count("id")))
    return [{"status": value, "label": label, "count": rows.get(value, 0)} for value, label in BookingStatus.choices]


def upcoming_check_ins(*, days: int = 7, limit: int = 10) -> list[Booking]:
    """Bookings still expected that arrive from today on, within `days` days: two queries."""
    today = clock.today()
    return list(Booking.objects.filter(status__in=EXPECTED, start_date__gte=today,
                                       start_date__lte=today + timedelta(days=days))
                .prefetch_related(lines_prefetch()).order_by("start_date", "number")[:limit])


def arrivals(*, on: date, limit: int = 20) -> list[Booking]:
    """Bookings arriving on the day, whether still expected or already checked in."""
    return list(Booking.objects.filter(start_date=on, status__in=EXPECTED | IN_HOUSE)
                .prefetch_related(lines_prefetch()).order_by("number")[:limit])


def departures(*, on: date, limit: int = 20) -> list[Booking]:
    """Bookings whose guests are in the house and leave on the day."""
    return list(Booking.objects.filter(end_date=on, status__in=IN_HOUSE)
                .prefetch_related(lines_prefetch()).order_by("number")[:limit])


def booking_for_page(pk: int) -> Booking:
    return (Booking.objects.select_related("created_by", "updated_by")
            .prefetch_related(lines_prefetch(),
                              Prefetch("status_changes", queryset=BookingStatusChange.objects.select_related("by")))
            .get(pk=pk))


def check_in_of(booking: Booking) -> CheckIn | None:
    """What the desk confirmed at arrival, with who did it and the doctor; None before check-in."""
    return CheckIn.objects.select_related("by", "doctor").filter(booking=booking).first()


def bookings_of_patient(patient: Patient, *, limit: int = 20) -> list[Booking]:
    """The patient's bookings, newest stay first, with every guest line of each: two queries."""
    return list(Booking.objects.filter(Exists(GuestLine.objects.filter(booking=OuterRef("pk"), patient=patient)))
                .prefetch_related(lines_prefetch()).order_by("-start_date", "-id")[:limit])


def booked_at(booking: Booking) -> datetime | None:
    """When the booking was made, by the hospital clock: its first status change (prefetched `status_changes`)."""
    first = [change for change in booking.status_changes.all() if not change.from_status]
    return min((change.at for change in first), default=None)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    kind: str  # "status" or the audit action
    title: str
    detail: str = ""
    from_status: str = ""
    from_title: str = ""
    to_status: str = ""


ACTION_TITLES = {
    "booking.create": gettext_lazy("Booked"),
    "booking.dates": gettext_lazy("Dates changed"),
    "booking.move": gettext_lazy("Moved in the calendar"),
    "booking.update": gettext_lazy("Source, referral or notes changed"),
    "booking.guest_add": gettext_lazy("Guest added"),
    "booking.guest_edit": gettext_lazy("Guest changed"),
    "booking.guest_remove": gettext_lazy("Guest removed"),
    "booking.mid_stay_change": gettext_lazy("Room or tariff changed from a day"),
    "booking.early_departure": gettext_lazy("Left early"),
    "booking.session_undone": gettext_lazy("Session undone"),
    "booking.extra_undone": gettext_lazy("Extra service undone"),
    "booking.revert": gettext_lazy("Reverted to an earlier version"),
}


def timeline(booking: Booking) -> list[TimelineEntry]:
    """Status changes (who, when, from, to, why) and the other recorded changes, newest first: the booking page's
    history and the API's. Four queries when `status_changes` is prefetched with their users."""
    entries = [
        TimelineEntry(at=change.at, actor=change.by.full_name if change.by else _("system"), kind="status",
                      title=str(BookingStatus(change.to_status).label), detail=change.reason,
                      from_status=change.from_status, to_status=change.to_status,
                      from_title=str(BookingStatus(change.from_status).label) if change.from_status else "")
        for change in booking.status_changes.all()
    ]
    events = list(AuditEvent.objects.filter(model=Booking._meta.label, object_id=str(booking.pk),
                                            action__in=list(ACTION_TITLES)).order_by("at", "id"))
    names = {patient.pk: patient.full_name for patient in
             Patient.objects.filter(pk__in={event.patient_id for event in events if event.patient_id})}
    rooms = {room.pk: str(room) for room in Room.objects.select_related("building").filter(
        pk__in={value for event in events for value in (event.changes or {}).get("room", []) or [] if value})}
    actors = dict(User.objects.filter(pk__in={event.actor_id for event in events if event.actor_id})
                  .values_list("pk", "full_name"))
    for event in events:
        actor = actors.get(event.actor_id) or event.actor.split(" (")[0] or _("system")
        entries.append(TimelineEntry(at=event.at, actor=actor, kind=event.action,
                                     title=str(ACTION_TITLES[event.action]),
                                     detail=describe(event, names=names, rooms=rooms)))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def describe(event: AuditEvent, *, names: dict[int, str], rooms: dict[int, str]) -> str:
    """A line a person can read: the guest, the room change, the new dates, the note."""
    parts = []
    if event.patient_id in names:
        parts.append(names[event.patient_id])
    changes = event.changes or {}
    room = changes.get("room")
    if isinstance(room, list) and len(room) == 2 and room[1]:
        old, new = rooms.get(room[0], room[0]), rooms.get(room[1], room[1])
        parts.append(_("room %(old)s → %(new)s") % {"old": old, "new": new} if old else
                     _("room %(room)s") % {"room": new})
    for field, label in (("start_date", _("arrival")), ("end_date", _("departure"))):
        values = changes.get(field)
        if event.action != "booking.create" and isinstance(values, list) and len(values) == 2:
            parts.append(f"{label}: {values[0] or '–'} → {values[1]}")
    if event.note:
        parts.append(event.note)
    return "; ".join(str(part) for part in parts)


# --- stay operations --------------------------------------------------------------------------------------


def illness_histories_of(booking: Booking) -> list[IllnessHistory]:
    """The booking's illness histories with patient, doctor and nurses: two queries."""
    return list(IllnessHistory.objects.filter(booking=booking).select_related("patient", "doctor")
                .prefetch_related("nurses").order_by("patient__last_name", "pk"))


def illness_history_for_page(pk: int) -> IllnessHistory:
    return (IllnessHistory.objects
            .select_related("patient", "doctor", "booking", "initial_diagnosis", "arrival_diagnosis",
                            "final_diagnosis", "examination__examined_by", "epicrisis__written_by")
            .prefetch_related("nurses", Prefetch("state_changes",
                                                 queryset=IllnessStateChange.objects.select_related("by")),
                              Prefetch("diary", queryset=DiaryEntry.objects.select_related("author")))
            .get(pk=pk))


def settle_url(booking: Booking) -> str:
    """Where the bill of a stay is settled: its first bill (the booking page lists every payer's), or the paying
    guest's money page when none is open."""
    bills = getattr(booking, "bills", None)  # billing's reverse relation: stays does not import billing
    bill = bills.order_by("id").first() if bills is not None else None
    if bill is not None:
        return reverse("billing:bill_detail", kwargs={"pk": bill.pk})
    line = booking.lines.filter(removed_at__isnull=True).order_by("start_date", "id").first()
    if line is None:
        return booking.get_absolute_url()
    return reverse("billing:patient_money", kwargs={"patient_pk": line.patient_id})


def reservations() -> QuerySet[Booking]:
    """Reservations still holding rooms, the soonest to expire first: two queries per page."""
    return (Booking.objects.filter(status=BookingStatus.RESERVATION).prefetch_related(lines_prefetch())
            .order_by("deposit_recorded_at", "hold_until", "start_date", "pk"))


def open_waitlist() -> list[WaitlistEntry]:
    """Entries still waiting or offered a place (by message or to be called), by priority and waiting time:
    one query."""
    return list(WaitlistEntry.objects.filter(status__in=OPEN_WAITLIST)
                .select_related("patient", "room_type").order_by("priority", "created_at", "pk")[:200])
