"""Reads of lab results shared by pages, the API, the patient page and the dashboard."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from hayat.clinical.models import Episode
from hayat.clinical.models.episodes import OPEN_STATUSES
from hayat.core import clock
from hayat.core.params import id_from
from hayat.lab.models import Attachment, AttachmentGroup, LabResult, LabTestType
from hayat.patients.models import Patient
from hayat.patients.names import word_key
from hayat.stays.models import IN_HOUSE, Booking

MAX_SEARCH_WORDS = 6


def results(*, search: str = "", patient_id: int | None = None, test_type_id: int | None = None,
            performed_from: date | None = None, performed_to: date | None = None,
            episode_id: int | None = None, booking_id: int | None = None) -> QuerySet[LabResult]:
    """Results, newest first, with what a list shows (patient, test type, performer, number of files).

    The number of files is a subquery per row, so that a page of results counts only its own files (a join
    and GROUP BY would count the files of every result before the page is cut).

    `search` finds a result by its id (`123` or `#123`), its code, the patient's code, or any words of
    the patient's name in Cyrillic or Latin spelling (every word must match), or the test type.
    """
    queryset = (LabResult.objects.select_related("patient", "test_type", "performed_by", "episode", "booking")
                .annotate(file_count=file_count()))
    for word in search.split()[:MAX_SEARCH_WORDS]:
        queryset = queryset.filter(matches(word))
    if patient_id:
        queryset = queryset.filter(patient_id=patient_id)
    if test_type_id:
        queryset = queryset.filter(test_type_id=test_type_id)
    if episode_id:
        queryset = queryset.filter(episode_id=episode_id)
    if booking_id:
        queryset = queryset.filter(booking_id=booking_id)
    if performed_from:
        queryset = queryset.filter(performed_at__gte=start_of(performed_from))
    if performed_to:
        queryset = queryset.filter(performed_at__lt=start_of(performed_to, next_day=True))
    return queryset.order_by("-performed_at", "-id")


def file_count() -> Coalesce:
    files = (Attachment.objects.filter(group__result=OuterRef("pk")).order_by().values("group__result")
             .annotate(count=Count("pk")).values("count"))
    return Coalesce(Subquery(files), 0)


def matches(word: str) -> Q:
    bare = word.lstrip("#")
    condition = Q(code__iexact=bare) | Q(patient__code__iexact=bare)
    condition |= Q(test_type__code__iexact=bare) | Q(test_type__name__icontains=word)
    if (pk := id_from(bare)) is not None:
        condition |= Q(pk=pk)
    key = word_key(word)
    if key:
        condition |= Q(patient__search_text__contains=key)
    return condition


def list_scope(*, patient_id: int | None, episode_id: int | None, booking_id: int | None) -> dict:
    """The patient, episode and stay a result list is narrowed to, to name them above the list."""
    return {"patient": Patient.objects.filter(pk=patient_id).first() if patient_id else None,
            "episode": Episode.objects.filter(pk=episode_id).first() if episode_id else None,
            "booking": Booking.objects.filter(pk=booking_id).first() if booking_id else None}


def start_of(day: date, next_day: bool = False) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1) if next_day else day, time.min))


def result_with_album(pk: int) -> LabResult:
    """One result with its groups and their files in upload order, in a fixed number of queries."""
    files = Attachment.objects.order_by("position", "id")
    groups = (AttachmentGroup.objects.select_related("uploaded_by").order_by("position", "id")
              .prefetch_related(Prefetch("files", queryset=files)))
    return (LabResult.objects.select_related("patient", "test_type", "performed_by", "created_by", "updated_by",
                                             "episode", "booking")
            .prefetch_related(Prefetch("groups", queryset=groups))
            .get(pk=pk))


def results_for_patient(patient_id: int, limit: int = 20) -> list[LabResult]:
    return list(results(patient_id=patient_id)[:limit])


def attachment(pk: int) -> Attachment:
    return Attachment.objects.select_related("group__result").get(pk=pk)


def recent_results(limit: int = 5) -> list[LabResult]:
    return list(results()[:limit])


def test_types(*, active_only: bool = False, counted: bool = False) -> QuerySet[LabTestType]:
    """Test types by name; `counted` adds how many results each has (a count over every result: the set-up
    page wants it, the result list's filter does not)."""
    queryset = LabTestType.objects.annotate(result_count=Count("results")) if counted else LabTestType.objects.all()
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("name")


def history(result: LabResult, limit: int = 20):
    return (result.history.select_related("history_user", "test_type", "performed_by")
            .order_by("-history_date", "-history_id")[:limit])


def count_recorded_today() -> int:
    today = clock.today()
    return LabResult.objects.filter(performed_at__gte=start_of(today), performed_at__lt=start_of(today, True)).count()


def episodes_of(patient_id: int | None) -> QuerySet[Episode]:
    """The patient's episodes a result may belong to, newest first."""
    return Episode.objects.filter(patient_id=patient_id).order_by("-registered_at", "-id")


def bookings_of(patient_id: int | None) -> QuerySet[Booking]:
    """The stays the patient is (or was) a guest of, newest first."""
    lines = Booking.objects.filter(lines__patient_id=patient_id, lines__removed_at__isnull=True)
    return Booking.objects.filter(pk__in=lines.values("pk")).order_by("-start_date", "-id")


def current_links(patient_id: int) -> dict:
    """The open episode and the stay the patient is in the house for, to suggest for a new result."""
    return {"episode": episodes_of(patient_id).filter(status__in=OPEN_STATUSES).first(),
            "booking": bookings_of(patient_id).filter(status__in=IN_HOUSE).first()}
