"""What stays scrubs when a patient is anonymised (see hayat.patients.anonymising).

Stays copy no identifying field, but people type notes: a booking's notes and referral ("call her daughter on
90 ..."), remarks at check-in, complaints, waitlist notes. The patient's names and numbers in the notes of
their bookings (and in those bookings' history rows and audit entries) are rewritten; the notes stay.
"""

from __future__ import annotations

from hayat.core import audit
from hayat.core.models import AuditEvent
from hayat.patients.anonymising import Forgotten
from hayat.stays.models import Booking, CheckIn, IllnessHistory, ServiceUsage, WaitlistEntry

BOOKING_NOTES = ("notes", "referral", "cancel_reason", "deposit_note")


def scrub_patient(*, forgotten: Forgotten) -> None:
    ids = forgotten.patient_ids
    bookings = list(Booking.objects.filter(lines__patient_id__in=ids).values_list("pk", flat=True).distinct())
    forgotten.scrub_rows(Booking.objects.filter(pk__in=bookings), BOOKING_NOTES)
    forgotten.scrub_rows(Booking.history.filter(id__in=bookings), BOOKING_NOTES)
    forgotten.scrub_rows(CheckIn.objects.filter(booking_id__in=bookings), ["room_notes"])
    forgotten.scrub_rows(IllnessHistory.objects.filter(patient_id__in=ids), ["complaints"])
    forgotten.scrub_rows(ServiceUsage.objects.filter(patient_id__in=ids), ["note"])
    forgotten.scrub_rows(WaitlistEntry.objects.filter(patient_id__in=ids), ["notes"])
    events = AuditEvent.objects.filter(model=Booking._meta.label, object_id__in=[str(pk) for pk in bookings])
    changed = []
    for event in events.only("pk", "changes", "note"):
        changes, note = forgotten.scrub_data(event.changes, frozenset()), forgotten.scrub(event.note)
        if (changes, note) != (event.changes, event.note):
            event.changes, event.note = changes, note
            changed.append(event)
    audit.rewrite_details(changed)
