"""Check-in: every confirmation and a doctor, one illness history per guest; check-out closes them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hayat.core.errors import Conflict, DomainError
from hayat.core.lifecycle import IllegalTransition
from hayat.core.models import AuditEvent
from hayat.stays import changes, checkin, illness, services, sessions
from hayat.stays.checkin import Arrival
from hayat.stays.models import BookingStatus, CheckIn, IllnessHistory, IllnessState, RoomCondition
from hayat.stays.operation_forms import ARRIVAL_FIELDS
from hayat.stays.services import GuestChoice
from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff
from hayat.stays.tests.stay_factories import checked_in, confirmations, make_service, tariff_with_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(receptionist, room, tariff, patients, today):
    return book(receptionist, guests=[(patients[0], room, tariff), (patients[1], room, tariff)], start=today)


def test_check_in_registers_one_illness_history_per_guest(booking, receptionist, doctor, nurse, patients):
    data = confirmations(doctor, nurses=[nurse], room_condition=RoomCondition.REMARKS, room_notes="Tap drips",
                         arrivals=[Arrival(patients[0].pk, complaints="Back pain", systolic=130, diastolic=85,
                                           pulse=72, temperature=Decimal("36.6"))])
    checkin.check_in(by=receptionist, booking=booking, data=data)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    assert CheckIn.objects.get(booking=booking).room_notes == "Tap drips"
    histories = {history.patient_id: history for history in IllnessHistory.objects.filter(booking=booking)}
    assert set(histories) == {patients[0].pk, patients[1].pk}
    first = histories[patients[0].pk]
    assert (first.state, first.doctor, first.complaints, first.systolic, first.pulse) == (
        IllnessState.REGISTRATION, doctor, "Back pain", 130, 72)
    assert list(first.nurses.all()) == [nurse]
    assert first.number.startswith("IH-2026-")
    assert histories[patients[1].pk].complaints == "" and histories[patients[1].pk].systolic is None
    assert AuditEvent.objects.filter(action="booking.check_in", object_id=str(booking.pk)).count() == 1
    assert booking.status_changes.last().to_status == BookingStatus.CHECKED_IN


@pytest.mark.parametrize(("missing", "message"), [
    ("identity_checked", "identity documents"), ("rules_explained", "house rules"), ("consent_signed", "consent"),
])
def test_check_in_needs_every_confirmation(booking, receptionist, doctor, missing, message):
    with pytest.raises(DomainError, match=message):
        checkin.check_in(by=receptionist, booking=booking, data=confirmations(doctor, **{missing: False}))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert not IllnessHistory.objects.exists() and not CheckIn.objects.exists()


def test_check_in_needs_a_doctor_and_remarks_when_the_room_has_some(booking, receptionist, doctor, nurse):
    with pytest.raises(DomainError, match="active doctor"):
        checkin.check_in(by=receptionist, booking=booking, data=confirmations(nurse))
    with pytest.raises(DomainError, match="remarks"):
        checkin.check_in(by=receptionist, booking=booking,
                         data=confirmations(doctor, room_condition=RoomCondition.REMARKS))
    with pytest.raises(DomainError, match="not an active nurse"):
        checkin.check_in(by=receptionist, booking=booking, data=confirmations(doctor, nurses=[doctor]))
    assert not IllnessHistory.objects.exists()


def test_vitals_out_of_range_are_refused_and_nothing_is_written(booking, receptionist, doctor, patients):
    for arrival, message in ((Arrival(patients[0].pk, pulse=400), "Pulse must be between"),
                             (Arrival(patients[0].pk, temperature=Decimal("48.0")), "Temperature"),
                             (Arrival(patients[0].pk, systolic=120), "both blood pressure")):
        with pytest.raises(DomainError, match=message):
            checkin.check_in(by=receptionist, booking=booking, data=confirmations(doctor, arrivals=[arrival]))
    assert not IllnessHistory.objects.exists()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_check_in_only_on_the_stay_days_and_only_once(receptionist, doctor, room, tariff, patients, today, clock):
    early = book(receptionist, guests=[(patients[2], room, tariff)], start=today + timedelta(days=2), nights=2)
    with pytest.raises(Conflict, match="can check in from that day"):
        checkin.check_in(by=receptionist, booking=early, data=confirmations(doctor))
    clock.advance(days=2)
    checkin.check_in(by=receptionist, booking=early, data=confirmations(doctor))
    with pytest.raises(IllegalTransition):
        checkin.check_in(by=receptionist, booking=early, data=confirmations(doctor))
    assert IllnessHistory.objects.filter(booking=early).count() == 1


def test_pending_bookings_and_nurses_cannot_check_in(booking, receptionist, nurse, doctor, room, tariff, patients,
                                                     today):
    pending = book(receptionist, guests=[(patients[3], make_room("102"), tariff)], start=today,
                   status=BookingStatus.PENDING)
    with pytest.raises(IllegalTransition):
        checkin.check_in(by=receptionist, booking=pending, data=confirmations(doctor))
    with pytest.raises(PermissionDenied):
        checkin.check_in(by=nurse, booking=booking, data=confirmations(doctor))


def test_check_out_on_the_planned_departure_closes_the_histories_and_completes_the_stay(booking, receptionist, doctor,
                                                                                        clock):
    checkin.check_in(by=receptionist, booking=booking, data=confirmations(doctor))
    first = IllnessHistory.objects.filter(booking=booking).first()
    illness.change_state(by=doctor, history=first, to=IllnessState.OPEN)
    clock.advance(days=booking.nights)
    checkin.check_out(by=receptionist, booking=booking, note="Went home well")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    histories = IllnessHistory.objects.filter(booking=booking)
    assert {history.state for history in histories} == {IllnessState.CLOSED}
    assert all(history.closed_at is not None for history in histories)
    assert [change.to_status for change in first.state_changes.all()] == ["registration", "open", "closed"]
    with pytest.raises(Conflict, match="Only guests in the house"):
        checkin.check_out(by=receptionist, booking=booking)


def test_the_care_team_opens_a_history_but_only_check_out_closes_it(receptionist, doctor, nurse, room, tariff,
                                                                     patients, today):
    booking = checked_in(receptionist, doctor, guests=[(patients[0], room, tariff)], start=today)
    history = IllnessHistory.objects.get(booking=booking)
    with pytest.raises(PermissionDenied):
        illness.change_state(by=receptionist, history=history, to=IllnessState.OPEN)
    with pytest.raises(DomainError, match="checking the guest out"):
        illness.change_state(by=doctor, history=history, to=IllnessState.CLOSED)
    illness.change_state(by=nurse, history=history, to=IllnessState.OPEN)
    history.refresh_from_db()
    assert history.state == IllnessState.OPEN and history.opened_at is not None
    with pytest.raises(IllegalTransition):
        illness.change_state(by=doctor, history=history, to=IllnessState.OPEN)


def test_the_care_team_can_change_until_the_history_closes(receptionist, doctor, nurse, make_user, room, tariff,
                                                            patients, today):
    booking = checked_in(receptionist, doctor, guests=[(patients[0], room, tariff)], start=today)
    history = IllnessHistory.objects.get(booking=booking)
    other = make_user("doctor", user_id="doc2", full_name="Dr. Other")
    illness.assign_care_team(by=doctor, history=history, doctor=other, nurses=[nurse])
    history.refresh_from_db()
    assert history.doctor == other and list(history.nurses.all()) == [nurse]
    with pytest.raises(DomainError, match="active doctor"):
        illness.assign_care_team(by=doctor, history=history, doctor=nurse, nurses=[])
    checkin.check_out(by=receptionist, booking=booking, note="Called home")
    with pytest.raises(DomainError, match="is closed"):
        illness.assign_care_team(by=doctor, history=history, doctor=doctor, nurses=[])


def test_a_guest_added_in_the_house_gets_an_illness_history_and_the_tariffs_sessions(receptionist, doctor, room,
                                                                                     patients, today, clock):
    massage = make_service("Massage", "80000")
    spa = tariff_with_sessions("Spine care", sessions={massage: 2})
    stay = checked_in(receptionist, doctor, guests=[(patients[0], room, spa)], start=today)
    clock.advance(days=1)
    services.add_guest(by=receptionist, booking=stay, guest=GuestChoice(patients[1], room, spa))
    added = IllnessHistory.objects.get(booking=stay, patient=patients[1])
    assert (added.state, added.doctor, added.kind) == (IllnessState.REGISTRATION, doctor, "stationary")
    assert [(row.patient, row.included, row.remaining) for row in sessions.session_board(stay)
            if row.patient == patients[1]] == [(patients[1], 2, 2)]
    clock.advance(days=stay.nights - 1)
    checkin.check_out(by=receptionist, booking=stay)
    assert set(IllnessHistory.objects.filter(booking=stay).values_list("patient_id", "state")) == {
        (patients[0].pk, IllnessState.CLOSED), (patients[1].pk, IllnessState.CLOSED)}


def test_a_later_line_given_to_another_patient_in_the_house_gets_them_an_illness_history(receptionist, doctor, room,
                                                                                         tariff, patients, today):
    stay = checked_in(receptionist, doctor, guests=[(patients[0], room, tariff)], start=today)
    later = changes.change_mid_stay(by=receptionist, line=stay.lines.get(), from_date=today + timedelta(days=2),
                                    tariff=make_tariff("Second tariff"))
    services.edit_guest(by=receptionist, line=later, guest=GuestChoice(patients[1], room, later.tariff))
    added = IllnessHistory.objects.get(booking=stay, patient=patients[1])
    assert (added.state, added.doctor) == (IllnessState.REGISTRATION, doctor)


# --- pages ----------------------------------------------------------------------------------------------------


def check_in_post(patients, doctor, **changes) -> dict:
    data = {"identity_checked": "on", "rules_explained": "on", "consent_signed": "on", "room_condition": "ready",
            "doctor": doctor.pk, f"guest_{patients[0].pk}_complaints": "Headache",
            f"guest_{patients[0].pk}_pulse": "70", f"guest_{patients[0].pk}_kind": "stationary",
            f"guest_{patients[1].pk}_kind": "stationary"}
    data.update(changes)
    return data


def test_check_in_page_lists_the_guests_and_checks_in(booking, client_as, receptionist, doctor, patients):
    client = client_as(receptionist)
    detail = client.get(booking.get_absolute_url()).content.decode()
    assert reverse("stays:check_in", args=[booking.pk]) in detail
    page = client.get(reverse("stays:check_in", args=[booking.pk])).content.decode()
    assert patients[0].full_name in page and patients[1].full_name in page and doctor.full_name in page
    for name in ("identity_checked", "rules_explained", "consent_signed", "room_condition", "room_notes", "doctor",
                 "nurses", *(f"guest_{patient.pk}_{field}" for patient in patients[:2] for field in ARRIVAL_FIELDS)):
        assert f'name="{name}"' in page, name
    response = client.post(reverse("stays:check_in", args=[booking.pk]), check_in_post(patients, doctor), follow=True)
    html = response.content.decode()
    assert "is checked in" in html and "Illness histories" in html
    history = IllnessHistory.objects.get(booking=booking, patient=patients[0])
    assert history.complaints == "Headache" and history.pulse == 70 and history.number in html


def test_each_guest_gets_an_illness_history_of_their_own_type(booking, client_as, api_as, receptionist, doctor,
                                                               patients):
    response = client_as(receptionist).post(reverse("stays:check_in", args=[booking.pk]), check_in_post(
        patients, doctor, **{f"guest_{patients[1].pk}_kind": "ambulatory"}))
    assert response.status_code == 302
    kinds = dict(IllnessHistory.objects.filter(booking=booking).values_list("patient_id", "kind"))
    assert kinds == {patients[0].pk: "stationary", patients[1].pk: "ambulatory"}


def test_api_check_in_takes_a_type_per_guest_and_a_default_for_the_others(api_as, receptionist, doctor, room, tariff,
                                                                          patients, today):
    booking = book(receptionist, guests=[(patient, room if index < 2 else make_room("102", beds=2), tariff)
                                         for index, patient in enumerate(patients[:3])], start=today)
    response = api_as(receptionist).post(reverse("booking-check-in", args=[booking.pk]), {
        "identity_checked": True, "rules_explained": True, "consent_signed": True, "doctor": doctor.pk,
        "kind": "ambulatory", "guests": [{"patient": patients[0].pk, "kind": "stationary"}]}, format="json")
    assert response.status_code == 200
    assert {row["patient"]: row["kind"] for row in response.json()} == {
        patients[0].pk: "stationary", patients[1].pk: "ambulatory", patients[2].pk: "ambulatory"}


def test_a_refused_check_in_keeps_the_form_with_the_message(booking, client_as, receptionist, doctor, patients):
    response = client_as(receptionist).post(reverse("stays:check_in", args=[booking.pk]),
                                            check_in_post(patients, doctor, consent_signed=""))
    assert response.status_code == 200
    assert "The consent to treatment must be signed first." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_check_out_leads_to_the_bill(booking, client_as, receptionist, doctor, clock):
    checkin.check_in(by=receptionist, booking=booking, data=confirmations(doctor))
    clock.advance(days=booking.nights)
    response = client_as(receptionist).post(reverse("stays:check_out", args=[booking.pk]))
    booking.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("billing:bill_detail", kwargs={"pk": booking.bills.get().pk})
    assert booking.status == BookingStatus.COMPLETED


def test_illness_history_page_shows_arrival_and_opens_for_the_doctor(booking, client_as, receptionist, doctor,
                                                                     patients):
    client = client_as(receptionist)
    client.post(reverse("stays:check_in", args=[booking.pk]), check_in_post(patients, doctor))
    history = IllnessHistory.objects.get(booking=booking, patient=patients[0])
    page = client.get(history.get_absolute_url()).content.decode()
    assert "Headache" in page and doctor.full_name in page and "open-history" not in page
    client.force_login(doctor)
    assert "open-history" in client.get(history.get_absolute_url()).content.decode()
    response = client.post(reverse("stays:illness_state", args=[history.pk]), {"to": "open"}, follow=True)
    assert f"Illness history {history.number} is open." in response.content.decode()


def test_a_nurse_key_no_database_column_holds_is_refused_and_changes_nothing(booking, client_as, receptionist, doctor,
                                                                             nurse, patients):
    huge = "99999999999999999999999"
    client = client_as(receptionist)
    refused = client.post(reverse("stays:check_in", args=[booking.pk]), check_in_post(patients, doctor, nurses=[huge]))
    assert refused.status_code == 200 and f"{huge}” is not a valid value." in refused.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    client.post(reverse("stays:check_in", args=[booking.pk]), check_in_post(patients, doctor, nurses=[nurse.pk]))
    history = IllnessHistory.objects.get(booking=booking, patient=patients[0])
    client.force_login(doctor)
    response = client.post(reverse("stays:illness_team", args=[history.pk]), {"doctor": doctor.pk, "nurses": [huge]})
    assert response.status_code == 302 and list(history.nurses.all()) == [nurse]


# --- API ------------------------------------------------------------------------------------------------------


def test_api_checks_in_and_out(booking, api_as, receptionist, doctor, patients, clock):
    api = api_as(receptionist)
    refused = api.post(reverse("booking-check-in", args=[booking.pk]), {
        "identity_checked": True, "rules_explained": False, "consent_signed": True, "doctor": doctor.pk},
        format="json")
    assert refused.status_code == 400 and refused.json()["errors"] == {
        "rules_explained": ["Explain the house rules first."]}
    response = api.post(reverse("booking-check-in", args=[booking.pk]), {
        "identity_checked": True, "rules_explained": True, "consent_signed": True, "doctor": doctor.pk,
        "guests": [{"patient": patients[1].pk, "complaints": "Tired", "temperature": "37.1"}]}, format="json")
    assert response.status_code == 200
    body = {row["patient"]: row for row in response.json()}
    assert body[patients[1].pk]["complaints"] == "Tired" and body[patients[1].pk]["state"] == "registration"
    clock.advance(days=booking.nights)
    out = api.post(reverse("booking-check-out", args=[booking.pk]), {}, format="json")
    assert out.status_code == 200 and out.json()["status"] == "completed"
    assert out.json()["settle_url"] == reverse("billing:bill_detail", kwargs={"pk": booking.bills.get().pk})


def test_api_lists_illness_histories_in_constant_queries(receptionist, doctor, api_as, room, tariff, today,
                                                        django_assert_max_num_queries):
    def add_stays(count):
        for _index in range(count):
            patient = PatientFactory()
            checked_in(receptionist, doctor, guests=[(patient, make_room(f"R{patient.pk}", beds=1), tariff)],
                       start=today)

    api = api_as(doctor)
    add_stays(2)
    with django_assert_max_num_queries(12):
        small = api.get(reverse("illness-history-list"))
    add_stays(8)
    with django_assert_max_num_queries(12):
        large = api.get(reverse("illness-history-list"))
    assert small.json()["count"] == 2 and large.json()["count"] == 10
    assert api_as(receptionist).get(reverse("illness-history-list")).status_code == 200


@pytest.mark.parametrize("status", [BookingStatus.DISCHARGED, BookingStatus.COMPLETED, BookingStatus.CHECKED_IN,
                                    BookingStatus.CANCELLED])
def test_the_check_in_form_does_not_open_for_a_booking_that_cannot_be_checked_in(booking, client_as, receptionist,
                                                                                   status):
    type(booking).objects.filter(pk=booking.pk).update(status=status)
    response = client_as(receptionist).get(reverse("stays:check_in", args=[booking.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == booking.get_absolute_url()
    assert "there is nobody to check in" in page and 'name="consent_signed"' not in page
