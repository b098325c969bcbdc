"""The patient access log of pages and API answers that show several guests at once: one insert per request.

The rows are the ones hayat.core.audit.log_access writes, written together; a bulk form of log_access belongs
in core, and this function goes once core offers one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from hayat.core import audit, clock, context
from hayat.core.models import AccessLogEntry


def log_guests_access(*, by: Any, patient_ids: Iterable[int], what: str, obj: models.Model) -> None:
    """Records that `by` read the records of these patients through `obj` (a booking, usually)."""
    request = context.current()
    at, actor = clock.now(), audit.actor_label(by)
    AccessLogEntry.objects.bulk_create([
        AccessLogEntry(at=at, actor_id=getattr(by, "pk", None), actor=actor, patient_id=patient_id, what=what,
                       object_id=str(obj.pk), ip=request.ip if request else None,
                       path=request.path if request else "")
        for patient_id in sorted(set(patient_ids))
    ])
