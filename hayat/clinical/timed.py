"""Starting and stopping time-charged services on an inpatient (oxygen, a ventilator, a monitor, an incubator).

Billing derives one growing line per use from these facts, like bed time. A discharge stops every running use.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hayat.catalog.models import Service
from hayat.clinical.models import Episode, EpisodeStatus, TimedUse
from hayat.clinical.signals import timed_use_undone
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.transactions import retrying_atomic


def timed_services() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True, charged_by_time=True).order_by("name")


def uses_of(episode: Episode) -> QuerySet[TimedUse]:
    return episode.timed_uses.select_related("service", "started_by", "ended_by", "reversed_by").order_by(
        "started_at", "id")


@retrying_atomic
def start_use(*, by: Any, episode: Episode, service: Service) -> TimedUse:
    """Starts a time-charged service on an admitted patient; one running use of a service at a time."""
    policy.ensure(by, "clinical.timed_use")
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if episode.status != EpisodeStatus.ADMITTED:
        raise Conflict(_("Only an admitted patient's episode can have %(service)s started.") % {"service": service},
                       code="not_admitted")
    if not (service.is_active and service.charged_by_time):
        raise DomainError(_("%(service)s is not a service charged by time.") % {"service": service},
                          field="service")
    key = f"{episode.pk}:{service.pk}"
    if TimedUse.objects.filter(open_key=key).exists():
        raise Conflict(_("%(service)s is already running for this patient.") % {"service": service},
                       code="already_running")
    use = TimedUse.objects.create(episode=episode, service=service, started_at=clock.now(), rate=service.price,
                                  started_by=by, open_key=key)
    audit.record("episode.timed_use_start", by=by, obj=use, patient_id=episode.patient_id,
                 changes={"service": [None, service.name]})
    return use


def end(use: TimedUse, *, at: datetime, by: Any) -> TimedUse:
    """Stops a running use at `at` (never before it began). The caller holds the episode's lock."""
    use.ended_at, use.ended_by, use.open_key = max(at, use.started_at), by, None
    use.save(update_fields=["ended_at", "ended_by", "open_key"])
    audit.record("episode.timed_use_stop", by=by, obj=use, patient_id=use.episode.patient_id,
                 changes={"ended_at": [None, audit.as_data(use.ended_at)]})
    return use


@retrying_atomic
def stop_use(*, by: Any, use: TimedUse) -> TimedUse:
    policy.ensure(by, "clinical.timed_use")
    Episode.objects.select_for_update().get(pk=use.episode_id)
    use = TimedUse.objects.select_related("episode").get(pk=use.pk)
    if not use.is_open:
        raise Conflict(_("%(service)s was already stopped.") % {"service": use.service}, code="already_stopped")
    return end(use, at=clock.now(), by=by)


def undoable_until(use: TimedUse) -> datetime:
    return use.started_at + timedelta(minutes=settings.HAYAT_UNDO_MINUTES)


def may_undo(use: TimedUse, user: Any) -> bool:
    """Whether the page offers this user an Undo for the use (the service checks every rule again)."""
    return (not use.is_reversed and use.started_by_id == getattr(user, "pk", None)
            and clock.now() <= undoable_until(use))


@retrying_atomic
def undo_start(*, by: Any, use: TimedUse) -> TimedUse:
    """Reverses a start made by mistake: only the person who started it, within HAYAT_UNDO_MINUTES, while the
    patient is admitted and before the bill is paid (billing's receiver of `timed_use_undone` says so).

    Nothing is deleted: the use ends now if it runs, is marked undone (who, when) and counts no more; a line
    already on the bill gets a correcting line of the opposite amount. Undoing an undone use changes nothing.
    """
    policy.ensure(by, "clinical.timed_use")
    episode = Episode.objects.select_for_update().get(pk=use.episode_id)
    use = TimedUse.objects.select_related("service").get(pk=use.pk)
    if use.is_reversed:
        return use
    if use.started_by_id != by.pk:
        raise Conflict(_("Only the person who started %(service)s can undo it; ask the teller to correct the bill.")
                       % {"service": use.service}, code="not_starter")
    if clock.now() > undoable_until(use):
        raise Conflict(_("%(service)s was started more than %(minutes)d minutes ago and can no longer be undone; "
                         "stop it, and ask the teller to correct the bill.")
                       % {"service": use.service, "minutes": settings.HAYAT_UNDO_MINUTES}, code="undo_too_late")
    if episode.status != EpisodeStatus.ADMITTED:
        raise Conflict(_("The patient is no longer admitted: ask the teller to correct the bill."),
                       code="not_admitted")
    now = clock.now()
    use.ended_at, use.open_key = use.ended_at or max(now, use.started_at), None
    use.ended_by = use.ended_by or by
    use.reversed_at, use.reversed_by = now, by
    use.save(update_fields=["ended_at", "ended_by", "open_key", "reversed_at", "reversed_by"])
    audit.record("episode.timed_use_undone", by=by, obj=use, patient_id=episode.patient_id,
                 note=str(use.service), changes={"undone": [False, True]})
    timed_use_undone.send(sender=Episode, episode=episode, use=use, by=by)
    return use


def stop_all(episode: Episode, *, at: datetime, by: Any) -> None:
    """A discharge stops every running use at the discharge time (the caller holds the episode's lock)."""
    for use in episode.timed_uses.filter(ended_at__isnull=True).select_related("episode"):
        end(use, at=at, by=by)
