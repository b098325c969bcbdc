"""Printing from the pages and the API: who may print what, the language chosen, every print access-logged, the
old receipt address, the letterhead page and the patient's language for documents."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from hayat.core.models import AccessLogEntry, AuditEvent
from hayat.documents import demo
from hayat.documents.models import DocumentLanguage, Letterhead
from hayat.documents.patient_sections import documents
from hayat.documents.tests.pdfs import page_count, text_of
from hayat.lab.tests import samples
from hayat.lab.tests.factories import make_result


def url(slug: str, pk: int) -> str:
    return reverse(f"documents:{slug.replace('-', '_')}", kwargs={"pk": pk})


def test_a_print_is_a_pdf_logged_as_a_read_of_the_patients_record(hospital, teller, client_as):
    response = client_as(teller).get(url("invoice", hospital.bill.pk), {"language": "ru"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Language"] == "ru" and response["Cache-Control"] == "private, no-store"
    assert response["X-Document-Number"] == f"{hospital.bill.number}/1"
    assert "Счёт" in text_of(response.content)
    logged = AccessLogEntry.objects.filter(what="invoice", patient_id=hospital.patient.pk, actor_id=teller.pk)
    assert logged.count() == 1
    client_as(teller).get(url("invoice", hospital.bill.pk))
    assert AccessLogEntry.objects.filter(what="invoice", patient_id=hospital.patient.pk).count() == 2, "every print"


def test_roles_print_only_what_they_may_read(hospital, sanatorium, doctor, receptionist, coder, client_as):
    assert client_as(doctor).get(url("invoice", hospital.bill.pk)).status_code == 403
    assert client_as(receptionist).get(url("lab-report", hospital.result.pk)).status_code == 403
    assert client_as(coder).get(url("welcome-packet", sanatorium.booking.pk)).status_code == 403
    assert client_as(coder).get(url("checkout-summary", sanatorium.history.pk)).status_code == 403
    assert client_as(doctor).get(url("lab-report", hospital.result.pk + 99)).status_code == 404
    assert not AccessLogEntry.objects.filter(what__in=["invoice", "lab result report", "welcome packet"]).exists()


def test_the_patients_language_wins_over_the_readers_unless_the_print_button_chose_one(sanatorium, receptionist,
                                                                                      client_as):
    client = client_as(receptionist)
    address = url("booking-confirmation", sanatorium.booking.pk)
    assert client.get(address, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
    response = client.post(reverse("documents:patient_language", args=[sanatorium.patient.pk]), {"language": "uz"})
    assert response.status_code == 302 and DocumentLanguage.objects.get(patient=sanatorium.patient).language == "uz"
    printed = client.get(address)
    assert printed["Content-Language"] == "uz" and "Bron" in text_of(printed.content)
    assert client.get(address, {"language": "ru"})["Content-Language"] == "ru"
    client.post(reverse("documents:patient_language", args=[sanatorium.patient.pk]), {"language": "xx"})
    assert DocumentLanguage.objects.get(patient=sanatorium.patient).language == "uz", "a bad choice changes nothing"


def test_the_lab_report_appends_every_page_of_each_pdf_and_each_picture_on_its_own_page(hospital, doctor,
                                                                                         client_as):
    response = client_as(doctor).get(url("lab-report", hospital.result.pk))
    text = text_of(response.content)
    assert page_count(response.content) == 1 + 1 + 3
    assert "Scan page 1" in text and "Scan page 3" in text and "Attachment 1 of 2: снимок.png" in text


def test_the_api_answers_a_pdf_to_accept_pdf_and_json_otherwise(hospital, teller, api_as):
    api = api_as(teller)
    address = reverse("document-invoice", kwargs={"pk": hospital.bill.pk})
    pdf = api.get(address, HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    body = api.get(address).json()
    assert body["kind"] == "invoice" and body["pdf"].endswith(address)
    assert [(row["number"], row["version"], row["sha256"]) for row in body["issued"]] == [
        (pdf["X-Document-Number"], 1, pdf["X-Document-SHA256"])]
    assert api.get(address.replace(str(hospital.bill.pk), str(hospital.bill.pk + 99)),
                   HTTP_ACCEPT="application/pdf").json()["detail"]
    assert api_as(None).get(address, HTTP_ACCEPT="application/pdf").status_code == 401


def test_the_old_receipt_addresses_lead_to_the_printed_receipt(hospital, teller, client_as, api_as):
    page = client_as(teller).get(reverse("billing:receipt", args=[hospital.payment.pk]), {"language": "uz"},
                                 follow=True)
    assert page["Content-Type"] == "application/pdf" and "Toʻlov kvitansiyasi" in text_of(page.content)
    api = api_as(teller).get(reverse("payment-receipt", args=[hospital.payment.pk]), follow=True)
    assert api.status_code == 200 and api.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(what="receipt", patient_id=hospital.patient.pk).count() == 2


def png_upload(name="logo.png"):
    buffer = BytesIO()
    Image.new("RGB", (120, 60), (200, 30, 30)).save(buffer, format="PNG")
    return samples.upload(name, buffer.getvalue(), "image/png")


def test_only_an_admin_sets_the_letterhead_and_a_logo_must_be_a_real_picture(db, admin_user, receptionist,
                                                                             client_as):
    assert client_as(receptionist).get(reverse("documents:letterhead")).status_code == 403
    client = client_as(admin_user)
    values = {"name_en": "Hayat Clinic", "name_ru": "Клиника Хаят", "name_uz": "Hayot klinikasi", "tax_rate": "0"}
    refused = client.post(reverse("documents:letterhead"), {**values, "logo": samples.upload(
        "logo.png", b"<script>alert(1)</script>", "image/png")})
    assert refused.status_code == 200 and not Letterhead.objects.exists()
    saved = client.post(reverse("documents:letterhead"), {**values, "logo": png_upload()})
    assert saved.status_code == 302
    letterhead = Letterhead.objects.get()
    assert letterhead.name_for("ru") == "Клиника Хаят" and letterhead.logo.name.endswith(".png")
    assert AuditEvent.objects.filter(action="documents.letterhead").exists()


def test_the_patient_page_offers_the_documents_with_a_constant_query_count(hospital, teller, doctor, client_as,
                                                                           django_assert_max_num_queries):
    client = client_as(teller)
    client.get(url("invoice", hospital.bill.pk))
    page = client.get(hospital.patient.get_absolute_url()).content.decode()
    assert 'id="printable-documents"' in page and url("invoice", hospital.bill.pk) in page
    assert url("lab-report", hospital.result.pk) not in page, "a teller may not read lab results"
    assert f"{hospital.bill.number}/1" in page
    with django_assert_max_num_queries(8):
        documents(hospital.patient, teller)
    for _ in range(6):
        make_result(by=doctor, patient=hospital.patient)
        client.get(url("invoice", hospital.bill.pk), {"language": "uz"})
    with django_assert_max_num_queries(8):
        section = documents(hospital.patient, teller)
    assert section["lab_results"] == [] and len(section["issued"]) == 2, "a teller reads no lab results"
    assert documents(hospital.patient, doctor)["issued"] == [], "a doctor reads no invoices"


def test_the_demo_letterhead_is_seeded_once_and_an_admins_is_kept(db, admin_user):
    demo.seed()
    Letterhead.objects.update(name_en="Set by the Admin")
    demo.seed()
    assert Letterhead.objects.get().name_en == "Set by the Admin"
    with pytest.raises(IntegrityError), transaction.atomic():
        Letterhead.objects.create(name_en="A second letterhead")


def test_each_record_page_offers_its_documents_in_its_print_menu(hospital, sanatorium, admin_user, client_as):
    client = client_as(admin_user)
    pages = {
        hospital.bill.get_absolute_url(): {"invoice"},
        hospital.episode.get_absolute_url(): {"face-sheet", "discharge-summary"},
        hospital.result.get_absolute_url(): {"lab-report"},
        sanatorium.booking.get_absolute_url(): {"booking-confirmation", "welcome-packet", "room-slip",
                                                "treatment-schedule"},
        sanatorium.history.get_absolute_url(): {"checkout-summary"},
    }
    for address, kinds in pages.items():
        page = client.get(address).content.decode()
        assert "data-print-menu" in page, address
        assert all(f'data-document="{kind}"' in page for kind in kinds), (address, kinds)
