"""The hospital's papers of an episode: the admission face sheet and the discharge summary (issued and kept)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from reportlab.platypus import Flowable

from hayat.clinical import selectors
from hayat.clinical.models import Episode
from hayat.clinical.models.episodes import AdmissionType, DischargeResult, Disposition, EpisodeStatus
from hayat.core.formats import format_datetime
from hayat.documents.kind import Kind
from hayat.documents.kinds.common import doctor_name, patient_rows
from hayat.documents.layout import Sheet, facts, facts_section, grid, heading, paragraphs, signature_lines
from hayat.documents.models import Letterhead


def queryset():
    return Episode.objects.select_related("patient", "attending_physician", "department")


def label(choices, value: str) -> str:
    return choices(value).label if value else ""


def case_rows(episode: Episode) -> list[tuple[str, str]]:
    return [
        (_("Case number"), episode.case_number), (_("Hospital case number"), episode.hospital_case_number),
        (_("Registered"), format_datetime(episode.registered_at)),
        (_("Admitted"), format_datetime(episode.admitted_at)),
        (_("Discharged"), format_datetime(episode.discharged_at)),
        (_("Admission"), label(AdmissionType, episode.admission_type)),
        (_("Department"), str(episode.department or "")),
        (_("Attending physician"), doctor_name(episode.attending_physician)),
    ]


def diagnoses(episode: Episode) -> list[Flowable]:
    coded = list(selectors.current_diagnoses(episode))
    written = [(_("Principal diagnosis"), episode.principal_diagnosis), (_("Other diagnoses"), episode.other_diagnoses)]
    story: list[Flowable] = [heading(_("Diagnoses"))]
    if any(value for _name, value in written):
        story.append(facts(written))
    if coded:
        story.append(grid([_("ICD-10"), _("Diagnosis"), _("Rank")],
                          [[row.icd_code.code, row.icd_code.title, row.get_rank_display()] for row in coded],
                          widths=[0.14, 0.66, 0.2]))
    return story


def text_section(title: str, value: str) -> list[Flowable]:
    return [heading(title), *paragraphs(value)] if value.strip() else []


def signatures() -> Flowable:
    lines = Letterhead.current().signatures or [_("Attending physician")]
    return signature_lines(lines)


def compose_discharge(episode: Episode) -> Sheet:
    length = episode.length_of_stay_days
    story: list[Flowable] = [
        facts(patient_rows(episode.patient), columns=2), heading(_("Admission")), facts(case_rows(episode), columns=2),
        *diagnoses(episode),
        *text_section(_("Chief complaint"), episode.chief_complaint),
        *text_section(_("History of present illness"), episode.present_illness),
        *text_section(_("Course in hospital and treatment"), episode.treatment_plan),
        *text_section(_("Discharge summary"), episode.discharge_note),
        heading(_("Outcome")),
        facts([(_("Disposition"), label(Disposition, episode.disposition)),
               (_("Result"), label(DischargeResult, episode.result)),
               (_("Days in hospital"), "" if length is None else str(length))]),
        signatures(),
    ]
    return Sheet(title=_("Discharge summary"), reference=episode.case_number, story=story)


def discharge_facts(episode: Episode) -> dict:
    fields = ["case_number", "hospital_case_number", "registered_at", "admitted_at", "discharged_at", "status",
              "admission_type", "department_id", "attending_physician_id", "chief_complaint", "present_illness",
              "principal_diagnosis", "other_diagnoses", "treatment_plan", "discharge_note", "disposition", "result"]
    return {**{name: getattr(episode, name) for name in fields},
            "diagnoses": [[row.icd_code_id, row.rank] for row in selectors.current_diagnoses(episode)]}


def compose_face_sheet(episode: Episode) -> Sheet:
    patient = episode.patient
    story: list[Flowable] = [
        facts([*patient_rows(patient), (_("Address"), patient.address), (_("Civil status"),
               patient.get_civil_status_display()), (_("Occupation"), patient.occupation),
               (_("Identity document"), " ".join(part for part in (patient.get_document_type_display(),
                                                                     patient.document_number) if part))], columns=2),
        heading(_("Admission")), facts(case_rows(episode), columns=2),
        *facts_section(_("Insurance and emergency contact"), [
            (_("PhilHealth number"), episode.insurance_philhealth_number), (_("HMO"), episode.insurance_hmo_name),
            (_("HMO member number"), episode.insurance_hmo_number),
            (_("Emergency contact"), episode.emergency_contact_name),
            (_("Emergency contact phone"), episode.emergency_contact_phone)], columns=2),
        *text_section(_("Reason for visit"), episode.reason_for_visit),
        *text_section(_("Chief complaint"), episode.chief_complaint),
        *diagnoses(episode),
        signature_lines([_("Admitting clerk"), _("Patient or representative")]),
    ]
    return Sheet(title=_("Admission face sheet"), reference=episode.case_number, story=story)


def patient_of(episode: Episode) -> list[int]:
    return [episode.patient_id]


DISCHARGE_SUMMARY = Kind(
    slug="discharge-summary", label=gettext_lazy("Discharge summary"), access_label=gettext_noop("discharge summary"),
    capability="episodes.view", queryset=queryset, patient_ids=patient_of, compose=compose_discharge,
    facts=discharge_facts, number=lambda episode, version: f"{episode.case_number}/{version}",
    is_final=lambda episode: episode.status == EpisodeStatus.DISCHARGED,
)
FACE_SHEET = Kind(
    slug="face-sheet", label=gettext_lazy("Admission face sheet"), access_label=gettext_noop("admission face sheet"),
    capability="episodes.view", queryset=queryset, patient_ids=patient_of, compose=compose_face_sheet,
)
