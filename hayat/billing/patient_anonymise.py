"""What billing scrubs when a patient is anonymised (see hayat.patients.anonymising).

A bill line of a stay or a service names the guest it is for, and items, payments and refunds carry notes
typed by people; the patient's names and numbers in them are rewritten. Amounts and links stay as they were.
"""

from __future__ import annotations

from django.db.models import Q

from hayat.billing.models import BillItem, Payment, RefundRequest
from hayat.patients.anonymising import Forgotten


def scrub_patient(*, forgotten: Forgotten) -> None:
    ids = forgotten.patient_ids
    items = BillItem.objects.filter(Q(bill__patient_id__in=ids) | Q(bill__booking__lines__patient_id__in=ids))
    forgotten.scrub_rows(BillItem.objects.filter(pk__in=items.values("pk")), ["description", "reason"])
    forgotten.scrub_rows(Payment.objects.filter(patient_id__in=ids), ["note"])
    forgotten.scrub_rows(RefundRequest.objects.filter(patient_id__in=ids), ["reason", "decision_note"])
