"""Prescribing, planning a stay, moving and marking sessions, and the timetable following the stay."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent
from hayat.stays import changes
from hayat.stays import services as stay_services
from hayat.stays.models import ServiceUsage, SessionAllowance, UsageKind
from hayat.stays.tests.factories import make_room
from hayat.stays.tests.stay_factories import tariff_with_sessions
from hayat.treatment import marking, planning, prescriptions, resources
from hayat.treatment.models import PlannedSession, Prescription, SessionStatus
from hayat.treatment.planning import Move
from hayat.treatment.prescriptions import PrescriptionData
from hayat.treatment.tests.factories import guest_in_house, make_cabinet, make_therapist


@pytest.fixture
def house(clock, today, admin_user, receptionist, doctor, nurse, massage, pool):
    cabinet = make_cabinet(admin_user, "Massage 1", [massage], buffer=10)
    pool_room = make_cabinet(admin_user, "Pool", [pool], capacity=10)
    therapist = make_therapist(admin_user, nurse, [massage])
    booking = guest_in_house(receptionist, doctor, start=today, services={massage: 3, pool: 2}, nights=5)
    return booking, cabinet, pool_room, therapist


def guest_of(booking):
    return booking.kept_lines()[0].patient


def test_the_included_sessions_are_proposed_and_planned_into_free_time(house, doctor, receptionist, today):
    booking, cabinet, pool_room, therapist = house
    created = prescriptions.prescribe_included(by=doctor, booking=booking)
    assert sorted((item.service.name, item.count) for item in created) == [("Massage", 3), ("Pool", 2)]
    assert prescriptions.prescribe_included(by=doctor, booking=booking) == []
    report = planning.plan_stay(by=receptionist, booking=booking)
    assert report.placed == 5 and not report.not_placed
    sessions = list(PlannedSession.objects.order_by("day", "starts"))
    massages = [session for session in sessions if session.cabinet_id == cabinet.pk]
    assert [session.day for session in massages] == [today, today + timedelta(days=1), today + timedelta(days=2)]
    assert all(session.therapist_id == therapist.pk for session in massages)
    assert massages[0].starts == time(9, 5)  # the next slot after now
    assert (massages[0].ends, massages[0].held_until) == (time(9, 35), time(9, 45))  # the room's buffer
    assert planning.plan_stay(by=receptionist, booking=booking).placed == 0


def test_what_cannot_be_placed_comes_back_with_its_reason(house, doctor, receptionist, massage):
    booking = house[0]
    prescriptions.prescribe(by=doctor, booking=booking, data=PrescriptionData(
        patient=guest_of(booking), service=massage, count=9, frequency="other"))
    report = planning.plan_stay(by=receptionist, booking=booking)
    assert report.placed == 3
    assert [(item.sessions, item.reason) for item in report.not_placed] == [
        (6, "the stay has too few days for this frequency")]


def test_a_prescription_is_checked_and_only_a_doctor_prescribes(house, doctor, nurse, massage):
    booking = house[0]
    with pytest.raises(DomainError, match="weekdays"):
        prescriptions.prescribe(by=doctor, booking=booking, data=PrescriptionData(
            patient=guest_of(booking), service=massage, count=2, frequency="weekdays"))
    with pytest.raises(DomainError, match="1 to 99"):
        prescriptions.prescribe(by=doctor, booking=booking, data=PrescriptionData(
            patient=guest_of(booking), service=massage, count=0))
    with pytest.raises(PermissionDenied):
        prescriptions.prescribe(by=nurse, booking=booking, data=PrescriptionData(
            patient=guest_of(booking), service=massage, count=2))
    assert not Prescription.objects.exists()


def test_done_consumes_an_included_session_then_bills_beyond_and_marking_twice_changes_nothing(
        house, doctor, receptionist, massage, clock):
    booking = house[0]
    prescriptions.prescribe(by=doctor, booking=booking, data=PrescriptionData(
        patient=guest_of(booking), service=massage, count=5))
    planning.plan_stay(by=receptionist, booking=booking)
    days = list(PlannedSession.objects.order_by("day"))
    for session in days[:4]:
        clock.set(clock.now().replace(day=session.day.day, hour=20))
        marking.mark_session(by=receptionist, session=session, status=SessionStatus.DONE)
        marking.mark_session(by=receptionist, session=session, status=SessionStatus.DONE)
    usages = list(ServiceUsage.objects.filter(booking=booking).order_by("used_on"))
    assert [(usage.kind, usage.billable) for usage in usages] == [(UsageKind.SESSION, False)] * 3 + [
        (UsageKind.SESSION, True)]
    with pytest.raises(Conflict):
        marking.mark_session(by=receptionist, session=days[0], status=SessionStatus.CANCELLED)


def test_a_missed_session_counts_as_used_only_when_the_rule_says_so(house, doctor, receptionist, admin_user,
                                                                     massage):
    booking = house[0]
    prescriptions.prescribe(by=doctor, booking=booking, data=PrescriptionData(
        patient=guest_of(booking), service=massage, count=2))
    planning.plan_stay(by=receptionist, booking=booking)
    first, second = PlannedSession.objects.order_by("day")
    marking.mark_session(by=receptionist, session=first, status=SessionStatus.NO_SHOW)
    assert not ServiceUsage.objects.exists()
    resources.set_rules(by=admin_user, no_show_uses_session=True)
    with pytest.raises(DomainError, match="mark it on the day"):
        marking.mark_session(by=receptionist, session=second, status=SessionStatus.NO_SHOW)


def test_a_move_is_checked_against_the_room_the_guest_and_the_therapist(house, doctor, receptionist, massage,
                                                                         today):
    booking, cabinet, pool_room, therapist = house
    prescriptions.prescribe(by=doctor, booking=booking, data=PrescriptionData(
        patient=guest_of(booking), service=massage, count=1))
    planning.plan_stay(by=receptionist, booking=booking)
    session = PlannedSession.objects.get()
    tomorrow = today + timedelta(days=1)
    moved = planning.move_session(by=receptionist, session=session,
                                  move=Move(cabinet=cabinet, day=tomorrow, starts=time(15, 0)))
    assert (moved.day, moved.starts, moved.ends, moved.held_until) == (tomorrow, time(15, 0), time(15, 30),
                                                                     time(15, 40))
    with pytest.raises(Conflict, match="does not give this procedure"):
        planning.move_session(by=receptionist, session=session,
                              move=Move(cabinet=pool_room, day=tomorrow, starts=time(10, 0)))
    with pytest.raises(Conflict, match="closed then"):
        planning.move_session(by=receptionist, session=session,
                              move=Move(cabinet=cabinet, day=tomorrow, starts=time(17, 50)))
    session.refresh_from_db()
    assert (session.day, session.starts) == (tomorrow, time(15, 0))


def test_a_shorter_stay_plans_its_sessions_again_and_a_cancelled_one_keeps_none(house, doctor, receptionist,
                                                                                 massage, today):
    booking = house[0]
    prescriptions.prescribe(by=doctor, booking=booking, data=PrescriptionData(
        patient=guest_of(booking), service=massage, count=2, frequency="other"))
    planning.plan_stay(by=receptionist, booking=booking)
    assert sorted(PlannedSession.objects.values_list("day", flat=True)) == [today, today + timedelta(days=2)]
    stay_services.change_dates(by=receptionist, booking=booking, start_date=today,
                               end_date=today + timedelta(days=2), reason="leaves sooner")
    live = PlannedSession.objects.filter(status=SessionStatus.PLANNED)
    assert list(live.values_list("day", flat=True)) == [today]
    assert PlannedSession.objects.filter(status=SessionStatus.CANCELLED).count() == 1


def test_a_new_tariff_adds_its_sessions_and_keeps_those_beyond_it_prescribed(house, doctor, receptionist, massage,
                                                                             pool, today):
    booking = house[0]
    prescriptions.prescribe_included(by=doctor, booking=booking)
    planning.plan_stay(by=receptionist, booking=booking)
    line = booking.kept_lines()[0]
    richer = tariff_with_sessions("Massage course", sessions={massage: 5})
    changes.change_mid_stay(by=receptionist, line=line, from_date=today + timedelta(days=1), tariff=richer)
    live = {item.service.name: item.count for item in Prescription.objects.filter(cancelled_at__isnull=True)}
    included = SessionAllowance.objects.get(service=massage).included
    assert live == {"Massage": max(3, included), "Pool": 2}  # the pool beyond the tariff stays, billed
    held = PlannedSession.objects.filter(status=SessionStatus.PLANNED)
    assert held.filter(service=massage).count() == max(3, included)
    assert held.filter(service=pool).count() == 2
    followed = AuditEvent.objects.filter(action="booking.treatment_followed").latest("id")
    assert (" planned" in followed.note) == (included > 3)


def test_a_tariff_change_proposes_nothing_the_doctor_has_not_taken_from_the_tariff(house, doctor, receptionist,
                                                                                    massage, pool, today):
    booking = house[0]
    prescriptions.prescribe(by=doctor, booking=booking, data=PrescriptionData(
        patient=guest_of(booking), service=pool, count=1))
    richer = tariff_with_sessions("Massage course", sessions={massage: 5})
    changes.change_mid_stay(by=receptionist, line=booking.kept_lines()[0], from_date=today + timedelta(days=1),
                            tariff=richer)
    assert list(Prescription.objects.values_list("service__name", "count")) == [("Pool", 1)]


def test_a_room_change_keeps_the_times_and_plans_what_was_prescribed_since(house, doctor, receptionist, massage,
                                                                          pool, today):
    booking = house[0]
    prescriptions.prescribe(by=doctor, booking=booking, data=PrescriptionData(
        patient=guest_of(booking), service=massage, count=2))
    planning.plan_stay(by=receptionist, booking=booking)
    before = set(PlannedSession.objects.values_list("pk", "day", "starts"))
    prescriptions.prescribe(by=doctor, booking=booking, data=PrescriptionData(
        patient=guest_of(booking), service=pool, count=2))
    changes.change_mid_stay(by=receptionist, line=booking.kept_lines()[0], from_date=today + timedelta(days=2),
                            room=make_room("102"))
    assert before <= set(PlannedSession.objects.values_list("pk", "day", "starts"))
    assert PlannedSession.objects.filter(service=pool, status=SessionStatus.PLANNED).count() == 2
    followed = AuditEvent.objects.filter(action="booking.treatment_followed").latest("id")
    assert followed.note.count("Pool") == 2 and "planned" in followed.note


def test_what_moved_pairs_each_cancelled_session_with_its_new_time(house, doctor, receptionist, massage, today):
    booking, cabinet = house[0], house[1]
    prescriptions.prescribe(by=doctor, booking=booking, data=PrescriptionData(
        patient=guest_of(booking), service=massage, count=1))
    planning.plan_stay(by=receptionist, booking=booking)
    planning.move_session(by=receptionist, session=PlannedSession.objects.get(),
                          move=Move(cabinet=cabinet, day=today + timedelta(days=4), starts=time(10, 0)))
    report = stay_services.change_dates(by=receptionist, booking=booking, start_date=today,
                                        end_date=today + timedelta(days=3), reason="leaves sooner")
    assert report.end_date == today + timedelta(days=3)
    moved = AuditEvent.objects.get(action="booking.treatment_followed").note
    assert moved == "Massage Wed 25 Nov 10:00 → Sat 21 Nov 09:05"


def test_the_whole_house_is_planned_in_one_pass_and_only_by_the_desk(house, doctor, receptionist, massage, pool,
                                                                     today, client_as):
    first = house[0]
    second = guest_in_house(receptionist, doctor, start=today, services={massage: 2}, room_name="102")
    for booking in (first, second):
        prescriptions.prescribe_included(by=doctor, booking=booking)
    with pytest.raises(PermissionDenied):
        planning.plan_house(by=doctor)
    page = client_as(receptionist).post(reverse("treatment:plan_house"), follow=True).content.decode()
    assert "7 sessions planned in 2 stays; 0 could not be placed." in page
    assert PlannedSession.objects.filter(booking=second).count() == 2
    assert planning.plan_house(by=receptionist)[1].placed == 0
