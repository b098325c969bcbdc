"""Checks that the places a booking claims are free, inside the use case's transaction, after the locks.

Bookings hold rooms of sanatorium room types only; hospital beds are assigned to episodes. Everything that
occupies a room counts: other bookings, other apps' occupancy (hospital bed assignments),
maintenance of the room or of a bed. The booking being changed does not count against itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hayat.core.errors import DomainError
from hayat.core.params import id_from
from hayat.facilities import availability
from hayat.facilities.availability import Span
from hayat.facilities.models import BLOCKING_STATUSES, Bed, Maintenance, Room, RoomUse
from hayat.stays import errors, occupancy
from hayat.stays.errors import NoLongerAvailable
from hayat.stays.models import GuestLine


@dataclass(frozen=True)
class Claim:
    """One guest wanting one place (a given bed, or any place) in a room for [start, end)."""

    room: Room
    bed: Bed | None
    start: date
    end: date


def ensure_free(claims: Sequence[Claim], *, ignoring: QuerySet[GuestLine] | None = None) -> None:
    """Raises NoLongerAvailable naming the room and the night unless every claim fits together.

    `ignoring` are guest lines that the change replaces (the booking's own lines when its dates move).
    Callers lock the claimed rooms with availability.lock_for_booking first.
    """
    if not claims:
        return
    start = min(claim.start for claim in claims)
    end = max(claim.end for claim in claims)
    room_ids = sorted({claim.room.pk for claim in claims})
    spans = [*other_apps_spans(start, end, room_ids), *booked_spans(start, end, room_ids, ignoring)]
    plans = availability.room_plans(start, end, rooms=Room.objects.filter(pk__in=room_ids), spans=spans)
    for claim in sorted(claims, key=lambda claim: (claim.bed is None, claim.room.pk, claim.start)):
        plan = plans.get(claim.room.pk)
        if plan is None or not claim.room.is_active:
            raise NoLongerAvailable(_("Room %(room)s is not in service.") % {"room": claim.room}, field="room")
        if not claim.room.room_type.is_for_stays:
            raise DomainError(_("Room %(room)s is a hospital room (%(type)s); a booking takes rooms for sanatorium "
                                "stays.") % {"room": claim.room, "type": claim.room.room_type}, field="room")
        if claim.bed is not None and (claim.bed.room_id != claim.room.pk or claim.bed.pk not in plan.beds):
            raise NoLongerAvailable(_("%(bed)s is not a bed in service in room %(room)s.")
                                    % {"bed": claim.bed, "room": claim.room}, field="bed")
        for index in availability.index_range(start, plan.days, claim.start, claim.end):
            if plan.closed[index]:
                raise errors.closed_for_maintenance(claim.room, claim.start, claim.end,
                                                    maintenance_reason(claim.room, claim.start, claim.end))
            if claim.bed is not None:
                if claim.bed.pk not in plan.usable_beds(index):
                    raise errors.bed_taken(claim.bed, claim.room, claim.start, claim.end)
                plan.mark_bed(index, claim.bed.pk)
            else:
                plan.guests[index] += 1
            if len(plan.usable_beds(index)) < plan.guests[index]:
                raise errors.room_full(claim.room, claim.start, claim.end, start + timedelta(days=index))


def other_apps_spans(start: date, end: date, room_ids: Iterable[int] | None) -> list[Span]:
    spans: list[Span] = []
    for provider in availability.providers():
        if getattr(provider, "__module__", "") == occupancy.__name__:
            continue
        spans.extend(span for span in provider(start, end, rooms=room_ids)
                     if span.start < end and span.end > start)
    return spans


def booked_spans(start: date, end: date, room_ids: Iterable[int] | None,
                 ignoring: QuerySet[GuestLine] | None) -> list[Span]:
    lines = occupancy.lines_holding(start, end)
    if room_ids is not None:
        lines = lines.filter(room_id__in=list(room_ids))
    if ignoring is not None:
        lines = lines.exclude(pk__in=ignoring.values("pk"))
    rows = lines.values_list("room_id", "bed_id", "start_date", "end_date").order_by()
    return [Span(room_id, bed_id, line_start, line_end, 1) for room_id, bed_id, line_start, line_end in rows]


def maintenance_reason(room: Room, start: date, end: date) -> str:
    period = (Maintenance.objects.filter(room=room, bed__isnull=True, status__in=BLOCKING_STATUSES,
                                         start__lt=availability.midnight(end),
                                         end__gt=availability.midnight(start))
              .order_by("start").first())
    if period is None:
        return _("it is closed")
    return _("closed for %(kind)s") % {"kind": period.get_kind_display().lower()}


@dataclass(frozen=True)
class PlaceOption:
    """A choice for a guest's place: any bed of a room ("r12") or one bed ("b34"), free for the whole stay.
    `price` is the price per night once the wizard has priced it for a tariff."""

    value: str
    label: str
    group: str
    room_id: int
    bed_id: int | None
    free: int
    room: Room | None = field(default=None, compare=False, repr=False)
    price: Decimal | None = None


def place_options(start: date, end: date, *, ignoring: QuerySet[GuestLine] | None = None) -> list[PlaceOption]:
    """Every room of a sanatorium room type with a place free on each night of [start, end), then its free beds:
    five queries or so, plus one per other app's occupancy."""
    spans = [*other_apps_spans(start, end, None), *booked_spans(start, end, None, ignoring)]
    plans = availability.room_plans(start, end, spans=spans)
    rooms = (Room.objects.filter(pk__in=list(plans), is_active=True, room_type__use=RoomUse.SANATORIUM)
             .select_related("building", "room_type")
             .order_by("room_type__name", "building__code", "floor", "name"))
    beds = {bed.pk: bed for bed in Bed.objects.filter(room_id__in=list(plans), is_active=True)}
    options = []
    for room in rooms:
        plan = plans[room.pk]
        free = plan.min_free_places()
        if free < 1:
            continue
        group = str(room.room_type)
        options.append(PlaceOption(f"r{room.pk}", ngettext("%(room)s · any bed (%(free)d free)",
                                                            "%(room)s · any bed (%(free)d free)", free)
                                   % {"room": room, "free": free}, group, room.pk, None, free, room))
        for bed_id in sorted(plan.free_beds(), key=lambda pk: beds[pk].number if pk in beds else ""):
            if bed_id in beds:
                options.append(PlaceOption(f"b{bed_id}", f"{room} · {beds[bed_id]}", group, room.pk, bed_id, 1,
                                           room))
    return options


def parse_place(value: str) -> tuple[Room, Bed | None] | None:
    """The room (and bed) behind a place value, or None when the value names nothing."""
    value = str(value or "").strip()
    pk = id_from(value[1:])
    if pk is None or value[:1] not in ("r", "b"):
        return None
    if value[0] == "r":
        room = Room.objects.select_related("building", "room_type").filter(pk=pk).first()
        return (room, None) if room is not None else None
    bed = Bed.objects.select_related("room__building", "room__room_type").filter(pk=pk).first()
    return (bed.room, bed) if bed is not None else None


def place_value(room_id: int | None, bed_id: int | None) -> str:
    if bed_id:
        return f"b{bed_id}"
    return f"r{room_id}" if room_id else ""
