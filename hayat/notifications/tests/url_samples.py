from hayat.notifications import outbox
from hayat.notifications.models import Kind
from hayat.patients.tests.factories import PatientFactory


def samples(personas: dict) -> dict[str, dict]:
    patient = PatientFactory(mobile="+998901234567")
    message = outbox.queue(kind=Kind.WAITLIST_OFFER, event_key="samples:offer", patient=patient,
                           values=lambda language: {"arrival": "1 Dec", "departure": "5 Dec"})
    return {
        "notifications:resend": {"pk": message.pk},
        "notifications:cancel": {"pk": message.pk},
        "notifications:template_edit": {"kind": Kind.FOLLOW_UP, "language": "ru"},
        "notifications:patient_preference": {"patient_pk": patient.pk},
        "message-detail": {"pk": message.pk},
        "message-resend": {"pk": message.pk},
        "message-cancel": {"pk": message.pk},
        "message-template-detail": {"pk": "follow_up-ru"},
    }
