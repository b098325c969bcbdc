"""The guest signs the consent on the check-in page: the signature is kept with the check-in as a clean PNG, shown
on the booking page (a read of the guests) and printed on the consent to treatment."""

import base64
import io

import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from hayat.core.errors import DomainError
from hayat.core.models import AccessLogEntry, AuditEvent
from hayat.documents import printing
from hayat.documents.kinds import KINDS
from hayat.stays import checkin
from hayat.stays.models import BookingStatus, CheckIn
from hayat.stays.tests.factories import book
from hayat.stays.tests.stay_factories import checked_in, confirmations, signature_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(receptionist, room, tariff, patients, today):
    return book(receptionist, guests=[(patients[0], room, tariff), (patients[1], room, tariff)], start=today)


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_a_drawn_signature_is_kept_as_a_png_written_again(booking, receptionist, doctor):
    drawn = signature_png() + b"<script>alert(1)</script>"  # bytes after the picture's end ride along
    checkin.check_in(by=receptionist, booking=booking, data=confirmations(doctor, signature=drawn))
    kept = bytes(CheckIn.objects.get(booking=booking).signature)
    assert kept.startswith(b"\x89PNG") and b"<script>" not in kept
    assert Image.open(io.BytesIO(kept)).size == (600, 180)
    event = AuditEvent.objects.get(action="booking.check_in", object_id=str(booking.pk))
    assert event.changes["signature"] == [None, True]


def test_without_a_signature_the_consent_was_signed_on_paper(booking, receptionist, doctor):
    checkin.check_in(by=receptionist, booking=booking, data=confirmations(doctor))
    assert bytes(CheckIn.objects.get(booking=booking).signature) == b""


@pytest.mark.parametrize(("content", "message"), [
    (b"not a picture", "not a picture"),
    (jpeg(), "must be a PNG"),
])
def test_a_signature_that_is_no_png_is_refused_and_nothing_changes(booking, receptionist, doctor, content, message):
    with pytest.raises(DomainError, match=message):
        checkin.check_in(by=receptionist, booking=booking, data=confirmations(doctor, signature=content))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and not CheckIn.objects.exists()


def test_a_signature_over_the_limit_is_refused(booking, receptionist, doctor, settings):
    settings.HAYAT_SIGNATURE_MAX_BYTES = 500
    with pytest.raises(DomainError, match="the limit is 500"):
        checkin.check_in(by=receptionist, booking=booking, data=confirmations(doctor, signature=signature_png()))
    with pytest.raises(DomainError, match="too large"):
        checkin.decode_signature(data_url(signature_png()))
    assert not CheckIn.objects.exists()


def test_the_page_posts_the_pad_as_a_data_url_and_the_booking_shows_it(booking, client_as, receptionist, doctor,
                                                                       patients):
    client = client_as(receptionist)
    form = client.get(reverse("stays:check_in", args=[booking.pk])).content.decode()
    assert "data-signature-pad" in form and 'name="signature"' in form and "stays/signature" in form
    response = client.post(reverse("stays:check_in", args=[booking.pk]), {
        "identity_checked": "on", "rules_explained": "on", "consent_signed": "on", "room_condition": "ready",
        "doctor": doctor.pk, "signature": data_url(signature_png()),
        **{f"guest_{patient.pk}_kind": "stationary" for patient in patients[:2]}})
    assert response.status_code == 302
    page = client.get(booking.get_absolute_url()).content.decode()
    picture_url = reverse("stays:check_in_signature", args=[booking.pk])
    assert 'id="check-in-signature"' in page and picture_url in page
    newest = AccessLogEntry.objects.order_by("-id").first().pk
    picture = client.get(picture_url)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert picture.content == bytes(CheckIn.objects.get(booking=booking).signature)
    logged = AccessLogEntry.objects.filter(pk__gt=newest)
    assert sorted(logged.values_list("patient_id", flat=True)) == sorted(patient.pk for patient in patients[:2])


def test_a_garbled_signature_keeps_the_form_with_the_message(booking, client_as, receptionist, doctor, patients):
    response = client_as(receptionist).post(reverse("stays:check_in", args=[booking.pk]), {
        "identity_checked": "on", "rules_explained": "on", "consent_signed": "on", "room_condition": "ready",
        "doctor": doctor.pk, "signature": "data:image/png;base64,%%%",
        **{f"guest_{patient.pk}_kind": "stationary" for patient in patients[:2]}})
    assert response.status_code == 200
    assert "The signature could not be read" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_no_signature_no_picture(booking, client_as, receptionist, doctor):
    checkin.check_in(by=receptionist, booking=booking, data=confirmations(doctor))
    client = client_as(receptionist)
    assert client.get(reverse("stays:check_in_signature", args=[booking.pk])).status_code == 404
    assert "signed on paper" in client.get(booking.get_absolute_url()).content.decode()


def test_the_api_takes_the_signature_in_base64(booking, api_as, receptionist, doctor):
    response = api_as(receptionist).post(reverse("booking-check-in", args=[booking.pk]), {
        "identity_checked": True, "rules_explained": True, "consent_signed": True, "doctor": doctor.pk,
        "signature": base64.b64encode(signature_png()).decode()}, format="json")
    assert response.status_code == 200
    assert bytes(CheckIn.objects.get(booking=booking).signature).startswith(b"\x89PNG")


def test_the_consent_prints_the_signature(receptionist, doctor, room, tariff, patients, today):
    booking = checked_in(receptionist, doctor, guests=[(patients[0], room, tariff)], start=today,
                         signature=signature_png())
    printed = printing.print_document(kind=KINDS["consent"], obj=booking, by=receptionist, language="en")
    page = PdfReader(io.BytesIO(printed.pdf)).pages[0]
    assert "Consent to treatment" in page.extract_text() and "signed at check-in" in page.extract_text()
    assert [image.image.size for image in page.images] == [(600, 180)]


def test_a_consent_signed_on_paper_prints_lines_to_sign(receptionist, doctor, room, tariff, patients, today):
    booking = checked_in(receptionist, doctor, guests=[(patients[0], room, tariff)], start=today)
    printed = printing.print_document(kind=KINDS["consent"], obj=booking, by=receptionist, language="en")
    page = PdfReader(io.BytesIO(printed.pdf)).pages[0]
    assert not page.images and "signed at check-in" not in page.extract_text()
