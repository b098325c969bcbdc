"""The patient picker on the pages of other apps that pick a patient: live search, and the quick registration
in a modal for those who may register (the modal's answer selects the new patient: see test_pages)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["/clinical/new/", "/stays/waitlist/"])
def test_reception_pages_that_pick_a_patient_offer_the_quick_registration(client_as, receptionist, page):
    html = client_as(receptionist).get(page).content.decode()
    assert 'data-picker="id_patient"' in html and 'id="quick-modal-id_patient"' in html
    assert 'hx-get="/patients/quick/?picker=id_patient"' in html

