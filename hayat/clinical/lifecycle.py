"""The episode lifecycle: one table of allowed status changes and the one function that makes them.

pending → ready_for_coding → admitted (inpatient, with a bed) or outpatient → discharged.
ready_for_coding can go back to pending (the coder returns the case to the doctor); pending and
ready_for_coding can be cancelled. ready_for_coding is never skipped.
"""

from __future__ import annotations

from typing import Any

from hayat.clinical.models import Episode, EpisodeStatus, EpisodeStatusChange
from hayat.clinical.signals import episode_status_changed
from hayat.core import audit, clock
from hayat.core.lifecycle import Lifecycle

S = EpisodeStatus

EPISODE = Lifecycle(
    "episode",
    {
        S.PENDING: {S.READY_FOR_CODING, S.CANCELLED},
        S.READY_FOR_CODING: {S.ADMITTED, S.OUTPATIENT, S.PENDING, S.CANCELLED},
        S.ADMITTED: {S.DISCHARGED},
        S.OUTPATIENT: {S.DISCHARGED},
        S.DISCHARGED: set(),
        S.CANCELLED: set(),
    },
    dict(EpisodeStatus.choices),
)


def transition(episode: Episode, *, to: str, by: Any, reason: str = "", at=None) -> EpisodeStatusChange:
    """Moves a locked episode to `to` if the table allows it, writes the history row, audits it and tells
    billing (signal, same transaction). The caller sets the fields that belong to the new status first."""
    EPISODE.check(episode.status, to)
    from_status = episode.status
    episode.status = to
    episode.updated_by = by
    episode.save()
    change = EpisodeStatusChange.objects.create(episode=episode, at=at or clock.now(), by=by,
                                                from_status=from_status, to_status=to, reason=reason)
    audit.record("episode.status", by=by, obj=episode, patient_id=episode.patient_id,
                 changes={"status": [from_status, to]}, note=reason)
    episode_status_changed.send(sender=Episode, episode=episode, from_status=from_status, to_status=to, by=by)
    return change


def record_first_status(episode: Episode, *, by: Any) -> EpisodeStatusChange:
    """The history row of a new episode (status pending), and the signal with from_status "" for it."""
    change = EpisodeStatusChange.objects.create(episode=episode, at=episode.registered_at, by=by, from_status="",
                                                to_status=episode.status, reason="")
    episode_status_changed.send(sender=Episode, episode=episode, from_status="", to_status=episode.status, by=by)
    return change
