from datetime import date

from hayat.billing import payments
from hayat.billing.tests import factories
from hayat.core.roles import Role
from hayat.lab.tests.factories import make_result
from hayat.stays.tests.stay_factories import checked_in


def samples(personas: dict) -> dict[str, dict]:
    doctor, teller = personas[Role.DOCTOR], personas[Role.TELLER]
    patient = factories.PatientFactory()
    booking = checked_in(personas[Role.RECEPTIONIST], doctor, start=date.today(), nights=3, guests=[
        (patient, factories.make_room("D1", beds=1), factories.make_tariff("Documents", prices={"Standard": "1000"}))])
    episode = factories.admit(factories.PatientFactory(), factories.hospital_room("D2", beds=1).beds.get(),
                              doctor=doctor, by=personas[Role.CODER])
    payment = payments.take_payment(by=teller, bill=factories.bill_of(episode), amount="100").payment
    result = make_result(by=doctor, patient=patient)
    by_kind = {"booking-confirmation": booking, "welcome-packet": booking, "room-slip": booking,
               "treatment-schedule": booking, "consent": booking, "checkout-summary": booking.illness_histories.get(),
               "invoice": factories.bill_of(episode), "receipt": payment, "face-sheet": episode,
               "discharge-summary": episode, "lab-report": result}
    return {
        "documents:patient_language": {"patient_pk": patient.pk},
        **{f"documents:{slug.replace('-', '_')}": {"pk": record.pk} for slug, record in by_kind.items()},
        **{f"document-{slug}": {"pk": record.pk} for slug, record in by_kind.items()},
    }
