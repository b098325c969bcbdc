"""Reads shared by the clinical pages, the API, the dashboard and other apps: constant query counts."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import timedelta
from functools import reduce

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Length
from django.utils.translation import get_language

from hayat.accounts.models import Department, User
from hayat.clinical import occupancy
from hayat.clinical.icd import looks_like_code, normalise_code, words_of
from hayat.clinical.models import (
    OPEN_STATUSES,
    BedAssignment,
    Episode,
    EpisodeDiagnosis,
    EpisodeStatus,
    IcdCode,
    IcdDepartmentMapping,
    IcdTitle,
    IcdTitleKind,
    Vitals,
)
from hayat.core import clock
from hayat.core.roles import Role
from hayat.facilities import availability
from hayat.facilities.models import Bed, Room

ICD_RESULTS = 20


# ICD-10 ---------------------------------------------------------------------------------------------------

def starts_with(field: str, prefix: str) -> Q:
    """An index-friendly prefix match. SQLite's LIKE ignores the index of a case-sensitive column, so there
    the prefix becomes a range (exact for the upper-case codes and lower-case words stored)."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field}__startswith": prefix})


@dataclass(frozen=True)
class IcdResults:
    codes: list[IcdCode]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.codes)


def icd_search(text: str, *, limit: int = ICD_RESULTS, billable_only: bool = False) -> list[IcdCode]:
    return icd_matches(text, limit=limit, billable_only=billable_only, counted=False).codes


def icd_matches(text: str, *, limit: int = ICD_RESULTS, billable_only: bool = False, language: str | None = None,
                counted: bool = True) -> IcdResults:
    """Codes for what a doctor typed, the best first. A term that looks like a code must match a code prefix
    (I21, i214, I21.4); other terms match the beginning of words of the title, of its titles in other
    languages or of its synonyms. Codes matching more of the words come first, then Hayat's common codes,
    then billable ones, then shorter titles. Each code carries `local_title`, its title in the reader's
    language when one was imported. One query for the codes, one more for the total when `counted`."""
    codes = IcdCode.objects.filter(is_active=True)
    words = [word for term in text.split() if not looks_like_code(term) for word in words_of(term)]
    prefixes = [normalise_code(term) for term in text.split() if looks_like_code(term)]
    if not words and not prefixes:
        return IcdResults(codes=[], total=0)
    for prefix in prefixes:
        codes = codes.filter(starts_with("code", prefix))
    if billable_only:
        codes = codes.filter(is_billable=True)
    if words:
        matched = Case(*[When(starts_with("words__word", word), then=Value(index))
                         for index, word in enumerate(words)])
        codes = (codes.filter(reduce(operator.or_, [starts_with("words__word", word) for word in words]))
                 .annotate(matched=Count(matched, distinct=True))
                 .order_by("-matched", "-is_common", "-is_billable", Length("title"), "code"))
    else:
        codes = codes.order_by("code")
    local = IcdTitle.objects.filter(code=OuterRef("pk"), kind=IcdTitleKind.TITLE,
                                    language=(language or get_language() or "en").split("-")[0])
    page = list(codes.annotate(local_title=Subquery(local.values("title")[:1]))[:limit])
    total = (codes.values("pk").order_by().distinct().count() if counted and len(page) == limit else len(page))
    return IcdResults(codes=page, total=total)


def icd_loaded() -> bool:
    return IcdCode.objects.exists()


def mappings() -> QuerySet[IcdDepartmentMapping]:
    return IcdDepartmentMapping.objects.select_related("department", "created_by").order_by("first", "last")


def mapping_for_code(code: str, *, candidates: list[IcdDepartmentMapping] | None = None
                     ) -> IcdDepartmentMapping | None:
    """The narrowest mapping that covers `code` (one query, or none with `candidates`)."""
    if candidates is None:
        candidates = list(IcdDepartmentMapping.objects.filter(first__lte=code).select_related("department"))
    covering = [mapping for mapping in candidates if mapping.covers(code)]
    if not covering:
        return None
    return max(covering, key=lambda mapping: (mapping.specificity, mapping.first, -len(mapping.last), mapping.pk))


def fallback_department() -> Department | None:
    return Department.objects.filter(code=settings.HAYAT_FALLBACK_DEPARTMENT, is_active=True).first()


def department_for_code(code: str) -> Department | None:
    """The department an ICD-10 code belongs to: its narrowest mapping, else the fallback department."""
    mapping = mapping_for_code(code)
    if mapping is not None and mapping.department.is_active:
        return mapping.department
    return fallback_department()


def suggested_physicians(department: Department | None, *, limit: int = 5) -> list[User]:
    """Active doctors of the department, least loaded first (open episodes they attend). One query; each
    doctor carries `.load`."""
    if department is None:
        return []
    return list(
        User.objects.filter(role=Role.DOCTOR, is_active=True, department=department)
        .annotate(load=Count("attending_episodes", filter=Q(attending_episodes__status__in=OPEN_STATUSES)))
        .select_related("department")
        .order_by("load", "full_name", "pk")[:limit]
    )


def doctors() -> QuerySet[User]:
    return User.objects.filter(role=Role.DOCTOR, is_active=True).select_related("department").order_by("full_name")


# Episodes -------------------------------------------------------------------------------------------------

def open_assignments() -> Prefetch:
    return Prefetch("bed_assignments", to_attr="open_assignments",
                    queryset=BedAssignment.objects.filter(ended_at__isnull=True)
                    .select_related("bed__room__ward"))


def episodes(*, search: str = "", status: str = "", department: int | None = None,
             physician: int | None = None) -> QuerySet[Episode]:
    """Episodes for lists and the API, newest first, with patient, physician, department and open bed."""
    queryset = Episode.objects.select_related("patient", "attending_physician", "department").prefetch_related(
        open_assignments())
    text = search.strip()
    if text:
        condition = Q(case_number__iexact=text) | Q(hospital_case_number__iexact=text) | Q(patient__code__iexact=text)
        name_terms = [term for term in text.split() if term]
        name_match = Q()
        for term in name_terms:
            name_match &= (Q(patient__last_name__icontains=term) | Q(patient__first_name__icontains=term)
                           | Q(patient__middle_name__icontains=term))
        condition |= name_match | Q(case_number__icontains=text) | Q(hospital_case_number__icontains=text)
        queryset = queryset.filter(condition)
    if status in EpisodeStatus.values:
        queryset = queryset.filter(status=status)
    elif status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    if department:
        queryset = queryset.filter(department_id=department)
    if physician:
        queryset = queryset.filter(attending_physician_id=physician)
    return queryset.order_by("-registered_at", "-id")


def queue(status: str, *, user: User | None = None) -> QuerySet[Episode]:
    """A work queue of one status for `user`: a doctor's own patients first, then the episodes of the user's
    department, then the rest; oldest first within each. Nobody's queue hides an episode."""
    return (Episode.objects.filter(status=status)
            .select_related("patient", "attending_physician", "department")
            .annotate(closeness=closeness_to(user))
            .order_by("closeness", "registered_at", "id"))


def closeness_to(user: User | None) -> Case | Value:
    """0 for the doctor's own patients, 1 for the user's department, 2 for the others."""
    ranks = []
    if user is not None and user.role == Role.DOCTOR:
        ranks.append(When(attending_physician_id=user.pk, then=Value(0)))
    if user is not None and user.department_id is not None:
        ranks.append(When(department_id=user.department_id, then=Value(1)))
    return Case(*ranks, default=Value(2)) if ranks else Value(2)


def episode_detail(pk: int) -> Episode:
    return (Episode.objects.select_related("patient", "attending_physician__department", "department", "coded_by",
                                           "created_by")
            .prefetch_related(open_assignments()).get(pk=pk))


def status_changes(episode: Episode):
    return episode.status_changes.select_related("by").order_by("at", "id")


def vitals_of(episode: Episode) -> QuerySet[Vitals]:
    return episode.vitals.select_related("recorded_by").order_by("-taken_at", "-id")


def diagnoses_of(episode: Episode) -> list[EpisodeDiagnosis]:
    """Every coding row, oldest first; each carries `.is_current`."""
    rows = list(EpisodeDiagnosis.objects.filter(episode=episode)
                .select_related("icd_code", "entered_by", "amends__icd_code")
                .annotate(amendments=Count("amended_by")).order_by("entered_at", "id"))
    for row in rows:
        row.is_current = row.amendments == 0 and row.action != "removed"
    return rows


def current_diagnoses(episode: Episode) -> QuerySet[EpisodeDiagnosis]:
    """The codes the episode carries now: rows not amended by a later row, and not removals."""
    return (EpisodeDiagnosis.objects.filter(episode=episode, amended_by__isnull=True)
            .exclude(action="removed").select_related("icd_code").order_by("rank", "entered_at", "id"))


def assignments_of(episode: Episode) -> QuerySet[BedAssignment]:
    return (episode.bed_assignments.select_related("bed__room__ward", "bed__room__building", "bed__room__room_type",
                                                   "started_by", "ended_by").order_by("started_at", "id"))


def patient_episodes(patient_id: int) -> QuerySet[Episode]:
    return (Episode.objects.filter(patient_id=patient_id)
            .select_related("attending_physician", "department").prefetch_related(open_assignments())
            .order_by("-registered_at", "-id"))


def open_episode_of(patient_id: int) -> Episode | None:
    return Episode.objects.filter(patient_id=patient_id, status__in=OPEN_STATUSES).order_by("-registered_at").first()


def free_hospital_beds(*, department: Department | None = None) -> list[Bed]:
    """Beds of hospital wards that can take a patient now, the given department's wards first: no open
    assignment, no maintenance today, a place left by today's stays (facilities' availability). A bed left
    earlier today is offered again at once, as the bed use cases accept it."""
    today = clock.today()
    tomorrow = today + timedelta(days=1)
    held = [span for provider in occupancy.other_providers() for span in provider(today, tomorrow)]
    held += occupancy.held_now(today, tomorrow)
    plans = availability.room_plans(today, tomorrow, rooms=Room.objects.filter(is_active=True, ward__isnull=False),
                                    spans=held)
    beds = list(Bed.objects.filter(pk__in=[bed for plan in plans.values() for bed in plan.free_beds()])
                .select_related("room__ward__department", "room__building")
                .order_by("room__building__code", "room__floor", "room__name", "number"))
    if department is not None:
        beds.sort(key=lambda bed: bed.room.ward.department_id != department.pk)
    return beds


def admitted_inpatients(*, limit: int = 10) -> QuerySet[Episode]:
    """Admitted patients, longest in care first, with their current bed."""
    return (Episode.objects.filter(status=EpisodeStatus.ADMITTED)
            .select_related("patient", "attending_physician", "department").prefetch_related(open_assignments())
            .order_by("admitted_at", "id")[:limit])


def queue_counts() -> dict[str, int]:
    """How many episodes wait in each open status: one query."""
    rows = (Episode.objects.filter(status__in=OPEN_STATUSES).values_list("status").annotate(count=Count("id"))
            .order_by())
    return dict(rows)
