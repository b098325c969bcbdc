"""The medical record of a stay: doctors write the record, diagnoses, first examination and epicrisis; nurses write
the diary with vitals; readings outside their plausible range and writes to a closed history change nothing; every
write leaves an audit event and a history row."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from hayat.clinical.models import IcdCode
from hayat.core.errors import DomainError
from hayat.core.models import AuditEvent
from hayat.stays import checkin, sessions
from hayat.stays.medical import selectors, services
from hayat.stays.medical.services import EpicrisisText, Examination, RecordFields
from hayat.stays.models import DiaryEntry, Epicrisis, FirstExamination, IllnessHistory, IllnessState
from hayat.stays.tests.factories import PatientFactory
from hayat.stays.tests.stay_factories import checked_in, make_service, tariff_with_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes():
    return {code: IcdCode.objects.create(code=code, title=title) for code, title in (
        ("I10", "Essential (primary) hypertension"), ("M54.5", "Low back pain"), ("M51.1", "Lumbar disc disorder"))}


@pytest.fixture
def massage(db):
    return make_service("Massage", "80000")


@pytest.fixture
def history(receptionist, doctor, room, massage, today):
    tariff = tariff_with_sessions("Spine care", sessions={massage: 5}, prices={"Standard": "350000"})
    booking = checked_in(receptionist, doctor, guests=[(PatientFactory(), room, tariff)], start=today, nights=7)
    return IllnessHistory.objects.get(booking=booking)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_the_doctor_sets_the_records_own_fields_and_tags_are_tidied(history, doctor):
    services.update_record(by=doctor, history=history, fields=RecordFields(
        sick_leave=True, profession=" Welder ", occupational_hazards="Fumes, noise", tags="spine,  spine, stress ,",
        notes="Prefers mornings"))
    history.refresh_from_db()
    assert (history.sick_leave, history.profession, history.tags) == (True, "Welder", "spine, stress")
    assert events("illness.record")[-1].changes["profession"] == ["", "Welder"]
    assert history.history.latest().profession == "Welder"


def test_diagnoses_are_icd10_codes_of_the_list_in_use(history, doctor, codes):
    services.set_diagnosis(by=doctor, history=history, which="initial", code="i10")
    services.set_diagnosis(by=doctor, history=history, which="arrival", code="M54.5")
    services.set_diagnosis(by=doctor, history=history, which="final", code="M511")
    history.refresh_from_db()
    assert (history.initial_diagnosis.code, history.arrival_diagnosis.code, history.final_diagnosis.code) == (
        "I10", "M54.5", "M51.1")
    assert events("illness.diagnosis")[-1].changes == {"final_diagnosis": [None, "M51.1"]}
    with pytest.raises(DomainError, match="not a code"):
        services.set_diagnosis(by=doctor, history=history, which="final", code="Z99.9")
    with pytest.raises(DomainError):
        services.set_diagnosis(by=doctor, history=history, which="discharge", code="I10")
    services.set_diagnosis(by=doctor, history=history, which="initial", code="")
    history.refresh_from_db()
    assert history.initial_diagnosis is None and history.final_diagnosis.code == "M51.1"


def test_the_first_examination_opens_the_history_and_is_corrected_with_its_history_kept(history, doctor):
    assert history.state == IllnessState.REGISTRATION
    services.write_examination(by=doctor, history=history, examination=Examination(
        complaints="Back pain", anamnesis="Since 2019", objective_status="Lumbar tenderness"),
        vitals={"systolic": "135", "diastolic": "85", "pulse": "72", "temperature": "36,6", "weight_kg": ""})
    history.refresh_from_db()
    assert history.state == IllnessState.OPEN
    assert history.state_changes.order_by("id").last().reason == "First examination"
    services.write_examination(by=doctor, history=history, examination=Examination(complaints="Back pain, worse"),
                               vitals={"pulse": 80})
    written = FirstExamination.objects.get(illness_history=history)
    assert (written.complaints, written.pulse, written.systolic, written.anamnesis) == (
        "Back pain, worse", 80, None, "")
    assert written.history.count() == 2
    assert events("illness.examination")[-1].changes["pulse"] == [72, 80]


@pytest.mark.parametrize("vitals, field", [
    ({"pulse": "400"}, "pulse"), ({"temperature": "36.66"}, "temperature"), ({"systolic": "80", "diastolic": "90"},
                                                                               "diastolic"),
    ({"oxygen_saturation": "abc"}, "oxygen_saturation")])
def test_readings_outside_their_plausible_range_change_nothing(history, doctor, vitals, field):
    with pytest.raises(DomainError) as refused:
        services.write_examination(by=doctor, history=history, examination=Examination(complaints="Pain"),
                                   vitals=vitals)
    assert refused.value.field == field
    assert not FirstExamination.objects.exists()
    history.refresh_from_db()
    assert history.state == IllnessState.REGISTRATION


def test_nurses_and_doctors_write_the_diary_with_vitals(history, doctor, nurse, today, clock):
    clock.advance(days=2)
    entry = services.add_diary_entry(by=nurse, history=history, day=None, text="Slept well",
                                     vitals={"temperature": "36.8", "pulse": "70"})
    services.add_diary_entry(by=doctor, history=history, day=today, text="Massage tolerated", vitals={})
    assert (entry.day, entry.author, entry.temperature, entry.pulse) == (
        today + timedelta(days=2), nurse, Decimal("36.8"), 70)
    assert [row.author for row in DiaryEntry.objects.filter(illness_history=history)] == [nurse, doctor]
    assert events("illness.diary")[0].actor_id == nurse.pk


def test_a_diary_entry_needs_a_note_or_a_reading_on_a_day_of_the_stay(history, nurse, today):
    with pytest.raises(DomainError, match="note or enter a reading"):
        services.add_diary_entry(by=nurse, history=history, day=today, text="  ", vitals={"pulse": ""})
    with pytest.raises(DomainError, match="still to come"):
        services.add_diary_entry(by=nurse, history=history, day=today + timedelta(days=1), text="x", vitals={})
    with pytest.raises(DomainError, match="stay begins"):
        services.add_diary_entry(by=nurse, history=history, day=today - timedelta(days=1), text="x", vitals={})
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize("write", [
    lambda history, by: services.update_record(by=by, history=history, fields=RecordFields(profession="Nurse")),
    lambda history, by: services.set_diagnosis(by=by, history=history, which="final", code="I10"),
    lambda history, by: services.write_examination(by=by, history=history, examination=Examination("Pain"),
                                                   vitals={}),
    lambda history, by: services.write_epicrisis(by=by, history=history, text=EpicrisisText(course="Better")),
])
def test_nurses_and_the_desk_write_no_more_than_the_diary(history, nurse, receptionist, codes, write):
    for person in (nurse, receptionist):
        with pytest.raises(PermissionDenied):
            write(history, person)
    with pytest.raises(PermissionDenied):
        services.add_diary_entry(by=receptionist, history=history, day=None, text="Hello", vitals={})


def test_the_epicrisis_proposes_the_procedures_received_and_checks_the_sick_leave(history, doctor, nurse, massage,
                                                                                   today):
    booking = history.booking
    sessions.record_session(by=nurse, booking=booking, patient=history.patient, service=massage)
    sessions.record_session(by=nurse, booking=booking, patient=history.patient, service=massage)
    sessions.record_extra_service(by=nurse, booking=booking, patient=history.patient,
                                  service=make_service("Inhalation"))
    assert selectors.procedures_text(history) == "Massage × 2\nInhalation × 1"
    with pytest.raises(DomainError, match="both days"):
        services.write_epicrisis(by=doctor, history=history, text=EpicrisisText(course="Better",
                                                                                sick_leave_from=today))
    with pytest.raises(DomainError, match="ends before"):
        services.write_epicrisis(by=doctor, history=history, text=EpicrisisText(
            course="Better", sick_leave_from=today, sick_leave_to=today - timedelta(days=1)))
    with pytest.raises(DomainError, match="course"):
        services.write_epicrisis(by=doctor, history=history, text=EpicrisisText(course=" "))
    assert not Epicrisis.objects.exists()
    written = services.write_epicrisis(by=doctor, history=history, text=EpicrisisText(
        course="Pain eased", procedures=selectors.procedures_text(history), results="Walks freely",
        recommendations="Swim twice a week", sick_leave_from=today, sick_leave_to=today + timedelta(days=7)))
    assert (written.written_by, written.sick_leave_to) == (doctor, today + timedelta(days=7))
    assert events("illness.epicrisis")[-1].changes["course"] == [None, "Pain eased"]


def test_a_closed_history_is_not_written_any_more(history, doctor, nurse, receptionist, clock):
    booking = history.booking
    clock.advance(days=7)
    checkin.check_out(by=receptionist, booking=booking, note="")
    history.refresh_from_db()
    assert history.state == IllnessState.CLOSED
    with pytest.raises(DomainError, match="closed"):
        services.add_diary_entry(by=nurse, history=history, day=None, text="Late note", vitals={})
    with pytest.raises(DomainError, match="closed"):
        services.write_epicrisis(by=doctor, history=history, text=EpicrisisText(course="Better"))
