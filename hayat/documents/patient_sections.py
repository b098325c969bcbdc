"""The patient page's documents: the language they print in, what can be printed, and the documents issued."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hayat.billing.models import Bill, Payment
from hayat.clinical.models import Episode
from hayat.core.policy import can
from hayat.core.ui import PatientSection
from hayat.documents.forms import PatientLanguageForm
from hayat.documents.kinds import KINDS
from hayat.documents.models import DocumentLanguage, IssuedDocument
from hayat.lab.models import LabResult
from hayat.stays.models import Booking, IllnessHistory

LIMIT = 5


def printable_kinds(user) -> list[str]:
    return [slug for slug, kind in KINDS.items() if can(user, kind.capability)]


def documents(patient, user) -> dict:
    """The newest records of each kind this user may print, with their print menus: one query per kind of record,
    whatever the count; a record the user may not read is not even named."""
    language = DocumentLanguage.objects.filter(patient=patient).values_list("language", flat=True).first() or ""
    records = {
        "bookings": ("stays.view", lambda: Booking.objects.filter(lines__patient=patient).distinct()
                     .order_by("-start_date")),
        "histories": ("stays.illness_history_view", lambda: IllnessHistory.objects.filter(patient=patient)
                      .order_by("-created_at")),
        "episodes": ("episodes.view", lambda: Episode.objects.filter(patient=patient).order_by("-registered_at")),
        "bills": ("billing.view", lambda: Bill.objects.filter(patient=patient).order_by("-opened_at")),
        "receipts": ("billing.view", lambda: Payment.objects.filter(patient=patient).order_by("-at")),
        "lab_results": ("lab.view", lambda: LabResult.objects.filter(patient=patient).select_related("test_type")
                        .order_by("-performed_at")),
    }
    return {
        "patient": patient, "language_form": PatientLanguageForm(initial={"language": language}),
        "may_set_language": can(user, "patients.edit"),
        **{name: list(query()[:LIMIT]) if can(user, capability) else []
           for name, (capability, query) in records.items()},
        "issued": list(IssuedDocument.objects.filter(patient=patient, kind__in=printable_kinds(user))
                       .select_related("replaces", "issued_by")
                       .defer("pdf", "replaces__pdf").order_by("-issued_at", "-id")[:LIMIT * 2]),
    }


SECTIONS = [PatientSection(_("Documents"), "documents/patient_section.html", "patients.view", documents, order=60)]
