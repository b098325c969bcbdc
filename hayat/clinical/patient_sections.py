from django.utils.translation import gettext_lazy as _

from hayat.clinical import selectors
from hayat.clinical.models import OPEN_STATUSES
from hayat.core.policy import can
from hayat.core.ui import PatientSection


def episodes(patient, user) -> dict:
    rows = list(selectors.patient_episodes(patient.pk))
    return {"episodes": rows, "patient": patient, "may_register": can(user, "episodes.register"),
            "has_open": any(episode.status in OPEN_STATUSES for episode in rows)}


SECTIONS = [PatientSection(_("Episodes"), "clinical/patient_section.html", "episodes.view", episodes, order=15)]
