"""The medical record on the illness history page and its form pages, and the same through the API: the care team
reads it (the desk sees the history without it), every read is access-logged, bad input gets a clear answer and
changes nothing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hayat.clinical.models import IcdCode
from hayat.core.models import AccessLogEntry
from hayat.stays import sessions
from hayat.stays.medical import services
from hayat.stays.models import DiaryEntry, Epicrisis, IllnessHistory, IllnessState, SessionAllowance
from hayat.stays.tests.factories import PatientFactory
from hayat.stays.tests.stay_factories import checked_in, make_service, tariff_with_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(receptionist, doctor, room, today):
    IcdCode.objects.create(code="M54.5", title="Low back pain")
    massage = make_service("Massage", "80000")
    tariff = tariff_with_sessions("Spine care", sessions={massage: 5}, prices={"Standard": "350000"})
    booking = checked_in(receptionist, doctor, guests=[(PatientFactory(last_name="Rahimova"), room, tariff)],
                         start=today, nights=7)
    return IllnessHistory.objects.get(booking=booking)


def last_access_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def url(name: str, history) -> str:
    return reverse(name, kwargs={"pk": history.pk})


def test_the_doctor_writes_the_record_through_its_pages(client_as, history, doctor):
    client = client_as(doctor)
    answer = client.post(url("stays:record_examination", history), {
        "complaints": "Lower back pain", "anamnesis": "Since 2019", "objective_status": "Tender L4-L5",
        "systolic": "135", "diastolic": "85", "pulse": "72"})
    assert answer.status_code == 302 and answer.url == history.get_absolute_url()
    client.post(url("stays:record_diagnosis", history), {"which": "arrival", "code": "M54.5"})
    client.post(url("stays:record_edit", history), {"profession": "Welder", "tags": "spine", "sick_leave": "on"})
    page = client.get(history.get_absolute_url()).content.decode()
    for shown in ("Lower back pain", "Tender L4-L5", "135/85", "M54.5", "Low back pain", "Welder", "spine"):
        assert shown in page
    history.refresh_from_db()
    assert history.state == IllnessState.OPEN and history.sick_leave


def test_a_reading_out_of_range_is_shown_next_to_its_field_and_nothing_is_saved(client_as, history, doctor):
    answer = client_as(doctor).post(url("stays:record_examination", history), {"complaints": "Pain", "pulse": "400"})
    assert answer.status_code == 200
    assert "Pulse 400 /min is outside 20–300 /min" in answer.content.decode()
    assert not hasattr(IllnessHistory.objects.get(pk=history.pk), "examination")


def test_the_epicrisis_form_proposes_the_procedures_received(client_as, history, doctor, nurse, today):
    massage = SessionAllowance.objects.get(booking=history.booking).service
    sessions.record_session(by=nurse, booking=history.booking, patient=history.patient, service=massage)
    page = client_as(doctor).get(url("stays:record_epicrisis", history)).content.decode()
    assert "Massage × 1" in page
    client_as(doctor).post(url("stays:record_epicrisis", history), {
        "course": "Pain eased", "procedures": "Massage × 1", "sick_leave_from": today.isoformat(),
        "sick_leave_to": (today + timedelta(days=3)).isoformat()})
    assert Epicrisis.objects.get(illness_history=history).course == "Pain eased"


def test_a_nurse_writes_the_diary_but_not_the_examination(client_as, history, nurse):
    client = client_as(nurse)
    assert client.get(url("stays:record_examination", history)).status_code == 403
    page = client.get(history.get_absolute_url()).content.decode()
    assert 'id="add-diary-entry"' in page and 'id="write-examination"' not in page
    client.post(url("stays:record_diary", history), {"text": "Slept well", "temperature": "36.7"})
    assert DiaryEntry.objects.get(illness_history=history).author == nurse
    assert "Slept well" in client.get(history.get_absolute_url()).content.decode()


def test_the_desk_sees_the_history_without_its_medical_record(client_as, history, receptionist):
    page = client_as(receptionist).get(history.get_absolute_url()).content.decode()
    assert history.number in page and 'id="medical-record"' not in page


def test_every_read_of_the_record_is_access_logged(client_as, api_as, history, doctor):
    before = last_access_id()
    client_as(doctor).get(url("stays:record_epicrisis", history))
    api_as(doctor).get(url("medical-record", history))
    logged = AccessLogEntry.objects.filter(id__gt=before)
    assert sorted(logged.values_list("what", flat=True)) == ["medical record", "medical record (API)"]
    assert set(logged.values_list("patient_id", flat=True)) == {history.patient_id}


def test_the_api_writes_and_reads_the_whole_record(api_as, history, doctor, nurse, today):
    api = api_as(doctor)
    assert api.post(url("medical-record-examination", history), {
        "complaints": "Back pain", "systolic": 130, "diastolic": 80, "temperature": "36.6"},
        format="json").status_code == 200
    assert api.post(url("medical-record-diagnosis", history), {"which": "final", "code": "m545"},
                    format="json").status_code == 200
    assert api.post(url("medical-record", history), {"profession": "Teacher", "sick_leave": True},
                    format="json").status_code == 200
    entry = api_as(nurse).post(url("medical-record-diary", history), {"text": "Calm", "pulse": 68}, format="json")
    assert entry.status_code == 201 and entry.json()["author"] == nurse.pk
    answer = api.post(url("medical-record-epicrisis", history), {
        "course": "Better", "sick_leave_from": today.isoformat(), "sick_leave_to": today.isoformat()}, format="json")
    record = answer.json()
    assert record["final_diagnosis"] == {"code": "M54.5", "title": "Low back pain"}
    assert record["examination"]["systolic"] == 130 and record["profession"] == "Teacher"
    assert [row["text"] for row in record["diary"]] == ["Calm"]
    assert record["epicrisis"]["course"] == "Better" and record["state"] == IllnessState.OPEN


def test_the_api_refuses_bad_input_with_the_field_named(api_as, history, doctor, nurse):
    refused = api_as(doctor).post(url("medical-record-examination", history),
                                  {"complaints": "Pain", "pulse": 400}, format="json")
    assert refused.status_code == 400 and "pulse" in str(refused.json())
    refused = api_as(doctor).post(url("medical-record-diagnosis", history), {"which": "final", "code": "Q00"},
                                  format="json")
    assert refused.status_code == 400 and "not a code" in refused.json()["detail"]
    assert api_as(nurse).post(url("medical-record-epicrisis", history), {"course": "x"},
                              format="json").status_code == 403
    empty = api_as(doctor).get(url("medical-record", history)).json()
    assert (empty["examination"], empty["epicrisis"], empty["final_diagnosis"]) == (None, None, None)


def test_the_history_page_costs_the_same_queries_with_more_diary_entries(client_as, history, doctor, nurse):
    client = client_as(doctor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(history.get_absolute_url()).status_code == 200
        return len(captured)

    services.add_diary_entry(by=nurse, history=history, day=None, text="First", vitals={"pulse": "70"})
    one = queries()
    for number in range(6):
        services.add_diary_entry(by=nurse, history=history, day=None, text=f"Note {number}", vitals={})
    assert queries() == one
