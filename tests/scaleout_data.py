"""The data the scale-out test needs, made in its PostgreSQL database before the app servers start:
staff, the last free place of a room, a bill with one amount left to pay, and inpatients accruing bed time."""

from __future__ import annotations

from datetime import timedelta

from hayat.accounts.models import Department
from hayat.accounts.tests.factories import TEST_PASSWORD, UserFactory
from hayat.billing import services
from hayat.billing.models import ItemKind
from hayat.billing.tests import factories as billing
from hayat.core import clock
from hayat.core.roles import Role
from hayat.lab import services as lab
from hayat.lab.models import LabTestType
from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff

HOPEFULS = 20
INPATIENTS = 12


def make() -> dict:
    desk = UserFactory(user_id="desk", role=Role.RECEPTIONIST)
    tellers = [UserFactory(user_id=f"teller{n}", role=Role.TELLER) for n in (1, 2)]
    ward = billing.hospital_room("501", beds=1)
    doctor = UserFactory(user_id="doc", role=Role.DOCTOR, department=Department.objects.get(code="IM"))
    coder = UserFactory(user_id="coder", role=Role.CODER)
    to_pay = billing.bill_of(billing.admit(PatientFactory(), ward.beds.get(), doctor=doctor, by=coder))
    services.add_item(by=tellers[0], bill=to_pay, kind=ItemKind.LAB_TEST, description="X-ray", unit_price="50000")
    # in their beds for hours, no bed-time line written yet: work for the workers
    billing.admitted_in_bulk(INPATIENTS, by=doctor, started_at=clock.now() - timedelta(hours=5), prefix="S")

    start = clock.today() + timedelta(days=30)
    room, tariff = make_room("301", beds=2), make_tariff("Cardio rehabilitation")
    book(desk, guests=[(PatientFactory(), room, tariff)], start=start, nights=7)
    result = lab.create_result(by=doctor, patient=PatientFactory(), data=lab.ResultData(
        test_type=LabTestType.objects.create(code="XR", name="X-ray"), summary="Films attached.",
        performed_by=doctor, performed_at=clock.now()))
    return {"password": TEST_PASSWORD, "room": room.pk, "tariff": tariff.pk, "start": str(start + timedelta(days=2)),
            "end": str(start + timedelta(days=5)), "hopefuls": [patient.pk for patient in
                                                                PatientFactory.create_batch(HOPEFULS)],
            "bill": to_pay.pk, "result": result.pk, "inpatients": INPATIENTS}
