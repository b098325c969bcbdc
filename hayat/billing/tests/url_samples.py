from datetime import timedelta

from hayat.billing import dayclose, payers, payments, services
from hayat.billing.models import ItemKind
from hayat.billing.tests import factories
from hayat.core import clock
from hayat.core.roles import Role


def samples(personas: dict) -> dict[str, dict]:
    teller = personas[Role.TELLER]
    room = factories.hospital_room("S1", beds=1)
    episode = factories.admit(factories.PatientFactory(), room.beds.get(), doctor=personas[Role.DOCTOR],
                              by=personas[Role.CODER])
    bill = factories.bill_of(episode)
    item = services.add_item(by=teller, bill=bill, kind=ItemKind.MEDICATION, description="Saline", unit_price="9000")
    taken = payments.take_payment(by=teller, bill=bill, amount="5000")
    refund = payments.request_refund(by=teller, bill=bill, amount="1000", reason="Overcharged")
    bill_pk, patient_pk = {"pk": bill.pk}, {"patient_pk": bill.patient_id}
    closed = {"pk": dayclose.close_day(by=teller, day=clock.today(), counted_cash="5000").pk}
    booking = factories.stay(personas[Role.RECEPTIONIST], factories.PatientFactory(), room_name="S2",
                             start=clock.today() + timedelta(days=5), status="reservation")
    organisation = payers.save_organisation(by=personas[Role.ADMIN], values={"name": "Samples Insurance"})
    return {
        "billing:bill_detail": bill_pk, "billing:bill_lines": bill_pk, "billing:item_add": bill_pk,
        "billing:bill_calculate": bill_pk, "billing:bill_invoice": bill_pk, "billing:bill_void": bill_pk,
        "billing:take_payment": bill_pk, "billing:apply_deposit": bill_pk, "billing:refund_bill": bill_pk,
        "billing:item_remove": {"pk": item.pk}, "billing:item_correct": {"pk": item.pk},
        "billing:patient_money": patient_pk, "billing:take_deposit": patient_pk, "billing:refund_deposit": patient_pk,
        "billing:receipt": {"pk": taken.payment.pk}, "billing:refund_decide": {"pk": refund.pk},
        "bill-detail": bill_pk, "bill-add-item": bill_pk, "bill-remove-item": bill_pk, "bill-correct-item": bill_pk,
        "bill-calculate": bill_pk, "bill-invoice": bill_pk, "bill-void": bill_pk, "bill-apply-deposit": bill_pk,
        "payment-detail": {"pk": taken.payment.pk}, "payment-receipt": {"pk": taken.payment.pk},
        "refund-detail": {"pk": refund.pk}, "refund-approve": {"pk": refund.pk}, "refund-reject": {"pk": refund.pk},
        "billing:day_close_detail": closed, "billing:day_close_csv": closed, "dayclose-detail": closed,
        "billing:booking_deposit": {"booking_pk": booking.pk},
        "billing:organisation_edit": {"pk": organisation.pk}, "organisation-detail": {"pk": organisation.pk},
        "billing:booking_bill_per_guest": {"booking_pk": booking.pk},
        "billing:booking_move_guest": {"booking_pk": booking.pk},
        "billing:bill_payer": bill_pk, "api-bill-payer": bill_pk,
    }
