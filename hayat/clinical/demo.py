"""Demo clinical data for `seed_demo`: the ICD-10-CM list, code ranges mapped to the demo departments, and a
few episodes, one in each phase, made through the same use cases the staff use.

Idempotent: the code list loads only while the table is empty (the package ships it, so this works offline;
about 100 000 codes, a quarter of a minute once), ranges are found by their bounds and episodes by patient and
reason for visit.
"""

from __future__ import annotations

from dataclasses import dataclass

from hayat.accounts.models import Department, User
from hayat.clinical import icd, selectors, services
from hayat.clinical.models import DiagnosisRank, Episode, IcdDepartmentMapping
from hayat.core.seeding import unless_refused
from hayat.patients.models import Patient

# (first, last, department code, note); codes no range covers go to the fallback department (Internal Medicine).
MAPPINGS = [
    ("I00", "I99", "CARD", "Diseases of the circulatory system"),
    ("K35", "K38", "SURG", "Diseases of the appendix"),
    ("K40", "K46", "SURG", "Hernia"),
    ("S00", "T14", "SURG", "Injuries"),
    ("O00", "O9A", "OBG", "Pregnancy, childbirth and the puerperium"),
    ("N70", "N98", "OBG", "Diseases of the female genital organs"),
    ("P00", "P96", "PED", "Conditions of the perinatal period"),
    ("M00", "M99", "REHAB", "Musculoskeletal system"),
]


@dataclass(frozen=True)
class DemoCase:
    reason: str
    stage: str  # pending, ready, admitted, outpatient, discharged
    complaint: str = ""
    code: str = ""
    admission: str = "inpatient"


CASES = [
    DemoCase("Fever and cough for three days", "pending"),
    DemoCase("Shortness of breath since last night", "ready", "Dyspnoea and productive cough", "J18.9"),
    DemoCase("High blood sugar found at the pharmacy", "admitted", "Polyuria, thirst, weight loss", "E11.65"),
    DemoCase("Fever and aching since yesterday", "outpatient", "Fever, myalgia, sore throat", "J11.1", "outpatient"),
    DemoCase("Vomiting and diarrhoea", "discharged", "Watery diarrhoea, six times a day", "A09"),
]
VITALS = {"systolic": 128, "diastolic": 82, "pulse": 88, "temperature": "37.9", "respiration": 18}


def seed() -> None:
    if not selectors.icd_loaded():
        load_codes()
    seed_mappings()
    staff = {user.user_id: user for user in User.objects.filter(
        user_id__in=["reception", "doctor", "nurse", "coder"], is_active=True)}
    patients = list(Patient.objects.filter(is_active=True, merged_into__isnull=True).order_by("id")[10:10 + len(CASES)])
    if len(staff) < 4 or len(patients) < len(CASES):
        return
    for case, patient in zip(CASES, patients, strict=False):
        if not Episode.objects.filter(patient=patient, reason_for_visit=case.reason).exists():
            with unless_refused(case.reason):
                seed_case(case, patient, staff)


def load_codes() -> None:
    icd.load(icd.icd10cm_entries())


def seed_mappings() -> None:
    departments = {department.code: department for department in Department.objects.all()}
    for first, last, code, note in MAPPINGS:
        if code in departments:
            IcdDepartmentMapping.objects.get_or_create(first=first, last=last,
                                                       defaults={"department": departments[code], "note": note})


def seed_case(case: DemoCase, patient: Patient, staff: dict[str, User]) -> None:
    if selectors.open_episode_of(patient.pk) is not None:
        return
    episode = services.register_episode(by=staff["reception"], patient=patient, fields={
        "reason_for_visit": case.reason, "intended_admission_type": case.admission})
    services.record_vitals(by=staff["nurse"], episode=episode, values=VITALS)
    if case.stage == "pending":
        return
    doctor = staff["doctor"]
    services.add_diagnosis(by=doctor, episode=episode, code=case.code, rank=DiagnosisRank.PRINCIPAL)
    services.update_episode(by=doctor, episode=episode, fields={
        "chief_complaint": case.complaint, "admission_type": case.admission, "attending_physician": doctor,
        "treatment_plan": "Per protocol; review in the morning round."})
    services.send_to_coding(by=doctor, episode=episode)
    if case.stage == "ready":
        return
    bed = None
    if case.admission == "inpatient":
        free = selectors.free_hospital_beds(department=doctor.department)
        if not free:
            return
        bed = free[0]
    services.complete_coding(by=staff["coder"], episode=episode, bed=bed)
    if case.stage == "discharged":
        services.discharge(by=doctor, episode=episode, disposition="discharged", result="recovered",
                           note="Rehydrated; eating and drinking well.")
