"""Planning a stay's prescribed sessions, moving one, and following the stay when its dates change.

Every use case that places a session locks the booking, then the cabinets, then the therapists (each by key, in that
order, so two of them never wait on each other crosswise), loads the timetable of the days concerned
(`timetable.load`, constant queries) and asks the planner; two receptionists taking the last place of a pool are
served one after the other and the second is refused.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hayat.core import audit, clock, notices, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.formats import format_date, format_time
from hayat.core.transactions import retrying_atomic
from hayat.stays.models import FINISHED, Booking, GuestLine
from hayat.stays.services import locked
from hayat.treatment import planner, prescriptions, selectors, timetable
from hayat.treatment.models import (
    HOLDING,
    Cabinet,
    PlannedSession,
    Prescription,
    SessionStatus,
    Therapist,
)
from hayat.treatment.prescriptions import check_open

PLAN = "treatment.plan"


def reason_text(code: str) -> str:
    return {
        planner.NO_CABINET: _("no treatment room gives this procedure"),
        planner.NO_THERAPIST: _("the procedure needs a therapist"),
        planner.TOO_SHORT: _("the stay has too few days for this frequency"),
        planner.NO_TIME: _("no free time left on the days its frequency allows"),
        planner.CLOSED: _("the hospital gives no procedures then (quiet hours or a meal)"),
        planner.CABINET_CLOSED: _("the treatment room is closed then"),
        planner.CABINET_FULL: _("the treatment room has no place left then"),
        planner.WRONG_CABINET: _("the treatment room does not give this procedure"),
        planner.THERAPIST_AWAY: _("the therapist does not work then"),
        planner.THERAPIST_BUSY: _("the therapist is busy then"),
        planner.WRONG_THERAPIST: _("the therapist does not give this procedure"),
        planner.GUEST_BUSY: _("the guest has another procedure then"),
    }[code]


@dataclass(frozen=True)
class NotPlaced:
    prescription: Prescription
    sessions: int
    reason: str


@dataclass
class PlanReport:
    placed: int = 0
    not_placed: list[NotPlaced] = field(default_factory=list)
    cancelled: list[PlannedSession] = field(default_factory=list)
    sessions: list[PlannedSession] = field(default_factory=list)  # the ones placed


def lock_resources() -> None:
    """Locks every active cabinet, then every active therapist, by key (planning may use any of them)."""
    list(Cabinet.objects.filter(is_active=True).order_by("pk").select_for_update().values_list("pk", flat=True))
    list(Therapist.objects.filter(is_active=True).order_by("pk").select_for_update().values_list("pk", flat=True))


def stay_days(lines: list[GuestLine]) -> dict[int, tuple[date, date]]:
    """{patient id: (first day, last day)} of treatment: from arrival to the last night."""
    days: dict[int, tuple[date, date]] = {}
    for line in lines:
        first, last = days.get(line.patient_id, (line.start_date, line.end_date - timedelta(days=1)))
        days[line.patient_id] = (min(first, line.start_date), max(last, line.end_date - timedelta(days=1)))
    return days


def needs_of(bookings: list[Booking], today: date) -> tuple[list[planner.Need], dict[int, Prescription]]:
    """What each live prescription of the bookings (lines loaded) still lacks, within its guest's stay from today:
    two queries."""
    days = {(booking.pk, patient_id): span for booking in bookings
            for patient_id, span in stay_days(booking.kept_lines()).items()}
    taken, holding = defaultdict(set), Counter()
    for prescription_id, day in PlannedSession.objects.filter(booking__in=bookings, status__in=HOLDING).values_list(
            "prescription_id", "day"):
        taken[prescription_id].add(day)
        holding[prescription_id] += 1
    prescriptions = {prescription.pk: prescription for prescription in (
        Prescription.objects.filter(booking__in=bookings, cancelled_at__isnull=True)
        .select_related("service", "patient"))}
    needs = []
    for prescription in prescriptions.values():
        first, last = days.get((prescription.booking_id, prescription.patient_id), (None, None))
        left = prescription.count - holding[prescription.pk]
        if first is None or left <= 0:
            continue
        needs.append(planner.Need(prescription.pk, prescription.patient_id, prescription.service_id,
                                  prescription.service.duration_minutes, left, max(first, today), last,
                                  prescription.frequency, tuple(prescription.weekday_numbers),
                                  prescription.day_part, frozenset(taken[prescription.pk])))
    return needs, prescriptions


def now_slot() -> tuple[date, int]:
    moment = timezone.localtime(clock.now())
    return moment.date(), planner.slot_of(moment.time()) + 1


def session_row(prescription: Prescription, placed: planner.Placed) -> PlannedSession:
    return PlannedSession(prescription=prescription, booking_id=prescription.booking_id, patient_id=placed.patient_id,
                          service_id=prescription.service_id, cabinet_id=placed.cabinet_id,
                          therapist_id=placed.therapist_id, day=placed.day, starts=planner.time_of(placed.start),
                          ends=planner.time_of(placed.end), held_until=planner.time_of(placed.held))


def place_missing(*bookings: Booking) -> PlanReport:
    """Plans what the live prescriptions of the bookings (locked) lack, from now on; bulk-inserts the sessions."""
    today, slot = now_slot()
    needs, prescriptions = needs_of(list(bookings), today)
    report = PlanReport()
    if not needs:
        return report
    lock_resources()
    last = max(need.last_day for need in needs)
    plan = planner.plan(needs, timetable.load(today, last), earliest=(today, slot))
    report.sessions = PlannedSession.objects.bulk_create([
        session_row(prescriptions[placement.key], placement.placed) for placement in plan.placements])
    report.placed = len(plan.placements)
    report.not_placed = [NotPlaced(prescriptions[item.key], item.sessions, reason_text(item.reason))
                         for item in plan.unplaced]
    return report


@retrying_atomic
def plan_stay(*, by, booking: Booking) -> PlanReport:
    """The one action: every prescribed session of the stay not yet placed goes to the first free fitting time."""
    policy.ensure(by, PLAN)
    booking = locked(booking)
    check_open(booking)
    report = place_missing(booking)
    audit.record("booking.treatment_planned", by=by, obj=booking,
                 changes={"sessions_placed": [None, report.placed],
                          "sessions_not_placed": [None, sum(item.sessions for item in report.not_placed)]})
    return report


@retrying_atomic
def plan_house(*, by) -> tuple[int, PlanReport]:
    """Plans every stay not over whose live prescriptions lack sessions, in one pass over the timetable: the
    bookings are locked in key order, then the resources, as for one stay. Returns the stays and the report."""
    policy.ensure(by, PLAN)
    today = clock.today()
    keys = list(Booking.objects.filter(end_date__gt=today, prescriptions__cancelled_at__isnull=True)
                .exclude(status__in=FINISHED).order_by("pk").values_list("pk", flat=True).distinct())
    bookings = list(Booking.objects.filter(pk__in=keys).order_by("pk").select_for_update()
                    .prefetch_related("lines"))
    report = place_missing(*bookings)
    audit.record("treatment.house_planned", by=by,
                 changes={"stays": [None, len(bookings)], "sessions_placed": [None, report.placed],
                          "sessions_not_placed": [None, sum(item.sessions for item in report.not_placed)]})
    return len(bookings), report


# --- moving one session ------------------------------------------------------------------------------------------


@dataclass
class Move:
    cabinet: Cabinet
    day: date
    starts: object  # datetime.time
    therapist: Therapist | None = None


def lock_move(session: PlannedSession, move: Move) -> None:
    """The booking, the target room and the therapist the session will have, in the order of every use case."""
    locked(session.booking)
    list(Cabinet.objects.select_for_update().filter(pk=move.cabinet.pk).values_list("pk", flat=True))
    therapist_id = move.therapist.pk if move.therapist is not None else session.therapist_id
    list(Therapist.objects.select_for_update().filter(pk=therapist_id).values_list("pk", flat=True))


def check_movable(session: PlannedSession, move: Move) -> None:
    if session.status != SessionStatus.PLANNED:
        raise Conflict(_("Only a planned session moves; this one is %(status)s.")
                       % {"status": session.get_status_display()}, code="not_planned")
    today, slot = now_slot()
    if (move.day, planner.slot_of(move.starts)) < (today, slot):
        raise DomainError(_("A session moves to a time still to come."), field="starts")
    if not any(line.patient_id == session.patient_id and line.start_date <= move.day < line.end_date
               for line in session.booking.kept_lines()):
        raise DomainError(_("%(patient)s does not stay on %(day)s.")
                          % {"patient": session.patient, "day": format_date(move.day)}, field="day")


def locked_session(session: PlannedSession, *related: str) -> PlannedSession:
    """Locks the session's row alone (joined rows are not locked: MariaDB cannot say FOR UPDATE OF), then reads it
    with its related rows."""
    PlannedSession.objects.select_for_update().filter(pk=session.pk).values_list("pk", flat=True).first()
    return PlannedSession.objects.select_related(*related).get(pk=session.pk)


@retrying_atomic
def move_session(*, by, session: PlannedSession, move: Move) -> PlannedSession:
    """Moves a planned session to another room, therapist, day or time, when every rule allows it there."""
    policy.ensure(by, PLAN)
    lock_move(session, move)
    session = locked_session(session, "service", "patient", "booking")
    check_movable(session, move)
    therapist = move.therapist or session.therapist
    table = timetable.load(move.day, move.day, leaving_out=session.pk)
    start = planner.slot_of(move.starts)
    cabinet = table.cabinets.get(move.cabinet.pk)
    held = planner.slots_for(session.service.duration_minutes + (cabinet.buffer_minutes if cabinet else 0))
    placed = planner.Placed(session.patient_id, move.cabinet.pk, therapist.pk if therapist else None, move.day,
                            start, start + planner.slots_for(session.service.duration_minutes), start + held)
    needs_therapist = any(session.service_id in item.services for item in table.therapists.values())
    refusal = table.refusal(session=placed, service_id=session.service_id, needs_therapist=needs_therapist)
    if refusal is not None:
        raise Conflict(_("%(service)s cannot move to %(cabinet)s at %(time)s: %(reason)s.")
                       % {"service": session.service, "cabinet": move.cabinet, "time": move.starts.strftime("%H:%M"),
                          "reason": reason_text(refusal)}, code=refusal)
    before = f"{session.cabinet_id} {session.therapist_id} {session.day} {session.starts:%H:%M}"
    session.cabinet, session.therapist, session.day = move.cabinet, therapist, move.day
    session.starts, session.ends = planner.time_of(placed.start), planner.time_of(placed.end)
    session.held_until = planner.time_of(placed.held)
    session._history_user = by
    session.save(update_fields=["cabinet", "therapist", "day", "starts", "ends", "held_until"])
    audit.record("treatment_session.move", by=by, obj=session.booking, patient_id=session.patient_id,
                 changes={"session": [before, f"{session.cabinet_id} {session.therapist_id} {session.day} "
                                              f"{session.starts:%H:%M}"]})
    return session


# --- following the stay --------------------------------------------------------------------------------------------


def cancel_future(booking: Booking, *, by, outside_stay_only: bool) -> list[PlannedSession]:
    """Cancels the planned sessions still to come (only those now outside their guest's stay, if asked)."""
    today, slot = now_slot()
    future = (PlannedSession.objects.filter(booking=booking, status=SessionStatus.PLANNED)
              .filter(Q(day__gt=today) | Q(day=today, starts__gte=planner.time_of(slot)))
              .select_related("service", "patient", "cabinet"))
    days = stay_days(booking.kept_lines())
    dropped = [session for session in future if not outside_stay_only
               or not (days.get(session.patient_id, (date.max, date.min))[0] <= session.day
                       <= days.get(session.patient_id, (date.max, date.min))[1])]
    if dropped:
        PlannedSession.objects.filter(pk__in=[session.pk for session in dropped]).update(
            status=SessionStatus.CANCELLED, marked_at=clock.now(), marked_by=by)
    return dropped


def follow_stay(booking: Booking, *, by, ended: bool) -> PlanReport | None:
    """After a change of the stay: sessions it no longer covers are cancelled (every one still to come when the
    stay ended or was cancelled) and planned again within the stay; what moved is told."""
    dropped = cancel_future(booking, by=by, outside_stay_only=not ended)
    if not dropped:
        return None
    report = PlanReport() if ended else place_missing(booking)
    report.cancelled = dropped
    tell_moved(booking, report, by=by)
    return report


def follow_guest(booking: Booking, *, patient_id: int, tariff_changed: bool, by) -> PlanReport | None:
    """After a guest's room or tariff changed: the proposed prescriptions follow a new tariff and, once the stay
    was planned, what the live prescriptions lack is planned too. Sessions already placed keep their time: nothing
    in the timetable depends on the guest's room, and a tariff only adds sessions (docs/adr/0016)."""
    if booking.status in FINISHED:
        return None
    followed = prescriptions.follow_tariff(booking, patient_id, by=by) if tariff_changed else []
    planned = PlannedSession.objects.filter(booking=booking, status__in=HOLDING).exists()
    report = place_missing(booking) if planned else PlanReport()
    if followed or report.placed or report.not_placed:
        tell_moved(booking, report, by=by)
    return report


def tell_moved(booking: Booking, report: PlanReport, *, by) -> None:
    """Writes what moved as the booking's audit note and tells it to the person who changed the stay."""
    note = moved_note(report)
    audit.record(selectors.FOLLOWED, by=by, obj=booking, note=note,
                 changes={"sessions_cancelled": [None, len(report.cancelled)],
                          "sessions_placed": [None, report.placed]})
    notices.tell(_("Treatment followed the change: %(moved)s") % {"moved": note})


def when(session: PlannedSession) -> str:
    return f"{format_date(session.day, style='weekday_short')} {format_time(session.starts)}"


def moved_lines(report: PlanReport) -> list[str]:
    """"Massage Tue 10:00 → Wed 11:30" for a session cancelled and placed again (paired by prescription, in time
    order), then those only cancelled, only placed, and what could not be placed with its reason."""
    placed = defaultdict(list)
    for session in sorted(report.sessions, key=lambda session: (session.day, session.starts)):
        placed[session.prescription_id].append(session)
    lines, several = [], len({session.patient_id for session in [*report.cancelled, *report.sessions]}) > 1
    for session in sorted(report.cancelled, key=lambda session: (session.day, session.starts)):
        again = placed[session.prescription_id].pop(0) if placed[session.prescription_id] else None
        text = (_("%(service)s %(from)s → %(to)s") % {"service": session.service, "from": when(session),
                                                      "to": when(again)} if again else
                _("%(service)s %(when)s cancelled") % {"service": session.service, "when": when(session)})
        lines.append(f"{session.patient.full_name}: {text}" if several else text)
    for session in [session for sessions in placed.values() for session in sessions]:
        text = _("%(service)s %(when)s planned") % {"service": session.prescription.service, "when": when(session)}
        lines.append(f"{session.prescription.patient.full_name}: {text}" if several else text)
    lines.extend(_("%(service)s × %(count)d not placed: %(reason)s")
                 % {"service": item.prescription.service, "count": item.sessions, "reason": item.reason}
                 for item in report.not_placed)
    return lines


def moved_note(report: PlanReport) -> str:
    return ("; ".join(moved_lines(report)) or _("nothing moved"))[:1000]
