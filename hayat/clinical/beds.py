"""Bed assignment steps shared by the episode use cases: lock, check the bed is free, start, end.

Every step runs inside the caller's transaction. The rooms are locked first through facilities'
`lock_for_booking` (ascending ids, the same lock bookings and bed changes take, so no two writers ever
fill one place), then the bed rows; the check that follows sees no concurrent change. The unique open-key
indexes on BedAssignment are the last line of defence and turn a lost race into a clear Conflict.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hayat.clinical.models import AssignmentEnd, BedAssignment, Episode
from hayat.core.errors import Conflict, DomainError
from hayat.core.formats import format_datetime
from hayat.facilities import availability
from hayat.facilities.models import BLOCKING_STATUSES, Bed, Maintenance


class BedTaken(Conflict):
    code = "bed_taken"


def bed_label(bed: Bed) -> str:
    room = bed.room
    return _("bed %(bed)s in room %(room)s") % {"bed": bed.number, "room": room}


def lock_beds(*beds: Bed) -> dict[int, Bed]:
    """Locks the rooms (ascending) and then the beds (ascending); returns the fresh bed rows by id."""
    ids = sorted({bed.pk for bed in beds})
    room_ids = Bed.objects.filter(pk__in=ids).values_list("room_id", flat=True)
    availability.lock_for_booking(list(room_ids))
    # Lock first, then read with joins: PostgreSQL refuses FOR UPDATE across the nullable ward join, and
    # MariaDB has no FOR UPDATE OF to restrict it.
    list(Bed.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    fresh = {bed.pk: bed for bed in Bed.objects.filter(pk__in=ids).select_related("room__ward", "room__building")}
    missing = set(ids) - set(fresh)
    if missing:
        raise DomainError(_("That bed no longer exists."), field="bed")
    return fresh


def ensure_free(bed: Bed, *, at: datetime, leaving: BedAssignment | None = None) -> None:
    """Refuses a bed that cannot take a patient at `at`: out of service, not a hospital bed, occupied by
    another episode, under maintenance, or in a room whose places a sanatorium booking already fills."""
    room = bed.room
    if not bed.is_active or not room.is_active:
        raise DomainError(_("The %(bed)s is out of service.") % {"bed": bed_label(bed)}, field="bed")
    if room.ward_id is None:
        raise DomainError(_("Room %(room)s belongs to no ward, so it takes no hospital patients.")
                          % {"room": room}, field="bed")
    holder = (BedAssignment.objects.filter(open_bed=bed.pk).select_related("episode").first())
    if holder is not None:
        raise BedTaken(_("The %(bed)s is occupied (case %(case)s).")
                       % {"bed": bed_label(bed), "case": holder.episode.case_number}, field="bed")
    # The rest of the day, as the bed picker and the sanatorium's places count it.
    end_of_day = availability.midnight(timezone.localdate(at) + timedelta(days=1))
    blocking = (Maintenance.objects.filter(room=room, status__in=BLOCKING_STATUSES, start__lt=end_of_day, end__gt=at)
                .filter(Q(bed__isnull=True) | Q(bed=bed)).order_by("start").first())
    if blocking is not None:
        raise BedTaken(_("The %(bed)s is closed for %(kind)s from %(start)s until %(end)s.")
                       % {"bed": bed_label(bed), "kind": blocking.get_kind_display().lower(),
                          "start": local_minute(blocking.start), "end": local_minute(blocking.end)}, field="bed")
    ensure_room_has_place(bed, at=at, leaving=leaving)


def local_minute(moment: datetime) -> str:
    """A stored moment as the hospital reads it (stored moments are UTC)."""
    return format_datetime(moment)


def ensure_room_has_place(bed: Bed, *, at: datetime, leaving: BedAssignment | None) -> None:
    """Sanatorium bookings (the other occupancy providers) may hold this bed, or places of its room, today."""
    from hayat.clinical import occupancy

    day = timezone.localdate(at)
    guests_without_bed, other_beds = 0, set()
    for provider in occupancy.other_providers():
        for span in provider(day, day + timedelta(days=1), rooms={bed.room_id}):
            if span.room_id != bed.room_id or not (span.start <= day < span.end):
                continue
            if span.bed_id == bed.pk:
                raise BedTaken(_("The %(bed)s is booked for a stay today.") % {"bed": bed_label(bed)}, field="bed")
            if span.bed_id is None:
                guests_without_bed += span.guests
            else:
                other_beds.add(span.bed_id)
    if not guests_without_bed:
        return
    in_use = BedAssignment.objects.filter(bed__room_id=bed.room_id, ended_at__isnull=True).exclude(
        bed_id__in=other_beds)
    if leaving is not None:
        in_use = in_use.exclude(pk=leaving.pk)
    active_beds = Bed.objects.filter(room_id=bed.room_id, is_active=True).count()
    if in_use.count() + len(other_beds) + guests_without_bed >= active_beds:
        raise BedTaken(_("Room %(room)s has no free place today.") % {"room": bed.room}, field="bed")


def start(*, episode: Episode, bed: Bed, by: Any, at: datetime, note: str = "") -> BedAssignment:
    """Opens an assignment of a locked, checked bed; a lost race on the open keys becomes a Conflict."""
    assignment = BedAssignment(episode=episode, bed=bed, started_at=at, hourly_rate=bed.room.hourly_rate,
                               started_by=by, note=note, open_bed=bed.pk, open_episode=episode.pk,
                               open_patient_id=episode.patient_id)
    try:
        with transaction.atomic():
            assignment.save(force_insert=True)
    except IntegrityError as error:
        if BedAssignment.objects.filter(open_episode=episode.pk).exists():
            raise Conflict(_("Case %(case)s already has a bed.") % {"case": episode.case_number},
                           field="bed") from error
        elsewhere = BedAssignment.objects.filter(open_patient=episode.patient_id).select_related("episode").first()
        if elsewhere is not None:
            raise Conflict(_("The patient already lies in a bed under case %(case)s.")
                           % {"case": elsewhere.episode.case_number}, field="bed") from error
        raise BedTaken(_("The %(bed)s was just taken by another patient.") % {"bed": bed_label(bed)},
                       field="bed") from error
    return assignment


def end(assignment: BedAssignment, *, at: datetime, by: Any, reason: str) -> BedAssignment:
    """Closes an open assignment at `at`: the bed is free from that moment and bed time stops there."""
    if at < assignment.started_at:
        raise DomainError(_("The bed was taken at %(start)s; the end cannot be earlier.")
                          % {"start": local_minute(assignment.started_at)}, field="discharged_at")
    assignment.ended_at = at
    assignment.ended_by = by
    assignment.ended_reason = reason
    assignment.open_bed = None
    assignment.open_episode = None
    assignment.open_patient = None
    assignment.save(update_fields=["ended_at", "ended_by", "ended_reason", "open_bed", "open_episode",
                                   "open_patient"])
    return assignment


def open_assignment(episode: Episode, *, lock: bool = False) -> BedAssignment | None:
    queryset = BedAssignment.objects.filter(open_episode=episode.pk)
    if lock:
        return queryset.select_for_update().first()
    return queryset.select_related("bed__room").first()


TRANSFER = AssignmentEnd.TRANSFER
DISCHARGE = AssignmentEnd.DISCHARGE
