"""Payers on the pages and the API, and the money forms sent twice: the deposit dialog, the day close, moving a guest's
lines, changing payers and organisations each make one record."""

import re
from datetime import date
from decimal import Decimal

from django.urls import reverse

from hayat.billing.models import Bill, BillGuest, BillStatus, DayClose, Organisation, Payment
from hayat.billing.tests import factories
from hayat.billing.tests.conftest import *  # noqa: F403 - the ward, the admission and its bill
from hayat.billing.tests.test_payers import two_guests
from hayat.core.models import AuditEvent
from hayat.stays.models import BookingStatus

TOKEN = re.compile(r'name="idempotency_key" value="([^"]+)"')


def token_in(page: str, form_id: str) -> str:
    """The idempotency token of the form with this id on the page."""
    return TOKEN.search(page[page.index(f'id="{form_id}"'):]).group(1)


def test_the_booking_page_shows_each_bill_with_its_payer_and_moves_a_guest_once(receptionist, teller, client_as,
                                                                               clock):
    booking, first, second = two_guests(receptionist)
    insurer = Organisation.objects.create(name="Mehnat Insurance", kind="insurer")
    client = client_as(teller)
    page = client.get(booking.get_absolute_url()).content.decode()
    assert 'id="move-guest-form"' in page and f'data-guest="{second.pk}"' in page and first.full_name in page
    form = {"patient": second.pk, "to": f"org:{insurer.pk}", "idempotency_key": token_in(page, "move-guest-form")}
    url = reverse("billing:booking_move_guest", args=[booking.pk])
    answers = [client.post(url, form), client.post(url, form)]
    assert [answer.status_code for answer in answers] == [302, 302]
    assert AuditEvent.objects.filter(action="bill.move_guest").count() == 1
    company = Bill.objects.get(booking=booking, organisation=insurer)
    assert company.items_total == Decimal("600000.00")
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "Mehnat Insurance" in page and f'data-bill="{company.pk}"' in page
    second_page = client.get(reverse("billing:patient_money", args=[second.pk])).content.decode()
    assert company.number in second_page


def test_a_bad_move_changes_nothing_and_says_why(receptionist, teller, client_as, clock):
    booking, _first, second = two_guests(receptionist)
    client = client_as(teller)
    url = reverse("billing:booking_move_guest", args=[booking.pk])
    answer = client.post(url, {"patient": second.pk, "to": "org:99999"}, follow=True)
    assert answer.status_code == 200 and "Select a valid choice" in answer.content.decode()
    assert BillGuest.objects.get(booking=booking, patient=second).bill.payer_key == "all"
    assert client_as(receptionist).post(url, {"patient": second.pk, "to": "own"}).status_code == 403


def test_changing_payers_on_the_booking_page_is_taken_once(receptionist, teller, client_as, clock):
    booking, first, second = two_guests(receptionist)
    client = client_as(teller)
    page = client.get(booking.get_absolute_url()).content.decode()
    form = {"per_guest": "True", "idempotency_key": token_in(page, "bill-per-guest-form")}
    url = reverse("billing:booking_bill_per_guest", args=[booking.pk])
    client.post(url, form)
    client.post(url, form)
    assert AuditEvent.objects.filter(action="booking.bill_per_guest").count() == 1
    live = Bill.objects.filter(booking=booking).exclude(status=BillStatus.VOID)
    assert set(live.values_list("payer_key", flat=True)) == {f"guest:{first.pk}", f"guest:{second.pk}"}
    old = Bill.objects.get(booking=booking, status=BillStatus.VOID)
    page = client.get(booking.get_absolute_url()).content.decode()
    assert f'data-void-bill="{old.pk}"' in page and f'data-bill="{old.pk}"' not in page
    assert all(f'data-bill="{bill.pk}"' in page for bill in live)


def test_the_wizard_books_a_bill_per_guest(receptionist, client_as, clock):
    from hayat.stays import wizard

    first, second = factories.PatientFactory(), factories.PatientFactory()
    room = factories.make_room("220", beds=2)
    tariff = factories.make_tariff("Rest", prices={"Standard": "350000"})
    draft = wizard.start(by=receptionist, start_date=date(2026, 11, 24), end_date=date(2026, 11, 27), guest_count=2)
    wizard.set_places(draft=draft, places=[f"r{room.pk}", f"r{room.pk}"])
    wizard.set_guests(draft=draft, guests=[(first.pk, tariff.pk), (second.pk, tariff.pk)])
    answer = client_as(receptionist).post(reverse("stays:wizard_confirm", args=[draft.token]), {
        "status": BookingStatus.CONFIRMED, "source": "walk_in", "bills": "True"})
    assert answer.status_code == 302
    assert set(Bill.objects.values_list("patient_id", flat=True)) == {first.pk, second.pk}


def test_the_deposit_dialog_sent_twice_takes_one_deposit(receptionist, teller, client_as, clock):
    booking = factories.stay(receptionist, factories.PatientFactory(), start=date(2026, 11, 24),
                             status=BookingStatus.RESERVATION)
    client = client_as(teller)
    url = reverse("billing:booking_deposit", args=[booking.pk])
    form = {"amount": "200000", "method": "card", "idempotency_key": token_in(client.get(url).content.decode(),
                                                                              "deposit-form")}
    assert [client.post(url, form).status_code for _ in range(2)] == [302, 302]
    assert Payment.objects.filter(booking=booking).count() == 1


def test_the_day_close_sent_twice_closes_once_on_the_page_and_the_api(teller, client_as, api_as, make_user, clock):
    client = client_as(teller)
    url = reverse("billing:day_close")
    form = {"counted_cash": "0", "idempotency_key": token_in(client.get(url).content.decode(), "day-close-form")}
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    other = make_user("teller", user_id="teller2")
    api = api_as(other)
    answers = [api.post(reverse("dayclose-list"), {"counted_cash": "0"}, format="json", HTTP_IDEMPOTENCY_KEY="z-1")
               for _ in range(2)]
    assert [answer.status_code for answer in answers] == [201, 201] and answers[1]["Idempotent-Replayed"] == "true"
    assert DayClose.objects.count() == 2


def test_the_api_moves_a_guest_and_manages_organisations_once_per_key(receptionist, teller, api_as, clock):
    booking, _first, second = two_guests(receptionist)
    api = api_as(teller)
    created = [api.post(reverse("organisation-list"), {"name": "Navoi Mining", "tax_number": "200400600"},
                        format="json", HTTP_IDEMPOTENCY_KEY="o-1") for _ in range(2)]
    assert [answer.status_code for answer in created] == [201, 201] and Organisation.objects.count() == 1
    organisation = created[0].json()["id"]
    moves = [api.post(reverse("api-move-guest"), {"booking": booking.pk, "patient": second.pk,
                                                  "to": f"org:{organisation}"}, format="json",
                      HTTP_IDEMPOTENCY_KEY="m-1") for _ in range(2)]
    assert [answer.status_code for answer in moves] == [200, 200]
    assert moves[0].json()["payer_name"] == "Navoi Mining" and moves[0].json()["items_total"] == "600000.00"
    assert AuditEvent.objects.filter(action="bill.move_guest").count() == 1
    refused = api.post(reverse("api-move-guest"), {"booking": booking.pk, "patient": second.pk, "to": "nobody"},
                       format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_payer"
    renamed = api.patch(reverse("organisation-detail", args=[organisation]), {"is_active": False}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Navoi Mining" and not renamed.json()["is_active"]
    split = api.post(reverse("api-bill-per-guest"), {"booking": booking.pk, "per_guest": True}, format="json")
    assert split.status_code == 200


def test_an_episode_bill_goes_to_an_organisation_from_its_page(bill, teller, client_as):
    insurer = Organisation.objects.create(name="Mehnat Insurance", kind="insurer")
    client = client_as(teller)
    page = client.get(bill.get_absolute_url()).content.decode()
    form = {"organisation": insurer.pk, "idempotency_key": token_in(page, "bill-payer-form")}
    assert client.post(reverse("billing:bill_payer", args=[bill.pk]), form).status_code == 302
    assert "Mehnat Insurance" in client.get(bill.get_absolute_url()).content.decode()
    assert AuditEvent.objects.filter(action="bill.payer").count() == 1


def test_a_cancellation_with_a_refund_sent_twice_asks_for_one_refund(receptionist, teller, client_as, clock):
    from hayat.billing import bookings
    from hayat.billing.models import RefundRequest

    booking = factories.stay(receptionist, factories.PatientFactory(), start=date(2026, 11, 30),
                             status=BookingStatus.RESERVATION)
    bookings.take_booking_deposit(by=teller, booking=booking, amount="300000")
    client = client_as(receptionist)
    form = {"reason": "Plans changed", "refund_amount": "300000",
            "idempotency_key": token_in(client.get(booking.get_absolute_url()).content.decode(), "cancel-form")}
    url = reverse("stays:booking_cancel", args=[booking.pk])
    answers = [client.post(url, form), client.post(url, form)]
    assert [answer.status_code for answer in answers] == [302, 302]
    assert RefundRequest.objects.filter(booking=booking).count() == 1
