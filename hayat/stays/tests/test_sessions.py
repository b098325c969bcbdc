"""Included sessions per guest from the tariff; sessions beyond them and extra services are billed."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hayat.catalog.models import TariffService
from hayat.core.errors import Conflict, DomainError
from hayat.core.tests.concurrency import run_in_parallel
from hayat.stays import jobs, services, sessions
from hayat.stays.models import BookingStatus, ServiceUsage, SessionAllowance
from hayat.stays.services import GuestChoice
from hayat.stays.tests.factories import PatientFactory, book, make_room
from hayat.stays.tests.stay_factories import checked_in, make_service, tariff_with_sessions

# Session and user; booking, lines, status history; one access-log insert; audit events and their actors;
# illness histories and nurses; usages, used counts and included sessions; the number of its lab results; the
# check-in (its signature); the treatment sessions planned and what the last change of the stay moved.
QUERIES_OF_THE_BOOKING_PAGE = 17


@pytest.fixture
def massage(db):
    return make_service("Massage", "80000")


@pytest.fixture
def pool(db):
    return make_service("Pool", "30000")


@pytest.fixture
def spa_tariff(massage, pool):
    return tariff_with_sessions("Spine care", sessions={massage: 2, pool: 5})


@pytest.fixture
def stay(receptionist, doctor, room, spa_tariff, patients, today):
    return checked_in(receptionist, doctor, guests=[(patients[0], room, spa_tariff)], start=today)


def board(booking) -> dict:
    return {(row.patient.pk, row.service.name): (row.included, row.used, row.remaining, row.exceeded)
            for row in sessions.session_board(booking)}


def bill_items(booking) -> list[tuple]:
    return [(item.kind, item.quantity, item.unit_price, item.amount)
            for item in booking.bills.get().items.exclude(kind="tariff").order_by("id")]


@pytest.mark.django_db
def test_a_guest_gets_the_tariffs_sessions_when_booked_and_keeps_them_when_the_catalogue_changes(
        stay, patients, massage, spa_tariff):
    assert board(stay) == {(patients[0].pk, "Massage"): (2, 0, 2, 0), (patients[0].pk, "Pool"): (5, 0, 5, 0)}
    TariffService.objects.filter(tariff=spa_tariff, service=massage).update(sessions=10)
    sessions.record_session(by=stay.created_by, booking=stay, patient=patients[0], service=massage)
    assert board(stay)[(patients[0].pk, "Massage")] == (2, 1, 1, 0)


@pytest.mark.django_db
def test_guests_added_changed_or_removed_before_arrival_follow_their_tariff(receptionist, room, spa_tariff, massage,
                                                                             patients, today):
    other = tariff_with_sessions("Massage only", sessions={massage: 7})
    booking = book(receptionist, guests=[(patients[0], room, spa_tariff)], start=today + timedelta(days=3))
    line = services.add_guest(by=receptionist, booking=booking, guest=GuestChoice(patients[1], room, spa_tariff))
    assert SessionAllowance.objects.filter(booking=booking, patient=patients[1]).count() == 2
    services.edit_guest(by=receptionist, line=line, guest=GuestChoice(patients[1], room, other))
    assert board(booking)[(patients[1].pk, "Massage")] == (7, 0, 7, 0)
    assert (patients[1].pk, "Pool") not in board(booking)
    services.remove_guest(by=receptionist, line=line)
    assert not SessionAllowance.objects.filter(booking=booking, patient=patients[1]).exists()


@pytest.mark.django_db
def test_sessions_beyond_the_included_number_are_billed_at_the_service_price(stay, receptionist, nurse, patients,
                                                                              massage):
    first = sessions.record_session(by=nurse, booking=stay, patient=patients[0], service=massage)
    second = sessions.record_session(by=nurse, booking=stay, patient=patients[0], service=massage)
    assert not first.billable and not second.billable and bill_items(stay) == []
    third = sessions.record_session(by=nurse, booking=stay, patient=patients[0], service=massage)
    assert third.billable and third.unit_price == Decimal("80000.00")
    assert board(stay)[(patients[0].pk, "Massage")] == (2, 3, 0, 1)
    assert bill_items(stay) == [("exceeded_session", Decimal("1.00"), Decimal("80000.00"), Decimal("80000.00"))]
    bill = stay.bills.get()
    assert bill.items_total == Decimal("80000.00") + 5 * Decimal("350000.00")


@pytest.mark.django_db
def test_extra_services_are_recorded_with_quantity_and_date_and_billed(stay, receptionist, patients, today, clock):
    sauna = make_service("Sauna", "45000")
    clock.advance(days=2)
    usage = sessions.record_extra_service(by=receptionist, booking=stay, patient=patients[0], service=sauna,
                                          quantity=3, on=today + timedelta(days=1), note="Evening")
    assert (usage.kind, usage.quantity, usage.used_on, usage.amount) == ("extra", 3, today + timedelta(days=1),
                                                                         Decimal("135000.00"))
    assert bill_items(stay) == [("service", Decimal("3.00"), Decimal("45000.00"), Decimal("135000.00"))]
    for quantity in (0, 101):
        with pytest.raises(DomainError, match="whole number"):
            sessions.record_extra_service(by=receptionist, booking=stay, patient=patients[0], service=sauna,
                                          quantity=quantity)
    with pytest.raises(DomainError, match="in the future"):
        sessions.record_extra_service(by=receptionist, booking=stay, patient=patients[0], service=sauna,
                                      on=today + timedelta(days=3))
    with pytest.raises(DomainError, match="does not stay on"):
        sessions.record_extra_service(by=receptionist, booking=stay, patient=patients[0], service=sauna,
                                      on=today - timedelta(days=1))
    assert ServiceUsage.objects.count() == 1


@pytest.mark.django_db
def test_sessions_are_refused_outside_the_tariff_the_house_and_the_roles(stay, receptionist, teller, patients,
                                                                        massage, room, spa_tariff, today):
    sauna = make_service("Sauna", "45000")
    with pytest.raises(DomainError, match="not included in the tariff"):
        sessions.record_session(by=receptionist, booking=stay, patient=patients[0], service=sauna)
    with pytest.raises(PermissionDenied):
        sessions.record_session(by=teller, booking=stay, patient=patients[0], service=massage)
    later = book(receptionist, guests=[(patients[1], make_room("102"), spa_tariff)], start=today + timedelta(days=1))
    with pytest.raises(Conflict, match="in the house"):
        sessions.record_session(by=receptionist, booking=later, patient=patients[1], service=massage)
    assert not ServiceUsage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_on_the_last_included_session_bill_exactly_one(receptionist, doctor, nurse, clock):
    massage = make_service("Massage", "80000")
    tariff = tariff_with_sessions("One massage", sessions={massage: 1})
    patient = PatientFactory()
    stay = checked_in(receptionist, doctor, guests=[(patient, make_room("201"), tariff)],
                      start=clock.now().date())

    results = run_in_parallel(lambda index: sessions.record_session(by=nurse, booking=stay, patient=patient,
                                                                    service=massage).billable, 2)
    assert sorted(results) == [False, True], results
    assert list(stay.bills.get().items.filter(kind="exceeded_session").values_list("amount", flat=True)) == [
        Decimal("80000.00")]


# --- pages and API --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_done_button_updates_the_card_with_htmx(stay, client_as, nurse, patients, massage):
    client = client_as(nurse)
    page = client.get(stay.get_absolute_url()).content.decode()
    assert "Session done" in page and "2 left" in page
    url = reverse("stays:session_done", args=[stay.pk])
    for _index in range(2):
        client.post(url, {"patient": patients[0].pk, "service": massage.pk}, HTTP_HX_REQUEST="true")
    response = client.post(url, {"patient": patients[0].pk, "service": massage.pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="sessions-card"' in html and "1 beyond the tariff" in html and "<html" not in html
    toast = json.loads(response["HX-Trigger"])["toast"]
    assert toast["level"] == "warning" and "beyond the tariff, billed at" in toast["message"]
    refused = client.post(url, {"patient": patients[0].pk, "service": 999999}, HTTP_HX_REQUEST="true")
    assert json.loads(refused["HX-Trigger"])["toast"]["level"] == "danger"


@pytest.mark.django_db
def test_extra_service_page_records_and_refuses_clearly(stay, client_as, receptionist, patients, today):
    sauna = make_service("Sauna", "45000")
    client = client_as(receptionist)
    url = reverse("stays:extra_service", args=[stay.pk])
    assert "Sauna" in client.get(url).content.decode()
    refused = client.post(url, {"patient": patients[0].pk, "service": sauna.pk, "quantity": 1,
                                "used_on": str(today + timedelta(days=2))})
    assert "is in the future" in refused.content.decode() and not ServiceUsage.objects.exists()
    response = client.post(url, {"patient": patients[0].pk, "service": sauna.pk, "quantity": 2,
                                 "used_on": str(today)}, follow=True)
    assert "Sauna is recorded and billed." in response.content.decode()
    assert ServiceUsage.objects.get().quantity == 2


@pytest.mark.django_db
def test_booking_page_with_sessions_takes_the_same_queries_for_one_or_six_guests(receptionist, doctor, nurse,
                                                                                  client_as, spa_tariff, massage, pool,
                                                                                  today):
    client = client_as(nurse)

    def page_queries(count: int) -> int:
        rooms = [make_room(f"S{count}-{index}", beds=2) for index in range(count)]
        guests = PatientFactory.create_batch(count)
        stay = checked_in(receptionist, doctor, guests=[(patient, rooms[index], spa_tariff)
                                                        for index, patient in enumerate(guests)], start=today)
        for patient in guests:
            for service in (massage, massage, massage, pool):
                sessions.record_session(by=nurse, booking=stay, patient=patient, service=service)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(stay.get_absolute_url())
        assert page.status_code == 200 and page.content.decode().count("1 beyond the tariff") == count
        return len(queries)

    assert page_queries(1) == page_queries(6) <= QUERIES_OF_THE_BOOKING_PAGE


@pytest.mark.django_db
@pytest.mark.parametrize("ending", ["cancelled", "no_show", "expired"])
def test_the_sessions_card_is_not_shown_when_the_guests_never_came(receptionist, client_as, room, spa_tariff,
                                                                   patients, today, clock, ending):
    status = BookingStatus.RESERVATION if ending == "expired" else BookingStatus.CONFIRMED
    booking = book(receptionist, guests=[(patients[0], room, spa_tariff)], start=today, status=status)
    if ending == "cancelled":
        services.cancel_booking(by=receptionist, booking=booking, reason="Changed plans")
    elif ending == "no_show":
        services.change_status(by=receptionist, booking=booking, to=BookingStatus.NO_SHOW)
    else:
        clock.advance(hours=49)
        jobs.expire_reservations()
    booking.refresh_from_db()
    assert booking.status == ending
    page = client_as(receptionist).get(booking.get_absolute_url()).content.decode()
    assert booking.number in page and 'id="sessions-card"' not in page


@pytest.mark.django_db
def test_the_card_shows_the_newest_fifteen_and_links_to_every_usage(stay, client_as, nurse, receptionist, patients,
                                                                    pool, clock, django_assert_max_num_queries):
    for _index in range(20):
        sessions.record_extra_service(by=receptionist, booking=stay, patient=patients[0], service=pool)
    client = client_as(nurse)
    page = client.get(stay.get_absolute_url()).content.decode()
    card = page[page.index('id="sessions-card"'):]
    assert card.count("data-usage=") == 15 and 'id="all-usages"' in card
    with django_assert_max_num_queries(12):
        every = client.get(reverse("stays:booking_usages", args=[stay.pk])).content.decode()
    assert every.count("data-usage=") == 20


@pytest.mark.django_db
def test_api_records_sessions_and_extra_services(stay, api_as, nurse, teller, patients, massage):
    api = api_as(nurse)
    url = reverse("booking-sessions", args=[stay.pk])
    created = api.post(url, {"patient": patients[0].pk, "service": massage.pk}, format="json")
    assert created.status_code == 201 and created.json()["billable"] is False
    sauna = make_service("Sauna", "45000")
    refused = api.post(url, {"patient": patients[0].pk, "service": sauna.pk}, format="json")
    assert refused.status_code == 400 and "extra service" in refused.json()["detail"]
    extra = api.post(reverse("booking-extra-service", args=[stay.pk]),
                     {"patient": patients[0].pk, "service": sauna.pk, "quantity": 2}, format="json")
    assert extra.status_code == 201 and extra.json()["amount"] == "90000.00"
    body = api.get(url).json()
    assert {row["service_name"]: row["remaining"] for row in body["sessions"]} == {"Massage": 1, "Pool": 5}
    assert len(body["usages"]) == 2
    assert api_as(teller).post(url, {"patient": patients[0].pk, "service": massage.pk}, format="json"
                               ).status_code == 403
