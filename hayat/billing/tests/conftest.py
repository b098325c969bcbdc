from datetime import date
from types import SimpleNamespace

import pytest

from hayat.billing.tests import factories

TODAY = date(2026, 11, 21)  # the `clock` fixture's day


@pytest.fixture
def ward(db, doctor, coder):
    """A two-bed ward room at 10 000 an hour, another at 15 000, a doctor, a coder and a patient."""
    first = factories.hospital_room("301", rate="10000.00")
    second = factories.hospital_room("302", rate="15000.00")
    beds = list(first.beds.order_by("number")) + list(second.beds.order_by("number"))
    return SimpleNamespace(room=first, other_room=second, bed1=beds[0], bed2=beds[1], bed3=beds[2],
                           doctor=doctor, coder=coder, patient=factories.PatientFactory())


@pytest.fixture
def admitted(ward, clock):
    """The ward's patient admitted into bed 1 at the clock's time (09:00)."""
    return factories.admit(ward.patient, ward.bed1, doctor=ward.doctor, by=ward.coder)


@pytest.fixture
def bill(admitted):
    return factories.bill_of(admitted)
