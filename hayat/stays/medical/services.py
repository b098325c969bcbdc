"""Writes of the medical record. Doctors write everything; nurses write diary entries with vitals. A closed
illness history (the guest checked out) is not written any more."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from hayat.clinical.services import icd_code
from hayat.clinical.vitals import clean_vitals
from hayat.core import audit, clock, policy
from hayat.core.errors import DomainError
from hayat.core.formats import format_date
from hayat.core.transactions import retrying_atomic
from hayat.stays import illness
from hayat.stays.models import (
    VITAL_FIELDS,
    DiaryEntry,
    Epicrisis,
    FirstExamination,
    IllnessHistory,
    IllnessState,
)

# Which diagnosis of the history a code is for: the name a form or the API sends → the model's field.
DIAGNOSES = {"initial": "initial_diagnosis", "arrival": "arrival_diagnosis", "final": "final_diagnosis"}


@dataclass(frozen=True)
class RecordFields:
    sick_leave: bool = False
    profession: str = ""
    occupational_hazards: str = ""
    tags: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Examination:
    complaints: str
    anamnesis: str = ""
    objective_status: str = ""


@dataclass(frozen=True)
class EpicrisisText:
    course: str
    procedures: str = ""
    results: str = ""
    recommendations: str = ""
    sick_leave_from: date | None = None
    sick_leave_to: date | None = None


def writable(history: IllnessHistory) -> IllnessHistory:
    """The history locked, or a DomainError when the guest has checked out."""
    history = IllnessHistory.objects.select_for_update().get(pk=history.pk)
    if history.state == IllnessState.CLOSED:
        raise DomainError(_("Illness history %(number)s is closed.") % {"number": history.number},
                          code="illness_closed")
    return history


def optional_vitals(values: dict[str, Any]) -> dict[str, Any]:
    """The readings typed, checked against their plausible ranges; none at all is allowed."""
    typed = {name: value for name, value in values.items() if value not in (None, "")}
    return clean_vitals(typed) if typed else {}


def tidy_tags(text: str) -> str:
    return ", ".join(dict.fromkeys(word.strip() for word in text.split(",") if word.strip()))


def as_data(values: dict[str, Any]) -> dict[str, Any]:
    return {name: audit.as_data(value) for name, value in values.items()}


def stamp(history: IllnessHistory, by) -> None:
    history.updated_by = by
    history._history_user = by


@retrying_atomic
def update_record(*, by, history: IllnessHistory, fields: RecordFields) -> IllnessHistory:
    """Sets the history's own fields: sick leave, profession and occupational hazards, tags, notes."""
    policy.ensure(by, "stays.medical_record")
    history = writable(history)
    values = {**asdict(fields), "tags": tidy_tags(fields.tags)}
    values.update({name: value.strip() for name, value in values.items() if isinstance(value, str)})
    if len(values["tags"]) > IllnessHistory._meta.get_field("tags").max_length:
        raise DomainError(_("The tags are too long."), field="tags")
    before = {name: getattr(history, name) for name in values}
    for name, value in values.items():
        setattr(history, name, value)
    stamp(history, by)
    history.save(update_fields=[*values, "updated_by", "updated_at"])
    audit.record("illness.record", by=by, obj=history, patient_id=history.patient_id,
                 changes=audit.changes_between(before, values))
    return history


@retrying_atomic
def set_diagnosis(*, by, history: IllnessHistory, which: str, code: str) -> IllnessHistory:
    """Sets the initial, on-arrival or final diagnosis to an ICD-10 code of the list in use (empty removes it)."""
    policy.ensure(by, "stays.medical_record")
    field = DIAGNOSES.get(which)
    if field is None:
        raise DomainError(_("Choose the initial, on-arrival or final diagnosis."), field="which")
    history = writable(history)
    before = getattr(history, field)
    after = icd_code(code) if code.strip() else None
    setattr(history, field, after)
    stamp(history, by)
    history.save(update_fields=[field, "updated_by", "updated_at"])
    audit.record("illness.diagnosis", by=by, obj=history, patient_id=history.patient_id,
                 changes={field: [before.code if before else None, after.code if after else None]})
    return history


@retrying_atomic
def write_examination(*, by, history: IllnessHistory, examination: Examination,
                      vitals: dict[str, Any]) -> FirstExamination:
    """Writes (or corrects) the doctor's first examination; a registered history opens with it."""
    policy.ensure(by, "stays.medical_record")
    history = writable(history)
    if not examination.complaints.strip():
        raise DomainError(_("Write the guest's complaints."), field="complaints")
    values = {**{name: value.strip() for name, value in asdict(examination).items()},
              **dict.fromkeys(VITAL_FIELDS), **optional_vitals(vitals)}
    written = FirstExamination.objects.filter(illness_history=history).first()
    before = as_data({name: getattr(written, name) for name in values}) if written else {}
    if written is None:
        written = FirstExamination(illness_history=history)
    for name, value in values.items():
        setattr(written, name, value)
    written.examined_at, written.examined_by = clock.now(), by
    written._history_user = by
    written.save()
    if history.state == IllnessState.REGISTRATION:
        illness.transition(history, to=IllnessState.OPEN, by=by, reason=_("First examination"))
    audit.record("illness.examination", by=by, obj=written, patient_id=history.patient_id,
                 changes=audit.changes_between(before, as_data(values)))
    return written


@retrying_atomic
def add_diary_entry(*, by, history: IllnessHistory, day: date | None, text: str,
                    vitals: dict[str, Any]) -> DiaryEntry:
    """A doctor's or a nurse's note for a day of the stay (today when no day is given), with or without vitals."""
    policy.ensure(by, "stays.diary")
    history = writable(history)
    day = day or clock.today()
    if day > clock.today():
        raise DomainError(_("A diary entry cannot be for a day still to come."), field="day")
    if day < history.booking.start_date:
        raise DomainError(_("The stay begins on %(day)s.") % {"day": format_date(history.booking.start_date)},
                          field="day")
    readings = optional_vitals(vitals)
    if not text.strip() and not readings:
        raise DomainError(_("Write a note or enter a reading."), field="text")
    entry = DiaryEntry(illness_history=history, day=day, text=text.strip(), written_at=clock.now(), author=by,
                       **readings)
    entry._history_user = by
    entry.save()
    audit.record("illness.diary", by=by, obj=entry, patient_id=history.patient_id,
                 changes={"day": [None, audit.as_data(day)],
                          **{name: [None, audit.as_data(value)] for name, value in readings.items()}})
    return entry


@retrying_atomic
def write_epicrisis(*, by, history: IllnessHistory, text: EpicrisisText) -> Epicrisis:
    """Writes (or corrects) the closing summary of the stay, before the guest checks out."""
    policy.ensure(by, "stays.medical_record")
    history = writable(history)
    if not text.course.strip():
        raise DomainError(_("Describe the course of the stay."), field="course")
    if (text.sick_leave_from is None) != (text.sick_leave_to is None):
        raise DomainError(_("Give both days of the sick leave, or neither."), field="sick_leave_to")
    if text.sick_leave_from and text.sick_leave_from > text.sick_leave_to:
        raise DomainError(_("The sick leave ends before it begins."), field="sick_leave_to")
    values = {name: value.strip() if isinstance(value, str) else value for name, value in asdict(text).items()}
    written = Epicrisis.objects.filter(illness_history=history).first()
    before = as_data({name: getattr(written, name) for name in values}) if written else {}
    if written is None:
        written = Epicrisis(illness_history=history)
    for name, value in values.items():
        setattr(written, name, value)
    written.written_at, written.written_by = clock.now(), by
    written._history_user = by
    written.save()
    audit.record("illness.epicrisis", by=by, obj=written, patient_id=history.patient_id,
                 changes=audit.changes_between(before, as_data(values)))
    return written
