"""What the messages scrub when a patient is anonymised (see hayat.patients.anonymising): where each message went
and what it said; its kind, channel, state and times stay."""

from __future__ import annotations

from hayat.notifications.models import Message
from hayat.patients.anonymising import ANONYMISED, Forgotten


def scrub_patient(*, forgotten: Forgotten) -> None:
    messages = Message.objects.filter(patient_id__in=forgotten.patient_ids)
    messages.update(recipient=ANONYMISED, body=ANONYMISED)
    forgotten.scrub_rows(messages, ["subject", "answer"])
