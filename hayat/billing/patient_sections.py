from django.utils.translation import gettext_lazy as _

from hayat.billing import selectors
from hayat.core.policy import can
from hayat.core.ui import PatientSection

LIMIT = 10


def bills(patient, user) -> dict:
    return {**selectors.for_patient(patient.pk, limit=LIMIT), "patient": patient, "billing_limit": LIMIT,
            "billing_can_take": can(user, "billing.take_payment")}


SECTIONS = [PatientSection(_("Bills and payments"), "billing/patient_section.html", "billing.view", bills, order=50)]
