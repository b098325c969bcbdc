"""The guest signs the consent with the mouse on the check-in page; the booking page shows the signature and the
printed consent carries it."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from hayat.core.roles import Role
from hayat.stays.models import CheckIn
from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff


@pytest.mark.django_db(transaction=True)
def test_the_guest_signs_with_the_mouse_and_the_consent_prints_it(make_user, page, log_in, clock):
    desk = make_user(Role.RECEPTIONIST, user_id="e2e-sign", full_name="Saida Sign")
    make_user(Role.DOCTOR, user_id="e2e-sign-doctor", full_name="Dr. Karimov")
    guest = PatientFactory(first_name="Dilnoza", last_name="Rahimova")
    booking = book(desk, guests=[(guest, make_room("101", beds=2), make_tariff("Rest"))],
                   start=timezone.localdate(clock.now()), nights=3)
    log_in(desk)

    page.goto(reverse("stays:check_in", args=[booking.pk]))
    page.check("#id_identity_checked")
    page.check("#id_rules_explained")
    page.check("#id_consent_signed")
    page.select_option("#id_doctor", label="Dr. Karimov")
    pad = page.locator("[data-signature-pad] canvas")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 120)
    page.mouse.down()
    for x, y in ((90, 40), (160, 140), (240, 60), (330, 110)):
        page.mouse.move(box["x"] + x, box["y"] + y, steps=8)
    page.mouse.up()
    expect(page.locator("input[name=signature]")).to_have_value(re.compile("^data:image/png;base64,"))
    page.click("#confirm-check-in")

    signature = page.locator("#check-in-signature")
    expect(signature).to_be_visible()
    assert signature.evaluate("picture => picture.complete && picture.naturalWidth") > 0
    kept = bytes(CheckIn.objects.get(booking=booking).signature)
    assert kept.startswith(b"\x89PNG")

    consent = page.get_attribute("[data-print-menu] [data-document=consent]", "href")
    printed = page.request.get(consent, timeout=60_000)  # the first print of a test run cuts the fonts
    assert printed.ok and printed.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(printed.body()))
    assert "Consent to treatment" in reader.pages[0].extract_text()
    assert len(reader.pages[0].images) == 1
