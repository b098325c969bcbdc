"""A patient with a Cyrillic name on a letterhead with an Uzbek name, and every record a document prints:
a hospital episode (admitted, billed, paid in part, discharged), a sanatorium stay, a lab result with files."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from hayat.billing import payments
from hayat.billing import services as billing
from hayat.billing.models import ItemKind
from hayat.billing.tests import factories
from hayat.documents.models import Letterhead
from hayat.documents.tests.pdfs import pdf_of_pages
from hayat.lab import services as lab
from hayat.lab.tests import samples
from hayat.lab.tests.factories import make_result
from hayat.stays import sessions
from hayat.stays.tests.stay_factories import checked_in, make_service, tariff_with_sessions

CYRILLIC_NAME = "Гульнора"
UZBEK_NAME = "«Hayot» sogʻlomlashtirish markazi, Toshkent boʻlimi"


@pytest.fixture
def letterhead(db):
    return Letterhead.objects.create(
        name_en="Hayat Health Resort", name_ru="Санаторий «Хаят»", name_uz=UZBEK_NAME,
        address="Toshkent, Yunusobod, Amir Temur 1", phone="+998 71 200 00 00", tax_id="301234567",
        footer="Hayat · open every day", signature_lines="Chief physician\nHead of department",
        house_rules="Quiet hours from 22:00 to 07:00.\n\nNo smoking in the rooms.",
        meal_times="Breakfast 08:00–09:00\nLunch 13:00–14:00\nDinner 19:00–20:00", tax_name="VAT",
        tax_rate=Decimal("12"))


@pytest.fixture
def hospital(letterhead, clock, teller, doctor, nurse, coder):
    """An episode of Гульнора Тошматова admitted, billed, paid in part and discharged; her lab result with a
    picture and a three-page PDF attached."""
    patient = factories.PatientFactory(first_name=CYRILLIC_NAME, last_name="Тошматова",
                                       address="Gʻallaorol, Oʻzbekiston")
    bed = factories.hospital_room("301", beds=1).beds.get()
    episode = factories.admit(patient, bed, doctor=doctor, by=coder)
    bill = factories.bill_of(episode)
    billing.add_item(by=teller, bill=bill, kind=ItemKind.MEDICATION, description="Цефтриаксон 1 г",
                     unit_price="45000", quantity=Decimal("3"))
    clock.advance(hours=5)
    taken = payments.take_payment(by=teller, bill=bill, amount="50000")
    clock.advance(hours=20)
    episode = factories.discharge(episode, by=doctor)
    result = make_result(by=nurse, patient=patient, summary="Гемоглобин 128 г/л.\n\nLeukocytes normal.",
                         group=lab.GroupData(description="Снимки", uploads=[
                             samples.png("снимок.png", size=(400, 300)),
                             samples.upload("analysis.pdf", pdf_of_pages(3), "application/pdf")]))
    return SimpleNamespace(patient=patient, episode=episode, bill=factories.bill_of(episode),
                           payment=taken.payment, result=result)


@pytest.fixture
def sanatorium(letterhead, clock, receptionist, doctor, nurse):
    """Гульнора Юсупова checked in today for seven nights on a tariff with massage and pool sessions; she has
    had one massage and an extra inhalation."""
    patient = factories.PatientFactory(first_name=CYRILLIC_NAME, last_name="Юсупова")
    massage, pool = make_service("Массаж спины"), make_service("Бассейн", price="40000")
    tariff = tariff_with_sessions("Спина", sessions={massage: 10, pool: 7})
    room = factories.make_room("204", beds=2)
    booking = checked_in(receptionist, doctor, guests=[(patient, room, tariff)], start=clock.now().date(), nights=7)
    sessions.record_session(by=nurse, booking=booking, patient=patient, service=massage)
    sessions.record_extra_service(by=nurse, booking=booking, patient=patient, service=make_service("Ингаляция"))
    return SimpleNamespace(patient=patient, booking=booking, bill=factories.bill_of(booking),
                           history=booking.illness_histories.get())
