from django.utils.translation import gettext_lazy as _

from hayat.core.policy import can
from hayat.core.ui import PatientSection
from hayat.lab import selectors

LIMIT = 10


def lab_results(patient, user) -> dict:
    return {"lab_results": selectors.results_for_patient(patient.pk, limit=LIMIT), "lab_limit": LIMIT,
            "lab_can_manage": can(user, "lab.manage"), "patient": patient}


SECTIONS = [PatientSection(_("Lab results"), "lab/patient_section.html", "lab.view", lab_results, order=40)]
