"""Issued documents are kept: a reprint is the very same bytes; a change issues a new version that names the one
it replaces; older versions stay printable; a document not final yet prints as a draft and is not kept."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from hayat.billing import services as billing
from hayat.billing.models import ItemKind
from hayat.clinical.models import Episode
from hayat.core.models import AuditEvent
from hayat.documents import printing
from hayat.documents.kinds import KINDS
from hayat.documents.models import IssuedDocument
from hayat.documents.tests.pdfs import text_of

INVOICE, DISCHARGE = KINDS["invoice"], KINDS["discharge-summary"]


def test_a_reprint_of_an_unchanged_invoice_is_the_same_bytes_with_its_number_and_checksum(hospital, teller, clock):
    first = printing.print_document(kind=INVOICE, obj=hospital.bill, by=teller, language="ru")
    clock.advance(hours=2)
    again = printing.print_document(kind=INVOICE, obj=hospital.bill, by=teller, language="ru")
    assert again.pdf == first.pdf
    issued = IssuedDocument.objects.get()
    assert (issued.number, issued.version, issued.replaces) == (f"{hospital.bill.number}/1", 1, None)
    assert issued.sha256 == hashlib.sha256(first.pdf).hexdigest() and bytes(issued.pdf) == first.pdf
    assert issued.number in text_of(first.pdf)
    assert AuditEvent.objects.filter(action="documents.issue").count() == 1


def test_a_changed_bill_issues_a_new_version_that_names_the_one_it_replaces(hospital, teller):
    first = printing.print_document(kind=INVOICE, obj=hospital.bill, by=teller, language="en").issued
    billing.add_item(by=teller, bill=hospital.bill, kind=ItemKind.MEDICATION, description="Paracetamol",
                     unit_price="2000", quantity=Decimal("2"))
    second = printing.print_document(kind=INVOICE, obj=hospital.bill, by=teller, language="en")
    assert (second.issued.version, second.issued.replaces_id) == (2, first.pk)
    assert f"Replaces {first.number}." in text_of(second.pdf) and "Paracetamol" in text_of(second.pdf)
    old = printing.print_document(kind=INVOICE, obj=hospital.bill, by=teller, version=1)
    assert old.pdf == bytes(first.pdf), "the first version is still printed as it was issued"


def test_another_language_is_a_copy_of_the_same_version_with_its_own_checksum(hospital, teller):
    english = printing.print_document(kind=INVOICE, obj=hospital.bill, by=teller, language="en").issued
    uzbek = printing.print_document(kind=INVOICE, obj=hospital.bill, by=teller, language="uz").issued
    assert (uzbek.number, uzbek.version) == (english.number, 1) and uzbek.sha256 != english.sha256
    assert IssuedDocument.objects.count() == 2


def test_a_discharge_summary_is_issued_only_once_the_patient_is_discharged(hospital, doctor, coder):
    open_episode = hospital.episode
    Episode.objects.filter(pk=open_episode.pk).update(status="admitted")
    draft = printing.print_document(kind=DISCHARGE, obj=Episode.objects.get(pk=open_episode.pk), by=doctor,
                                    language="en")
    assert draft.issued is None and "Draft: not issued yet." in text_of(draft.pdf)
    assert not IssuedDocument.objects.exists()
    Episode.objects.filter(pk=open_episode.pk).update(status="discharged")
    issued = printing.print_document(kind=DISCHARGE, obj=Episode.objects.get(pk=open_episode.pk), by=doctor,
                                     language="en").issued
    assert issued.number == f"{open_episode.case_number}/1"
    text = text_of(bytes(issued.pdf))
    assert "J18.9" in text and open_episode.hospital_case_number in text and "Improved" in text


def test_a_version_never_issued_is_not_found(hospital, teller):
    with pytest.raises(printing.VersionNotFound):
        printing.print_document(kind=INVOICE, obj=hospital.bill, by=teller, version=3)
