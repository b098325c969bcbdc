"""The activity log in plain words: the record's name with a link, field labels instead of column names, names
instead of ids, dates in the reader's format, and no change that only moved a moment to another time zone.

The audit table stores model labels, ids and raw values on purpose (hayat.core.audit, ADR 0003): this module
reads them back for people, with one query per kind of record on the page, whatever the page's length.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from hayat.core.formats import format_datetime
from hayat.core.models import AuditEvent

# Bookkeeping of files and secrets: true, but nothing a person reads in a log.
HIDDEN_FIELDS = ("checksum", "sha256", "hash", "password", "storage_name")
MISSING = "–"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    event: AuditEvent
    record_type: str = ""
    record_name: str = ""
    record_url: str = ""
    changes: list[Change] = field(default_factory=list)


def entries(events: list[AuditEvent]) -> list[Entry]:
    models_by_label = {label: model for label in {event.model for event in events} if (model := model_of(label))}
    records = fetch({(models_by_label[event.model], event.object_id)
                     for event in events if event.model in models_by_label})
    referenced = fetch({(target, value) for event in events if event.model in models_by_label
                        for name, change in changes_of(event)
                        if (target := foreign_model(models_by_label[event.model], name))
                        for value in change if value not in (None, "")})
    return [entry_of(event, models_by_label.get(event.model), records, referenced) for event in events]


def entry_of(event: AuditEvent, model, records: dict, referenced: dict) -> Entry:
    entry = Entry(event=event)
    if model is None:
        entry.record_name = f"{event.model} {event.object_id}".strip()
        entry.changes = [Change(name.replace("_", " "), plain(old), plain(new)) for name, (old, new) in
                         changes_of(event) if not hidden(name) and not same_moment(old, new)]
        return entry
    entry.record_type = capfirst(str(model._meta.verbose_name))
    record = records.get((model, str(event.object_id)))
    if record is not None:
        entry.record_name, entry.record_url = name_of(record), url_of(record)
    elif event.object_id:
        entry.record_name = _("%(id)s (no longer exists)") % {"id": event.object_id}
    for name, (old, new) in changes_of(event):
        if hidden(name) or same_moment(old, new):
            continue
        entry.changes.append(Change(label_of(model, name), value_of(model, name, old, referenced),
                                    value_of(model, name, new, referenced)))
    return entry


def changes_of(event: AuditEvent) -> list[tuple[str, tuple]]:
    changes = event.changes if isinstance(event.changes, dict) else {}
    return [(name, tuple(change)) for name, change in changes.items()
            if isinstance(change, list | tuple) and len(change) == 2]


def model_of(label: str):
    try:
        return apps.get_model(label) if label else None
    except (LookupError, ValueError):
        return None


def fetch(wanted: set[tuple[type[models.Model], object]]) -> dict[tuple[type[models.Model], str], models.Model]:
    """{(model, "id"): record} with one query per model."""
    ids = defaultdict(set)
    for model, value in wanted:
        if str(value).isdigit():
            ids[model].add(int(value))
    return {(model, str(pk)): record for model, pks in ids.items()
            for pk, record in model._base_manager.in_bulk(list(pks)).items()}


def model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist, or a name the audit wrote for itself
        return None


def foreign_model(model, name: str):
    found = model_field(model, name)
    return found.related_model if found is not None and found.many_to_one else None


def label_of(model, name: str) -> str:
    found = model_field(model, name)
    return capfirst(str(getattr(found, "verbose_name", "") or name.replace("_", " ")))


def value_of(model, name: str, value, referenced: dict) -> str:
    if value in (None, ""):
        return MISSING
    found = model_field(model, name)
    if found is not None and found.many_to_one:
        record = referenced.get((found.related_model, str(value)))
        return name_of(record) if record is not None else _("%(id)s (no longer exists)") % {"id": value}
    if found is not None and found.choices:
        return str(dict(found.flatchoices).get(value, value))
    return plain(value)


def plain(value) -> str:
    if value in (None, "") or value == [] or value == {}:
        return MISSING
    if isinstance(value, dict | list):
        return summary(value) or MISSING
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    moment = as_moment(value)
    return format_datetime(moment) if moment is not None else str(value)


def summary(value) -> str:
    """A stored group of values in words: its name or description, then what it holds ("CBC printout ·
    cbc-report.pdf, page-2.jpg"); ids, checksums and storage names left out."""
    if isinstance(value, list):
        return ", ".join(part for part in (summary(item) for item in value) if part)
    if not isinstance(value, dict):
        return str(value)
    parts = [str(value[key]) for key in ("name", "description", "title") if value.get(key)]
    parts += [summary(inner) for inner in value.values() if isinstance(inner, list | dict)]
    return " · ".join(part for part in parts if part)


def as_moment(value) -> datetime | None:
    if not isinstance(value, str) or "T" not in value and ":" not in value:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def same_moment(old, new) -> bool:
    """09:10+00:00 → 14:10+05:00 is one moment written in two zones: no change at all."""
    before, after = as_moment(old), as_moment(new)
    return before is not None and after is not None and before == after


def hidden(name: str) -> bool:
    return any(word in name for word in HIDDEN_FIELDS)


def name_of(record: models.Model) -> str:
    """A patient is named by their code: the log is read by Admins who did not open the patient's record."""
    code = getattr(record, "code", None) if record._meta.label == "patients.Patient" else None
    return str(code or record)


def url_of(record: models.Model) -> str:
    try:
        return record.get_absolute_url()
    except (AttributeError, NoReverseMatch, TypeError):
        return ""
