"""Reads of the medical record shared by its pages, its API and the check-out summary."""

from __future__ import annotations

from dataclasses import dataclass

from hayat.stays import sessions
from hayat.stays.models import IllnessHistory, UsageKind


@dataclass(frozen=True)
class Treatment:
    name: str
    sessions: int


def received_treatments(history: IllnessHistory) -> list[Treatment]:
    """The guest's sessions of the tariff and extra services recorded in the stay (undone ones left out)."""
    booking = history.booking
    counts = [Treatment(count.service.name, count.used) for count in sessions.session_board(booking)
              if count.patient.pk == history.patient_id and count.used]
    extras = [Treatment(usage.service.name, usage.quantity) for usage in sessions.usages_of(booking)
              if usage.patient_id == history.patient_id and usage.kind == UsageKind.EXTRA
              and usage.reversed_at is None]
    return counts + list(reversed(extras))


def procedures_text(history: IllnessHistory) -> str:
    """What the epicrisis form proposes as the procedures received: one line per treatment."""
    return "\n".join(f"{treatment.name} × {treatment.sessions}" for treatment in received_treatments(history))
