"""Episodes lend patient search three filters (see hayat.patients.hooks): admitted on a day, visited
between two days, and a case number typed into the search box."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from hayat.clinical.models import Episode, EpisodeStatus
from hayat.facilities.availability import midnight


def with_active_stay(*, on: date) -> QuerySet:
    """Patients admitted (inpatient) on that day."""
    day_start, day_end = midnight(on), midnight(on + timedelta(days=1))
    return (Episode.objects.filter(admitted_at__lt=day_end, admission_type="inpatient")
            .filter(Q(discharged_at__isnull=True, status=EpisodeStatus.ADMITTED) | Q(discharged_at__gte=day_start))
            .values("patient_id"))


def visited_between(*, start: date | None, end: date | None) -> QuerySet:
    """Patients with an episode (not cancelled) touching a day from start to end, both included."""
    episodes = Episode.objects.exclude(status=EpisodeStatus.CANCELLED)
    if end is not None:
        episodes = episodes.filter(registered_at__lt=midnight(end + timedelta(days=1)))
    if start is not None:
        episodes = episodes.filter(Q(discharged_at__isnull=True) | Q(discharged_at__gte=midnight(start)))
        episodes = episodes.exclude(status=EpisodeStatus.DISCHARGED, discharged_at__isnull=True)
    return episodes.values("patient_id")


def matching_number(*, text: str) -> QuerySet:
    return Episode.objects.filter(Q(case_number__iexact=text) | Q(hospital_case_number__iexact=text)).values(
        "patient_id")
