from datetime import date, timedelta

import pytest

from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff

TODAY = date(2026, 11, 21)  # the `clock` fixture's day


@pytest.fixture
def room(db):
    return make_room("101", beds=2)


@pytest.fixture
def tariff(db):
    return make_tariff("Rest and recovery", prices={"Standard": "350000"})


@pytest.fixture
def by_sms(db):
    return PatientFactory(first_name="Dilnoza", last_name="Karimova", mobile="+998901234567", email="")


@pytest.fixture
def by_email(db):
    return PatientFactory(first_name="Maria", last_name="Santos", mobile="", email="maria@example.org")


@pytest.fixture
def make_booking(receptionist, room, tariff, clock):
    def make(*patients, start=TODAY + timedelta(days=5), place=None, **extra):
        return book(receptionist, guests=[(patient, place or room, tariff) for patient in patients], start=start,
                    **extra)

    return make


@pytest.fixture
def gateways(settings, tmp_path):
    """SMS by Gammu's files outbox in a temporary folder, e-mail to the log; returns the outbox folder."""
    settings.HAYAT_MESSAGE_GATEWAYS = {"email": "log", "sms": "gammu"}
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "gammu_outbox": str(tmp_path), "gammu_inject": ""}
    return tmp_path
