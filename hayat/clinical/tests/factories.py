"""Test data for clinical: an ICD-10 subset, departments with doctors, hospital beds, episodes in each phase."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from hayat.accounts.tests.factories import DepartmentFactory, UserFactory
from hayat.clinical import icd, services
from hayat.clinical.models import DiagnosisRank, IcdDepartmentMapping
from hayat.core.roles import Role
from hayat.facilities.models import Ward
from hayat.facilities.tests.factories import BuildingFactory, RoomFactory, WardFactory

# Small slices of ICD-10-CM: enough for every rule, quick to load on every engine.
TEST_RANGES = [("A00", "A09"), ("E10", "E11"), ("I10", "I25"), ("J09", "J18"), ("K35", "K38")]


@cache
def icd_subset() -> tuple[icd.IcdEntry, ...]:
    """Read once per test session (parsing the package's XML is the slow part)."""
    return tuple(entry for entry in icd.icd10cm_entries()
                 if any(icd.in_range(entry.code, bounds) for bounds in TEST_RANGES))


def load_icd_subset() -> icd.LoadResult:
    return icd.load(icd_subset())


def department(code: str, name: str):
    return DepartmentFactory(code=code, name=name)


def doctor_of(department, user_id: str, full_name: str = ""):
    return UserFactory(role=Role.DOCTOR, user_id=user_id, full_name=full_name or f"Dr. {user_id}",
                       department=department)


def map_codes(first: str, last: str, department, by=None) -> IcdDepartmentMapping:
    return IcdDepartmentMapping.objects.create(first=first, last=last, department=department, created_by=by)


def ward_room(department, *, beds: int = 2, name: str = "201", hourly_rate: Decimal = Decimal("12000.00")):
    building = BuildingFactory(code="H", name="Hospital")
    ward = (Ward.objects.filter(department=department, name=f"{department.code} ward").first()
            or WardFactory(department=department, building=building, name=f"{department.code} ward"))
    return RoomFactory(ward=ward, building=building, name=name, capacity=beds, hourly_rate=hourly_rate)


RECEPTION_FIELDS = {"reason_for_visit": "Chest pain since this morning", "intended_admission_type": "inpatient"}


def checked_in(patient, receptionist, **fields):
    return services.register_episode(by=receptionist, patient=patient, fields={**RECEPTION_FIELDS, **fields})


def documented(episode, doctor, *, code: str = "I21.4", admission_type: str = "inpatient", physician=None,
               override: str = ""):
    """Documents an episode and sends it to coding, as a doctor would."""
    services.update_episode(by=doctor, episode=episode, fields={
        "chief_complaint": "Crushing chest pain", "present_illness": "Two hours, radiating to the left arm",
        "physical_examination": "Diaphoretic, BP 150/95", "principal_diagnosis": "Acute myocardial infarction",
        "treatment_plan": "Aspirin, heparin, cardiology review", "admission_type": admission_type,
    })
    services.add_diagnosis(by=doctor, episode=episode, code=code, rank=DiagnosisRank.PRINCIPAL)
    fields = {"attending_physician": physician or doctor}
    if override:
        fields["physician_override_reason"] = override
    services.update_episode(by=doctor, episode=episode, fields=fields)
    return services.send_to_coding(by=doctor, episode=episode)
