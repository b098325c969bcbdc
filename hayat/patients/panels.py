"""Dashboard card: find a patient from the dashboard, and how many were registered today."""

from django.utils.translation import gettext_lazy as _

from hayat.core.ui import Panel
from hayat.patients import selectors

PANELS = [
    Panel(_("Patients"), "patients/panels/patients.html", "patients.view",
          lambda user: {"patient_counts": selectors.dashboard_counts()}, order=10),
]
