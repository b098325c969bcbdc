"""Merging two records of one person, and undoing it from the audit record the merge wrote.

The merge moves every row that points at the merged record (stays, episodes, bills, results, ... of
any app, found at run time) to the survivor in one transaction, with both patients locked. The merged
record stays as an inactive pointer (`merged_into`). The audit event lists each moved row by model,
field and id, and the survivor's fields that were filled from the merged record; `unmerge` reads it
to move exactly those rows back.

Rules that only a higher app knows (a patient never in two stays on the same night, ...) are asked through
its optional module `patient_merge.py`, with both patients locked:

    def check_merge(*, survivor: Patient, merged: Patient) -> None
        raises Conflict when the two records' rows may not belong to one patient
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hayat.core import audit, clock, policy
from hayat.core.discovery import app_modules
from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent
from hayat.patients.models import Patient
from hayat.patients.relations import patient_relations

MERGE_ACTION = "patient.merge"
CHECK_MODULE = "patient_merge"
# Blank fields of the survivor that the merged record may fill (names and gender are never overwritten).
FILLABLE = ("middle_name", "birth_date", "mobile", "home_phone", "email", "address", "region", "district", "country",
            "nationality", "birth_place", "civil_status", "occupation", "religion", "tax_id",
            "philhealth_number", "hmo_name", "hmo_number", "emergency_contact_name", "emergency_contact_phone")
PAIRED = (("document_type", "document_number"),)


@transaction.atomic
def merge(*, by: Any, survivor: Patient, merged: Patient, reason: str = "", fill_blanks: bool = True) -> AuditEvent:
    """Moves everything of `merged` to `survivor`; `merged` becomes an inactive pointer. Returns the audit event."""
    policy.ensure(by, "patients.merge")
    if survivor.pk == merged.pk:
        raise DomainError(_("Choose two different patients to merge."), code="same_patient")
    locked = {patient.pk: patient for patient in
              Patient.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk]).order_by("pk")}
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    for patient in (survivor, merged):
        if patient.is_merged:
            raise Conflict(_("%(patient)s was already merged into another record.") % {"patient": patient},
                           code="patient_merged")
        if patient.is_anonymised:
            raise Conflict(_("%(patient)s is anonymised and cannot be merged.") % {"patient": patient},
                           code="patient_anonymised")
    for module in app_modules(CHECK_MODULE):
        module.check_merge(survivor=survivor, merged=merged)

    moved = []
    for relation in patient_relations():
        rows = relation.rows_of(merged).select_for_update()
        ids = list(rows.order_by("pk").values_list("pk", flat=True))
        if not ids:
            continue
        try:
            with transaction.atomic():
                relation.model._base_manager.filter(pk__in=ids).update(**{relation.field: survivor.pk})
        except IntegrityError as error:
            raise Conflict(
                _("Both patients have %(records)s that may exist only once per patient; resolve that before "
                  "merging.") % {"records": relation.verbose_name_plural}, code="merge_collision",
            ) from error
        moved.append({"model": relation.model._meta.label, "field": relation.field, "ids": ids})

    filled = fill_from(survivor, merged) if fill_blanks else {}
    if filled:
        survivor.updated_by = by
        survivor._history_user = by
        survivor.save()
    merged.merged_into = survivor
    merged.merged_at = clock.now()
    was_active = merged.is_active
    merged.is_active = False
    merged.updated_by = by
    merged._history_user = by
    merged.save(update_fields=["merged_into", "merged_at", "is_active", "updated_by", "updated_at"])
    return audit.record(MERGE_ACTION, by=by, obj=merged, patient_id=merged.pk, note=(reason or "").strip(), changes={
        "survivor": survivor.pk, "survivor_code": survivor.code, "merged_code": merged.code,
        "merged_was_active": was_active, "moved": moved, "filled": filled,
    })


def fill_from(survivor: Patient, merged: Patient) -> dict[str, list]:
    """Copies values the survivor lacks from the merged record; {field: [old, new]} as stored data."""
    filled = {}
    for name in FILLABLE:
        attribute = Patient._meta.get_field(name).attname
        if not getattr(survivor, attribute) and getattr(merged, attribute):
            filled[attribute] = [audit.as_data(getattr(survivor, attribute)), audit.as_data(getattr(merged, attribute))]
            setattr(survivor, attribute, getattr(merged, attribute))
    for pair in PAIRED:
        if not any(getattr(survivor, name) for name in pair) and all(getattr(merged, name) for name in pair):
            for name in pair:
                filled[name] = [getattr(survivor, name), getattr(merged, name)]
                setattr(survivor, name, getattr(merged, name))
    if "district_id" in filled and "region_id" not in filled and survivor.region_id != merged.region_id:
        survivor.district_id = filled.pop("district_id")[0]
    return filled


def merge_event_of(merged: Patient) -> AuditEvent | None:
    """The audit event of the merge that made `merged` a pointer (the latest one)."""
    return (AuditEvent.objects.filter(action=MERGE_ACTION, model=Patient._meta.label, object_id=str(merged.pk))
            .order_by("-at", "-id").first())


@transaction.atomic
def unmerge(*, by: Any, merged: Patient, reason: str = "") -> Patient:
    """Undoes the latest merge of `merged`: the rows it moved go back, the record is active again.

    Rows created for the survivor after the merge stay with the survivor; rows that have since moved
    elsewhere (another merge) are left where they are and listed in the audit event. Fields the merge
    filled on the survivor are cleared again when nobody has changed them since.
    """
    policy.ensure(by, "patients.merge")
    merged = Patient.objects.select_for_update().get(pk=merged.pk)
    if not merged.is_merged:
        raise Conflict(_("%(patient)s is not a merged record.") % {"patient": merged}, code="not_merged")
    survivor = Patient.objects.select_for_update().get(pk=merged.merged_into_id)
    for patient in (merged, survivor):
        if patient.is_anonymised:
            raise Conflict(_("%(patient)s is anonymised, so this merge cannot be undone: the identifying details "
                             "it would give back are gone.") % {"patient": patient}, code="patient_anonymised")
    event = merge_event_of(merged)
    if event is None or event.changes.get("survivor") != merged.merged_into_id:
        raise Conflict(_("The audit record of this merge was not found, so it cannot be undone automatically."),
                       code="merge_record_missing")
    moved_back, left = [], []
    for entry in recorded_moves(event):
        model = apps.get_model(entry["model"])
        field = entry["field"]
        rows = model._base_manager.filter(pk__in=entry["ids"], **{field: survivor.pk})
        ids = list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))
        try:
            with transaction.atomic():
                model._base_manager.filter(pk__in=ids).update(**{field: merged.pk})
        except IntegrityError as error:
            raise Conflict(_("Some %(records)s cannot go back without breaking a rule; undo by hand.")
                           % {"records": model._meta.verbose_name_plural}, code="unmerge_collision") from error
        moved_back.append({"model": entry["model"], "field": field, "ids": ids})
        missing = sorted(set(entry["ids"]) - set(ids))
        if missing:
            left.append({"model": entry["model"], "field": field, "ids": missing})

    restored = {}
    for attribute, (old, new) in recorded_fills(event).items():
        if audit.as_data(getattr(survivor, attribute)) == new:
            setattr(survivor, attribute, old if old is not None else ("" if isinstance(new, str) else None))
            restored[attribute] = [new, old]
    if restored:
        survivor.updated_by = by
        survivor._history_user = by
        survivor.save()
    merged.merged_into = None
    merged.merged_at = None
    merged.is_active = bool(event.changes.get("merged_was_active", True))
    merged.updated_by = by
    merged._history_user = by
    merged.save(update_fields=["merged_into", "merged_at", "is_active", "updated_by", "updated_at"])
    audit.record("patient.unmerge", by=by, obj=merged, patient_id=merged.pk, note=(reason or "").strip(), changes={
        "merge_event": event.pk, "survivor": survivor.pk, "moved_back": moved_back, "left_with_survivor": left,
        "restored": restored,
    })
    return merged


def recorded_moves(event: AuditEvent) -> list[dict]:
    """The rows a merge event says it moved; refuses an event whose record is not readable."""
    moves = event.changes.get("moved", [])
    readable = isinstance(moves, list) and all(
        isinstance(entry, dict) and isinstance(entry.get("model"), str) and isinstance(entry.get("field"), str)
        and isinstance(entry.get("ids"), list) for entry in moves)
    if not readable:
        raise Conflict(_("The audit record of this merge is incomplete, so it cannot be undone automatically."),
                       code="merge_record_missing")
    return moves


FILLABLE_ATTRIBUTES = frozenset({Patient._meta.get_field(name).attname for name in FILLABLE}
                                | {name for pair in PAIRED for name in pair})


def recorded_fills(event: AuditEvent) -> dict[str, list]:
    """{attribute: [old, new]} of the survivor's fields the merge filled; anything else recorded is skipped."""
    filled = event.changes.get("filled", {})
    if not isinstance(filled, dict):
        return {}
    return {attribute: values for attribute, values in filled.items()
            if attribute in FILLABLE_ATTRIBUTES and isinstance(values, list) and len(values) == 2}
