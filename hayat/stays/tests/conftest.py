from datetime import date

import pytest

from hayat.stays.tests.factories import PatientFactory, make_room, make_tariff

TODAY = date(2026, 11, 21)  # the `clock` fixture's day


@pytest.fixture
def today(clock) -> date:
    return TODAY


@pytest.fixture
def room(db):
    return make_room("101", beds=2)


@pytest.fixture
def tariff(db):
    return make_tariff("Rest and recovery", prices={"Standard": "350000"})


@pytest.fixture
def patients(db):
    return PatientFactory.create_batch(4)
