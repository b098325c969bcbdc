"""The patient page's documents: the language they print in, what can be printed, and the documents issued."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hayat.billing.models import Bill, Payment
from hayat.clinical.models import Episode
from hayat.core.policy import can
from hayat.core.ui import PatientSection
from hayat.documents.forms import PatientLanguageForm
from hayat.documents.models import DocumentLanguage, IssuedDocument
from hayat.lab.models import LabResult
from hayat.stays.models import Booking, IllnessHistory

LIMIT = 5


def documents(patient, user) -> dict:
    """The newest records of each kind with their print menus: one query per kind of record, whatever the count."""
    language = DocumentLanguage.objects.filter(patient=patient).values_list("language", flat=True).first() or ""
    return {
        "patient": patient, "documents_limit": LIMIT,
        "language_form": PatientLanguageForm(initial={"language": language}),
        "may_set_language": can(user, "patients.edit"),
        "bookings": list(Booking.objects.filter(lines__patient=patient).distinct().order_by("-start_date")[:LIMIT]),
        "histories": list(IllnessHistory.objects.filter(patient=patient).order_by("-created_at")[:LIMIT]),
        "episodes": list(Episode.objects.filter(patient=patient).order_by("-registered_at")[:LIMIT]),
        "bills": list(Bill.objects.filter(patient=patient).order_by("-opened_at")[:LIMIT]),
        "receipts": list(Payment.objects.filter(patient=patient).order_by("-at")[:LIMIT]),
        "lab_results": list(LabResult.objects.filter(patient=patient).select_related("test_type")
                            .order_by("-performed_at")[:LIMIT]),
        "issued": list(IssuedDocument.objects.filter(patient=patient).select_related("replaces", "issued_by")
                       .defer("pdf", "replaces__pdf").order_by("-issued_at", "-id")[:LIMIT * 2]),
    }


SECTIONS = [PatientSection(_("Documents"), "documents/patient_section.html", "patients.view", documents, order=60)]
