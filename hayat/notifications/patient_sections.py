"""The patient page's messages: what was sent or queued, and the patient's choices about messages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hayat.core.policy import can
from hayat.core.ui import PatientSection
from hayat.notifications import selectors
from hayat.notifications.forms import PreferenceForm
from hayat.notifications.models import Preference


def messages(patient, user) -> dict:
    preference = Preference.objects.filter(patient=patient).select_related("updated_by").first()
    initial = ({"channel": preference.channel, "language": preference.language, "consent": preference.consent,
                "opted_out": preference.opted_out} if preference else {})
    return {"patient": patient, "preference": preference, "form": PreferenceForm(initial=initial),
            "may_edit": can(user, "patients.edit"), "can_send": can(user, "messages.send"),
            "messages": selectors.of_patient(patient.pk)}


SECTIONS = [PatientSection(_("Messages"), "notifications/patient_section.html", "messages.view", messages, order=65)]
