"""Writes the audit trail and the patient access log, in the caller's transaction; each row is sealed as it is
written (hayat.core.audit_chain)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.utils import translation

from hayat.core import audit_chain, clock, context
from hayat.core.models import AccessLogEntry, AuditEvent


def record(
    action: str,
    *,
    by: Any,
    obj: models.Model | None = None,
    patient_id: int | None = None,
    changes: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """Records that `by` did `action` (e.g. "patient.merge") to `obj`."""
    event = new_event(action, by=by, obj=obj, patient_id=patient_id, changes=changes, note=note)
    event.save(force_insert=True)  # sealed as it is inserted
    return event


def new_event(action: str, *, by: Any, obj: models.Model | None = None, patient_id: int | None = None,
              changes: dict | None = None, note: str = "") -> AuditEvent:
    """The audit event `record` inserts, not saved yet."""
    request = context.current()
    return AuditEvent(
        at=clock.now(),
        actor_id=getattr(by, "pk", None),
        actor=actor_label(by),
        action=action,
        model=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        patient_id=patient_id,
        ip=request.ip if request else None,
        changes=changes or {},
        note=note,
    )


def log_access(*, by: Any, patient_id: int, what: str, obj: models.Model | None = None) -> AccessLogEntry:
    """Records one read of a patient's record. Call it from every view and API that shows patient data.

    `what` is an English label marked for translation (`gettext_lazy("lab result")`, or `gettext_noop`): it is
    stored in English, whatever language the reader uses, and the activity log shows it in the language of
    whoever reads the log.
    """
    [entry] = access_entries(by=by, patient_ids=[patient_id], what=what, obj=obj)
    entry.save(force_insert=True)
    return entry


def log_access_many(*, by: Any, patient_ids: Iterable[int], what: str, obj: models.Model | None = None) -> None:
    """Records one read of several patients' records at once (a booking's guests): one insert."""
    AccessLogEntry.objects.bulk_create(access_entries(by=by, patient_ids=sorted(set(patient_ids)), what=what, obj=obj))


def log_rows_access(*, by: Any, rows: Iterable[Any], what: str,
                    patient_ids_of: Callable[[Any], Iterable[int | None]] = lambda row: [row.patient_id]) -> None:
    """Records a read of every patient a list shows (a page of results, a board): one insert for all rows."""
    log_access_many(by=by, patient_ids=[patient_id for row in rows for patient_id in patient_ids_of(row)
                                        if patient_id is not None], what=what)


def access_log_statements(rows: int) -> int:
    """How many INSERTs `rows` access-log rows take: one, except on SQLite past its 999 parameters a statement."""
    fields = [field for field in AccessLogEntry._meta.concrete_fields if not field.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * rows) or rows
    return max(1, -(-rows // batch))


def access_entries(*, by: Any, patient_ids: Iterable[int], what: str, obj: models.Model | None
                   ) -> list[AccessLogEntry]:
    """The sealed rows of one read of these patients' records: what they share (the moment, the reader, what was
    read, from where) is worked out once, however many patients a page shows."""
    with translation.override(None):
        what = str(what)
    request = context.current()
    shared = {"at": clock.now(), "actor_id": getattr(by, "pk", None), "actor": actor_label(by), "what": what,
              "object_id": str(obj.pk) if obj is not None else "", "ip": request.ip if request else None,
              "path": request.path if request else ""}
    entries = [AccessLogEntry(patient_id=patient_id, **shared) for patient_id in patient_ids]
    for entry in entries:
        audit_chain.stamp(entry)
    return entries


def rewrite_details(events: list[AuditEvent]) -> None:
    """Stores the rewritten `changes` and `note` of `events` (anonymising a patient may erase what they held), the
    only columns of the trail that may change, and records which events were rewritten: their sealed digest no
    longer matches, and this record, sealed too, tells the verifier why."""
    if not events:
        return
    AuditEvent.objects.bulk_update(events, ["changes", "note"], batch_size=500)
    record(audit_chain.REWRITE_ACTION, by=None, changes={"events": sorted(event.pk for event in events)})


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: as_data(getattr(obj, name)) for name in fields}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{"field": [old, new]} for every field whose value differs."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def as_data(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime | date | Decimal):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "url"):  # a stored file
        return value.name or ""
    return value


def actor_label(by: Any) -> str:
    if by is None or not getattr(by, "is_authenticated", False):
        return "system"
    return f"{by.get_username()} ({by.get_full_name()})"
