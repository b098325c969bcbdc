"""A session or an extra service recorded by mistake is undone by its recorder for a few minutes: an audited
reversal that counts the session back and corrects the bill, never a delete."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from hayat.billing import payments
from hayat.billing.models import Bill, BillItem, BillStatus
from hayat.core.audit import AuditEvent
from hayat.core.errors import Conflict
from hayat.stays import sessions
from hayat.stays.models import ServiceUsage
from hayat.stays.tests.stay_factories import checked_in, make_service, tariff_with_sessions


@pytest.fixture
def massage(db):
    return make_service("Massage", "80000")


@pytest.fixture
def sauna(db):
    return make_service("Sauna", "45000")


@pytest.fixture
def stay(receptionist, doctor, room, massage, patients, today):
    tariff = tariff_with_sessions("Spine care", sessions={massage: 1})
    return checked_in(receptionist, doctor, guests=[(patients[0], room, tariff)], start=today)


@pytest.fixture
def guest(patients):
    return patients[0]


def used_massages(stay, guest, massage) -> tuple[int, int]:
    row = next(row for row in sessions.session_board(stay) if row.service == massage)
    return row.used, row.remaining


def lines(stay) -> list[tuple[str, Decimal]]:
    return [(item.kind, item.amount) for item in BillItem.objects.filter(bill__booking=stay).exclude(kind="tariff")
            .order_by("id")]


def bill_of(stay) -> Bill:
    return Bill.objects.get(booking=stay)  # one payer for the whole stay


def bill_total(stay) -> Decimal:
    return bill_of(stay).items_total


@pytest.mark.django_db
def test_undoing_a_session_beyond_the_tariff_counts_it_back_and_corrects_its_bill_line(
        stay, nurse, guest, massage, clock):
    sessions.record_session(by=nurse, booking=stay, patient=guest, service=massage)
    before = bill_total(stay)
    extra = sessions.record_session(by=nurse, booking=stay, patient=guest, service=massage)
    assert extra.billable and used_massages(stay, guest, massage) == (2, 0)
    clock.advance(minutes=4)
    sessions.undo_usage(by=nurse, usage=extra)
    assert used_massages(stay, guest, massage) == (1, 0)
    assert ServiceUsage.objects.filter(pk=extra.pk, reversed_by=nurse).exists()
    assert lines(stay) == [("exceeded_session", Decimal("80000.00")), ("manual", Decimal("-80000.00"))]
    correction = BillItem.objects.get(bill__booking=stay, kind="manual")
    assert correction.corrects.source_key == f"usage:{extra.pk}" and correction.added_by == nurse
    assert "Massage" in correction.description and nurse.full_name in correction.reason
    assert bill_total(stay) == before
    event = AuditEvent.objects.get(action="booking.session_undone")
    assert event.actor_id == nurse.pk and event.patient_id == guest.pk


@pytest.mark.django_db
def test_undoing_an_included_session_gives_it_back_without_touching_the_bill(stay, nurse, guest, massage):
    done = sessions.record_session(by=nurse, booking=stay, patient=guest, service=massage)
    sessions.undo_usage(by=nurse, usage=done)
    assert used_massages(stay, guest, massage) == (0, 1)
    assert lines(stay) == []
    again = sessions.record_session(by=nurse, booking=stay, patient=guest, service=massage)
    assert not again.billable


@pytest.mark.django_db
def test_undoing_an_extra_service_on_an_invoiced_bill_writes_a_correcting_line(stay, nurse, teller, guest, sauna):
    from hayat.billing import services as billing

    usage = sessions.record_extra_service(by=nurse, booking=stay, patient=guest, service=sauna, quantity=2)
    billing.calculate(by=teller, bill=bill_of(stay))
    billing.invoice(by=teller, bill=bill_of(stay))
    total = bill_total(stay)
    sessions.undo_usage(by=nurse, usage=usage)
    assert lines(stay) == [("service", Decimal("90000.00")), ("manual", Decimal("-90000.00"))]
    assert bill_total(stay) == total - Decimal("90000.00")
    billing.refresh(billing.locked(bill_of(stay)))
    assert len(lines(stay)) == 2, "refreshing the bill again writes nothing"


@pytest.mark.django_db
def test_undo_twice_reverses_once(stay, nurse, guest, sauna):
    usage = sessions.record_extra_service(by=nurse, booking=stay, patient=guest, service=sauna)
    first = sessions.undo_usage(by=nurse, usage=usage)
    second = sessions.undo_usage(by=nurse, usage=usage)
    assert first.reversed_at == second.reversed_at
    assert BillItem.objects.filter(bill__booking=stay, kind="manual").count() == 1
    assert AuditEvent.objects.filter(action="booking.extra_undone").count() == 1


@pytest.mark.django_db
def test_undo_is_refused_after_the_window(stay, nurse, guest, sauna, clock, settings):
    settings.HAYAT_UNDO_MINUTES = 3
    usage = sessions.record_extra_service(by=nurse, booking=stay, patient=guest, service=sauna)
    clock.advance(minutes=3, seconds=1)
    with pytest.raises(Conflict, match="more than 3 minutes ago") as refused:
        sessions.undo_usage(by=nurse, usage=usage)
    assert refused.value.code == "undo_too_late"
    assert not ServiceUsage.objects.get(pk=usage.pk).is_reversed and len(lines(stay)) == 1


@pytest.mark.django_db
def test_only_the_person_who_recorded_it_may_undo_it(stay, nurse, receptionist, guest, sauna):
    usage = sessions.record_extra_service(by=nurse, booking=stay, patient=guest, service=sauna)
    with pytest.raises(Conflict, match="Only the person who recorded"):
        sessions.undo_usage(by=receptionist, usage=usage)
    assert not ServiceUsage.objects.get(pk=usage.pk).is_reversed


@pytest.mark.django_db
def test_undo_is_refused_once_the_bill_is_paid(stay, nurse, teller, guest, sauna):
    usage = sessions.record_extra_service(by=nurse, booking=stay, patient=guest, service=sauna)
    payments.take_payment(by=teller, bill=bill_of(stay), amount=bill_total(stay))
    assert bill_of(stay).status == BillStatus.PAID
    with pytest.raises(Conflict, match="is paid") as refused:
        sessions.undo_usage(by=nurse, usage=usage)
    assert refused.value.code == "bill_closed"
    assert not ServiceUsage.objects.get(pk=usage.pk).is_reversed and len(lines(stay)) == 1


@pytest.mark.django_db
def test_sessions_are_undone_newest_first(stay, nurse, guest, massage):
    first = sessions.record_session(by=nurse, booking=stay, patient=guest, service=massage)
    sessions.record_session(by=nurse, booking=stay, patient=guest, service=massage)
    with pytest.raises(Conflict, match="undo that one first"):
        sessions.undo_usage(by=nurse, usage=first)


# --- page and API ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_card_offers_undo_to_the_recorder_only_and_shows_the_reversal(
        stay, client_as, nurse, receptionist, guest, massage, clock):
    client = client_as(nurse)
    client.post(reverse("stays:session_done", args=[stay.pk]), {"patient": guest.pk, "service": massage.pk})
    usage = ServiceUsage.objects.get()
    assert f'data-undo-usage="{usage.pk}"' in client.get(stay.get_absolute_url()).content.decode()
    assert "data-undo-usage" not in client_as(receptionist).get(stay.get_absolute_url()).content.decode()
    client = client_as(nurse)
    response = client.post(reverse("stays:usage_undo", args=[stay.pk, usage.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert json.loads(response["HX-Trigger"])["toast"]["level"] == "success"
    assert "data-undone" in html and "data-undo-usage" not in html and "<html" not in html
    assert "data-undone" in client.get(reverse("stays:booking_usages", args=[stay.pk])).content.decode()
    clock.advance(minutes=10)
    client.post(reverse("stays:session_done", args=[stay.pk]), {"patient": guest.pk, "service": massage.pk})
    clock.advance(minutes=10)
    assert "data-undo-usage" not in client.get(stay.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_refused_undo_on_the_page_says_why(stay, client_as, nurse, receptionist, guest, sauna):
    usage = sessions.record_extra_service(by=nurse, booking=stay, patient=guest, service=sauna)
    response = client_as(receptionist).post(reverse("stays:usage_undo", args=[stay.pk, usage.pk]),
                                            HTTP_HX_REQUEST="true")
    toast = json.loads(response["HX-Trigger"])["toast"]
    assert toast["level"] == "danger" and "Only the person who recorded" in toast["message"]


@pytest.mark.django_db
def test_api_undoes_once_and_refuses_others(stay, api_as, nurse, receptionist, guest, sauna):
    usage = sessions.record_extra_service(by=nurse, booking=stay, patient=guest, service=sauna)
    url = reverse("booking-usage-undo", args=[stay.pk, usage.pk])
    assert api_as(receptionist).post(url).status_code == 409
    api = api_as(nurse)
    first = api.post(url, HTTP_IDEMPOTENCY_KEY="undo-1")
    assert first.status_code == 200 and first.json()["reversed_by"] == nurse.pk
    again = api.post(url)
    assert again.status_code == 200 and again.json()["reversed_at"] == first.json()["reversed_at"]
    assert BillItem.objects.filter(bill__booking=stay, kind="manual").count() == 1
    assert api.post(reverse("booking-usage-undo", args=[stay.pk, 999999])).status_code == 404
