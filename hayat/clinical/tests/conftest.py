from types import SimpleNamespace

import pytest

from hayat.clinical.tests import factories
from hayat.patients.tests.factories import PatientFactory


@pytest.fixture
def icd_codes(db):
    return factories.load_icd_subset()


@pytest.fixture
def hospital(db, icd_codes, coder):
    """Cardiology (codes I00–I99) with two doctors and a two-bed room, Internal Medicine as the fallback
    with one doctor, Surgery for appendicitis; a patient waiting at reception."""
    cardiology = factories.department("CARD", "Cardiology")
    internal = factories.department("IM", "Internal Medicine")
    surgery = factories.department("SURG", "Surgery")
    factories.map_codes("I00", "I99", cardiology)
    factories.map_codes("K35", "K38", surgery)
    room = factories.ward_room(cardiology, beds=2)
    beds = list(room.beds.order_by("number"))
    return SimpleNamespace(
        cardiology=cardiology, internal=internal, surgery=surgery,
        cardiologist=factories.doctor_of(cardiology, "card1", "Dr. Aziz Cardio"),
        cardiologist2=factories.doctor_of(cardiology, "card2", "Dr. Bella Cardio"),
        internist=factories.doctor_of(internal, "im1", "Dr. Ivan Internist"),
        surgeon=factories.doctor_of(surgery, "surg1", "Dr. Sara Surgeon"),
        room=room, bed1=beds[0], bed2=beds[1], patient=PatientFactory(), coder=coder,
    )
