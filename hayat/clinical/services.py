"""Every write to an episode: one use case per function, one transaction each, audited.

Each use case checks the capability (hayat.core.policy) and the role × phase allow-list
(hayat.clinical.field_access) before it changes anything, and moves the status only through
hayat.clinical.lifecycle.transition().
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hayat.accounts.models import User
from hayat.clinical import beds, field_access, selectors, timed
from hayat.clinical.lifecycle import record_first_status, transition
from hayat.clinical.models import (
    AdmissionType,
    DiagnosisAction,
    DiagnosisRank,
    DischargeResult,
    Disposition,
    Episode,
    EpisodeDiagnosis,
    EpisodeStatus,
    IcdCode,
    IntendedAdmission,
    Vitals,
)
from hayat.clinical.vitals import clean_vitals
from hayat.core import audit, clock, numbering, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.params import id_from
from hayat.core.roles import Role
from hayat.core.transactions import retrying_atomic
from hayat.facilities.models import Bed
from hayat.patients.models import Patient

S = EpisodeStatus
TEXT_LIMITS = {
    "insurance_philhealth_number": 20, "insurance_hmo_name": 120, "insurance_hmo_number": 40,
    "emergency_contact_name": 150, "emergency_contact_phone": 20,
}
TEXT_FIELDS = {
    "reason_for_visit", "chief_complaint", "present_illness", "physical_examination", "principal_diagnosis",
    "other_diagnoses", "treatment_plan", "physician_override_reason", *TEXT_LIMITS,
}
AUDITED_FIELDS = sorted(field_access.RECEPTION | field_access.DOCUMENTATION | {"department"})
SNAPSHOT_FROM_PATIENT = {
    "insurance_philhealth_number": "philhealth_number", "insurance_hmo_name": "hmo_name",
    "insurance_hmo_number": "hmo_number", "emergency_contact_name": "emergency_contact_name",
    "emergency_contact_phone": "emergency_contact_phone",
}
FUTURE_TOLERANCE = timedelta(minutes=5)


def lock(episode: Episode) -> Episode:
    return Episode.objects.select_for_update().get(pk=episode.pk)


def year_number(prefix: str) -> str:
    year = clock.today().year
    return f"{prefix}-{year}-{numbering.next_value(f'{prefix}-{year}'):06d}"


# Reception ------------------------------------------------------------------------------------------------

@retrying_atomic
def register_episode(*, by: User, patient: Patient, fields: dict[str, Any]) -> Episode:
    """Reception check-in: a new episode with a case number and a hospital case number, status pending.

    A patient has at most one open episode; insurance and emergency contact default to the patient's.
    """
    field_access.check_fields(by, None, fields)
    policy.ensure(by, "episodes.register")
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if not patient.is_active or patient.merged_into_id is not None:
        raise DomainError(_("Patient %(patient)s is inactive; reactivate them or pick the record they were "
                            "merged into.") % {"patient": patient}, field="patient")
    refuse_second_open_episode(patient)
    values = {name: getattr(patient, source) for name, source in SNAPSHOT_FROM_PATIENT.items()}
    values["intended_admission_type"] = IntendedAdmission.UNDECIDED
    values.update(clean_fields(fields))
    if not values.get("reason_for_visit"):
        raise DomainError(_("Write the reason for the visit in the patient's words."), field="reason_for_visit")
    episode = Episode(patient=patient, status=S.PENDING, registered_at=clock.now(), created_by=by, updated_by=by,
                      case_number=year_number("C"), hospital_case_number=year_number("H"), **values)
    try:
        with transaction.atomic():
            episode.save(force_insert=True)
    except IntegrityError:
        refuse_second_open_episode(patient)  # the unique open-patient key caught a lost race
        raise
    record_first_status(episode, by=by)
    audit.record("episode.register", by=by, obj=episode, patient_id=patient.pk,
                 changes={name: [None, audit.as_data(value)] for name, value in values.items() if value})
    return episode


def refuse_second_open_episode(patient: Patient) -> None:
    current = selectors.open_episode_of(patient.pk)
    if current is not None:
        raise Conflict(_("%(patient)s already has an open episode, %(case)s (%(status)s). Finish or cancel it "
                         "before a new check-in.") % {"patient": patient, "case": current.case_number,
                                                       "status": current.get_status_display()}, field="patient")


# Documentation and coding fields -------------------------------------------------------------------------

@transaction.atomic
def update_episode(*, by: User, episode: Episode, fields: dict[str, Any]) -> Episode:
    """Changes fields of an episode, each allowed for the user's role in the episode's current phase."""
    episode = lock(episode)
    field_access.check_fields(by, episode, fields)
    policy.ensure(by, capability_for(episode, fields))
    if not fields:
        return episode
    before = audit.snapshot(episode, AUDITED_FIELDS)
    for name, value in clean_fields(fields).items():
        setattr(episode, name, value)
    if "attending_physician" in fields or "physician_override_reason" in fields:
        check_physician(episode)
    episode.updated_by = by
    episode.save()
    changes = audit.changes_between(before, audit.snapshot(episode, AUDITED_FIELDS))
    if changes:
        audit.record("episode.update", by=by, obj=episode, patient_id=episode.patient_id, changes=changes)
    return episode


def capability_for(episode: Episode, fields) -> str:
    if set(fields) <= field_access.RECEPTION:
        return "episodes.register"
    if episode.status == S.READY_FOR_CODING:
        return "episodes.code"
    return "episodes.document"


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Typed, trimmed and checked values; an unknown choice or a wrong kind of value is a clear error."""
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name in TEXT_FIELDS:
            text = "" if value is None else str(value).strip()
            limit = TEXT_LIMITS.get(name)
            if limit and len(text) > limit:
                raise DomainError(_("At most %(limit)s characters.") % {"limit": limit}, field=name)
            cleaned[name] = text
        elif name == "intended_admission_type":
            cleaned[name] = choice(value, IntendedAdmission, name)
        elif name == "admission_type":
            cleaned[name] = "" if value in (None, "") else choice(value, AdmissionType, name)
        elif name == "attending_physician":
            cleaned[name] = physician(value)
        else:
            raise DomainError(_("%(name)s cannot be changed here.") % {"name": field_access.label_of(name)},
                              field=name)
    return cleaned


def choice(value: Any, choices, field: str) -> str:
    if value not in choices.values:
        labels = ", ".join(str(label) for label in choices.labels)
        raise DomainError(_("Choose one of: %(choices)s.") % {"choices": labels}, field=field)
    return value


def physician(value: Any) -> User | None:
    if value in (None, ""):
        return None
    if not isinstance(value, User):
        pk = id_from(value)
        value = User.objects.filter(pk=pk).first() if pk is not None else None
    if value is None or value.role != Role.DOCTOR or not value.is_active:
        raise DomainError(_("The attending physician must be an active doctor."), field="attending_physician")
    return value


def check_physician(episode: Episode) -> None:
    """The physician belongs to the department of the principal code, or a reason for the choice is given."""
    doctor = episode.attending_physician
    if doctor is None or episode.department_id is None or doctor.department_id == episode.department_id:
        return
    if not episode.physician_override_reason.strip():
        raise DomainError(
            _("%(doctor)s is not a doctor of %(department)s, the department of this diagnosis. Choose one of its "
              "doctors or give the reason for this choice.")
            % {"doctor": doctor.full_name, "department": episode.department},
            code="physician_department", field="physician_override_reason")


# Vitals ----------------------------------------------------------------------------------------------------

@transaction.atomic
def record_vitals(*, by: User, episode: Episode, values: dict[str, Any], taken_at: datetime | None = None,
                  note: str = "") -> Vitals:
    """Adds one set of readings, each within its plausible range (abnormal ones are kept and flagged)."""
    episode = lock(episode)
    field_access.check_fields(by, episode, [field_access.VITALS])
    policy.ensure(by, "episodes.record_vitals")
    readings = clean_vitals(values)
    now = clock.now()
    taken_at = taken_at or now
    if taken_at > now + FUTURE_TOLERANCE:
        raise DomainError(_("The readings cannot be from the future."), field="taken_at")
    if taken_at < episode.registered_at - FUTURE_TOLERANCE:
        raise DomainError(_("The readings cannot be older than the check-in."), field="taken_at")
    vitals = Vitals.objects.create(episode=episode, taken_at=taken_at, recorded_by=by, note=note.strip()[:300],
                                   **readings)
    audit.record("episode.vitals", by=by, obj=vitals, patient_id=episode.patient_id,
                 changes={name: [None, audit.as_data(value)] for name, value in readings.items()})
    return vitals


# ICD-10 coding ----------------------------------------------------------------------------------------------

def coding_capability(episode: Episode) -> str:
    return "episodes.code" if episode.status == S.READY_FOR_CODING else "episodes.document"


def icd_code(value: IcdCode | str) -> IcdCode:
    if isinstance(value, IcdCode):
        return value
    from hayat.clinical.icd import normalise_code

    code = IcdCode.objects.filter(code=normalise_code(str(value)), is_active=True).first()
    if code is None:
        raise DomainError(_("%(code)s is not a code of the ICD-10 list in use.") % {"code": value}, field="icd_code")
    return code


def refresh_department(episode: Episode) -> None:
    """The episode's department follows its principal code's mapping (or the fallback department)."""
    principal = selectors.current_diagnoses(episode).filter(rank=DiagnosisRank.PRINCIPAL).first()
    department = selectors.department_for_code(principal.icd_code.code) if principal else None
    if department != episode.department:
        episode.department = department
        episode.save(update_fields=["department", "updated_at"])


@transaction.atomic
def add_diagnosis(*, by: User, episode: Episode, code: IcdCode | str, rank: str = DiagnosisRank.SECONDARY,
                  reason: str = "") -> EpisodeDiagnosis:
    """Codes the episode with an ICD-10 code: one principal code, any number of secondary ones."""
    episode = lock(episode)
    field_access.check_fields(by, episode, [field_access.ICD_CODES])
    policy.ensure(by, coding_capability(episode))
    code = icd_code(code)
    rank = choice(rank, DiagnosisRank, "rank")
    current = list(selectors.current_diagnoses(episode))
    if any(row.icd_code_id == code.pk for row in current):
        raise Conflict(_("%(code)s is already coded for this episode.") % {"code": code.code}, field="icd_code")
    principal = next((row for row in current if row.rank == DiagnosisRank.PRINCIPAL), None)
    if rank == DiagnosisRank.PRINCIPAL and principal is not None:
        raise Conflict(_("The principal code is already %(code)s; replace it instead.")
                       % {"code": principal.icd_code.code}, field="rank")
    row = EpisodeDiagnosis.objects.create(episode=episode, icd_code=code, rank=rank, entered_at=clock.now(),
                                          entered_by=by, reason=reason.strip()[:300])
    refresh_department(episode)
    audit.record("episode.icd_add", by=by, obj=episode, patient_id=episode.patient_id,
                 changes={"icd_code": [None, code.code], "rank": [None, rank]})
    return row


@transaction.atomic
def replace_diagnosis(*, by: User, episode: Episode, diagnosis: EpisodeDiagnosis, code: IcdCode | str,
                      reason: str = "") -> EpisodeDiagnosis:
    """Corrects a code by amendment: a new row replaces the old one, which stays in the history."""
    episode, old = amendable(by, episode, diagnosis, reason)
    code = icd_code(code)
    if code.pk == old.icd_code_id:
        raise DomainError(_("Choose a different code."), field="icd_code")
    if selectors.current_diagnoses(episode).filter(icd_code=code).exists():
        raise Conflict(_("%(code)s is already coded for this episode.") % {"code": code.code}, field="icd_code")
    row = EpisodeDiagnosis.objects.create(episode=episode, icd_code=code, rank=old.rank, amends=old,
                                          action=DiagnosisAction.REPLACED, entered_at=clock.now(), entered_by=by,
                                          reason=reason.strip()[:300])
    refresh_department(episode)
    audit.record("episode.icd_replace", by=by, obj=episode, patient_id=episode.patient_id,
                 changes={"icd_code": [old.icd_code.code, code.code]}, note=reason)
    return row


@transaction.atomic
def remove_diagnosis(*, by: User, episode: Episode, diagnosis: EpisodeDiagnosis, reason: str = "") -> EpisodeDiagnosis:
    """Withdraws a code by amendment (a removal row), so the history shows it was once coded."""
    episode, old = amendable(by, episode, diagnosis, reason)
    row = EpisodeDiagnosis.objects.create(episode=episode, icd_code=old.icd_code, rank=old.rank, amends=old,
                                          action=DiagnosisAction.REMOVED, entered_at=clock.now(), entered_by=by,
                                          reason=reason.strip()[:300])
    refresh_department(episode)
    audit.record("episode.icd_remove", by=by, obj=episode, patient_id=episode.patient_id,
                 changes={"icd_code": [old.icd_code.code, None]}, note=reason)
    return row


def amendable(by: User, episode: Episode, diagnosis: EpisodeDiagnosis, reason: str
              ) -> tuple[Episode, EpisodeDiagnosis]:
    episode = lock(episode)
    field_access.check_fields(by, episode, [field_access.ICD_CODES])
    policy.ensure(by, coding_capability(episode))
    old = (EpisodeDiagnosis.objects.select_related("icd_code").filter(pk=diagnosis.pk, episode=episode).first())
    if old is None or old.action == DiagnosisAction.REMOVED or EpisodeDiagnosis.objects.filter(amends=old).exists():
        raise Conflict(_("This code was changed in the meantime; reload the page."), field="diagnosis")
    if episode.status != S.PENDING and not reason.strip():
        raise DomainError(_("Give the reason for changing a code after documentation."), field="reason")
    return episode, old


# Phases -----------------------------------------------------------------------------------------------------

@transaction.atomic
def send_to_coding(*, by: User, episode: Episode) -> Episode:
    """The doctor's documentation is complete: the episode moves to ready_for_coding."""
    episode = lock(episode)
    policy.ensure(by, "episodes.document")
    if episode.status != S.PENDING:
        transition_refused(episode, S.READY_FOR_CODING)
    missing = []
    if not episode.chief_complaint:
        missing.append(field_access.label_of("chief_complaint"))
    if not selectors.current_diagnoses(episode).filter(rank=DiagnosisRank.PRINCIPAL).exists():
        missing.append(_("a principal ICD-10 code"))
    if episode.attending_physician_id is None:
        missing.append(field_access.label_of("attending_physician"))
    if not episode.admission_type:
        missing.append(_("inpatient or outpatient"))
    if missing:
        raise DomainError(_("Before coding, complete: %(missing)s.") % {"missing": ", ".join(map(str, missing))},
                          code="incomplete")
    check_physician(episode)
    transition(episode, to=S.READY_FOR_CODING, by=by)
    return episode


@transaction.atomic
def return_to_doctor(*, by: User, episode: Episode, reason: str) -> Episode:
    """The coder sends the case back to documentation, saying what is missing or wrong."""
    episode = lock(episode)
    policy.ensure(by, "episodes.code")
    if not reason.strip():
        raise DomainError(_("Say what the doctor should correct."), field="reason")
    transition(episode, to=S.PENDING, by=by, reason=reason.strip())
    return episode


@retrying_atomic
def complete_coding(*, by: User, episode: Episode, bed: Bed | None = None, note: str = "") -> Episode:
    """Coding verified: an inpatient is admitted into a free bed, an outpatient becomes outpatient. The
    bill opens here (billing listens to the status change)."""
    episode = lock(episode)
    policy.ensure(by, "episodes.code")
    if episode.status != S.READY_FOR_CODING:
        transition_refused(episode, S.ADMITTED if episode.admission_type == AdmissionType.INPATIENT else S.OUTPATIENT)
    current = list(selectors.current_diagnoses(episode))
    if not any(row.rank == DiagnosisRank.PRINCIPAL for row in current):
        raise DomainError(_("The episode has no principal ICD-10 code."), field="icd_code")
    unspecific = [row.icd_code.code for row in current if not row.icd_code.is_billable]
    if unspecific:
        raise DomainError(_("%(codes)s: choose a more specific (billable) code.") % {"codes": ", ".join(unspecific)},
                          code="not_billable", field="icd_code")
    check_physician(episode)
    now = clock.now()
    episode.coded_at, episode.coded_by, episode.admitted_at = now, by, now
    if episode.admission_type == AdmissionType.INPATIENT:
        if bed is None:
            raise DomainError(_("An inpatient needs a bed: choose a free one."), field="bed")
        field_access.check_fields(by, episode, [field_access.BED])
        policy.ensure(by, "episodes.assign_bed")
        locked = beds.lock_beds(bed)[bed.pk]
        beds.ensure_free(locked, at=now)
        assignment = beds.start(episode=episode, bed=locked, by=by, at=now, note=note)
        audit.record("episode.bed_assign", by=by, obj=assignment, patient_id=episode.patient_id,
                     changes={"bed": [None, locked.pk]})
        transition(episode, to=S.ADMITTED, by=by, reason=note)
    else:
        if bed is not None:
            raise DomainError(_("An outpatient gets no bed."), field="bed")
        transition(episode, to=S.OUTPATIENT, by=by, reason=note)
    return episode


@retrying_atomic
def assign_bed(*, by: User, episode: Episode, bed: Bed, note: str = "") -> Episode:
    """Gives an admitted patient without a bed a free one."""
    episode = lock(episode)
    field_access.check_fields(by, episode, [field_access.BED])
    policy.ensure(by, "episodes.assign_bed")
    if episode.status != S.ADMITTED:
        raise Conflict(_("Only an admitted patient gets a bed; this episode is %(status)s.")
                       % {"status": episode.get_status_display().lower()}, field="bed")
    if beds.open_assignment(episode) is not None:
        raise Conflict(_("Case %(case)s already has a bed; transfer instead.") % {"case": episode.case_number},
                       field="bed")
    now = clock.now()
    locked = beds.lock_beds(bed)[bed.pk]
    beds.ensure_free(locked, at=now)
    assignment = beds.start(episode=episode, bed=locked, by=by, at=now, note=note)
    audit.record("episode.bed_assign", by=by, obj=assignment, patient_id=episode.patient_id,
                 changes={"bed": [None, locked.pk]})
    return episode


@retrying_atomic
def transfer(*, by: User, episode: Episode, bed: Bed, reason: str = "") -> Episode:
    """Moves an admitted patient to another free bed: the old assignment ends and the new one starts at the
    same moment, at the new room's hourly rate."""
    episode = lock(episode)
    field_access.check_fields(by, episode, [field_access.BED])
    policy.ensure(by, "episodes.transfer")
    if episode.status != S.ADMITTED:
        raise Conflict(_("Only an admitted patient can be transferred."), field="bed")
    current = beds.open_assignment(episode, lock=True)
    if current is None:
        raise Conflict(_("Case %(case)s has no bed yet; assign one.") % {"case": episode.case_number}, field="bed")
    if current.bed_id == bed.pk:
        raise DomainError(_("The patient is already in this bed."), field="bed")
    locked = beds.lock_beds(current.bed, bed)
    now = clock.now()
    beds.ensure_free(locked[bed.pk], at=now, leaving=current)
    beds.end(current, at=now, by=by, reason=beds.TRANSFER)
    assignment = beds.start(episode=episode, bed=locked[bed.pk], by=by, at=now, note=reason.strip()[:300])
    audit.record("episode.transfer", by=by, obj=assignment, patient_id=episode.patient_id,
                 changes={"bed": [current.bed_id, bed.pk]}, note=reason)
    return episode


@retrying_atomic
def discharge(*, by: User, episode: Episode, disposition: str, result: str, discharged_at: datetime | None = None,
              note: str = "") -> Episode:
    """Ends the episode in one transaction: the open bed assignment and the running time-charged services end at
    the discharge time (the bed is free and their charges stop there), disposition and result are set, the status
    becomes discharged."""
    episode = lock(episode)
    if episode.status not in (S.ADMITTED, S.OUTPATIENT):
        transition_refused(episode, S.DISCHARGED)
    names = ["disposition", "result", "discharge_note"] + (["discharged_at"] if discharged_at else [])
    field_access.check_fields(by, episode, names)
    policy.ensure(by, "episodes.discharge")
    disposition = choice(disposition, Disposition, "disposition")
    result = choice(result, DischargeResult, "result")
    now = clock.now()
    discharged_at = discharged_at or now
    if discharged_at > now + FUTURE_TOLERANCE:
        raise DomainError(_("The discharge time cannot be in the future."), field="discharged_at")
    if episode.admitted_at and discharged_at < episode.admitted_at:
        raise DomainError(_("The discharge cannot be before the admission (%(at)s).")
                          % {"at": beds.local_minute(episode.admitted_at)}, field="discharged_at")
    assignment = beds.open_assignment(episode, lock=True)
    if assignment is not None:
        beds.lock_beds(assignment.bed)
        beds.end(assignment, at=discharged_at, by=by, reason=beds.DISCHARGE)
    timed.stop_all(episode, at=discharged_at, by=by)
    episode.disposition, episode.result, episode.discharged_at = disposition, result, discharged_at
    episode.discharge_note = note.strip()
    transition(episode, to=S.DISCHARGED, by=by, reason=note.strip())
    audit.record("episode.discharge", by=by, obj=episode, patient_id=episode.patient_id,
                 changes={"disposition": [None, disposition], "result": [None, result],
                          "discharged_at": [None, audit.as_data(discharged_at)]})
    return episode


@transaction.atomic
def cancel_episode(*, by: User, episode: Episode, reason: str) -> Episode:
    """A check-in made by mistake, or a patient who left before admission. Never after admission."""
    episode = lock(episode)
    policy.ensure(by, "episodes.cancel")
    if not reason.strip():
        raise DomainError(_("Give the reason for cancelling."), field="reason")
    transition(episode, to=S.CANCELLED, by=by, reason=reason.strip())
    return episode


def transition_refused(episode: Episode, target: str) -> None:
    from hayat.clinical.lifecycle import EPISODE

    EPISODE.check(episode.status, target)
    raise AssertionError("unreachable: the lifecycle allowed a refused step")

