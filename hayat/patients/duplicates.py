"""Finds patients who may be the person being registered or edited, and says why each one matched.

Exact signals (same normalised phone, same document, same name and date of birth) come from indexed
lookups; fuzzy name matches come from small indexed pools ranked by `names.similarity`, so the check stays
fast at a million rows. Each pool is targeted and ordered rather than a slice of everyone sharing a letter:
everyone born that day; the same first name with a last name that starts alike, nearest spellings first
(and the other way round, and with the names swapped). A common name at a million patients can fill a pool,
but the real match sits at its head. The same pools serve every engine: a trigram pool on PostgreSQL found no
more planted duplicates in bench/patients_search.py and cost 1.5 s per registration at a million patients.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from hayat.patients.models import Patient
from hayat.patients.names import document_key, similarity, word_key
from hayat.patients.validation import PatientData

FUZZY_THRESHOLD = 86
POOL_LIMIT = 200  # rows per pool (and per side of a two-sided pool)
MAX_CANDIDATES = 10
SIGNAL_LIMIT = 50

REASONS = {
    "phone": _("same phone number"),
    "document": _("same identity document"),
    "name_birth_date": _("same name and date of birth"),
    "similar_name": _("similar name"),
}


@dataclass
class Candidate:
    patient: Patient
    reasons: list[str] = field(default_factory=list)
    score: float = 0.0

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[reason]) for reason in self.reasons]


def prefix_range(column: str, prefix: str) -> Q:
    """`column` starts with `prefix`, as a range an ordinary index serves on every engine.

    The column holds only a-z (name keys) or only 0-9 (phone tails); the upper bound stays inside that
    alphabet, because collations disagree on where signs like "{" or ":" sort.
    """
    condition = Q(**{f"{column}__gte": prefix})
    upper = following(prefix)
    return condition & Q(**{f"{column}__lt": upper}) if upper else condition


def ids_of_arms(arms: list[QuerySet]) -> RawSQL:
    """The ids of the rows of every arm (each may be ordered and sliced), as one subquery for `pk__in`.

    Each arm is a derived table, since SQLite allows no ORDER BY and LIMIT in the arms of a UNION and MariaDB
    none in an IN subquery; one query instead of one per arm."""
    compiled = [arm.values("id").query.sql_with_params() for arm in arms]
    sql = " UNION ".join(f"SELECT arm{number}.id FROM ({arm_sql}) arm{number}"  # noqa: S608 (the ORM's own SQL)
                         for number, (arm_sql, _params) in enumerate(compiled))
    return RawSQL(sql, [param for _sql, params in compiled for param in params])  # noqa: S611 (the same)


def following(prefix: str) -> str:
    """The first string after every string that starts with `prefix` ("yuz" -> "yv", "129" -> "13")."""
    chars = list(prefix)
    while chars:
        last = chars.pop()
        if last not in "9z":
            return "".join(chars) + chr(ord(last) + 1)
    return ""


def find(data: PatientData, *, exclude: Patient | None = None) -> list[Candidate]:
    """Patients who may be the person in `data` (already cleaned), strongest first; merged ones are skipped."""
    base = Patient.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
    if exclude is not None and exclude.pk:
        base = base.exclude(pk=exclude.pk)
    last, first = word_key(data.last_name), word_key(data.first_name)
    full = " ".join(key for key in (last, first, word_key(data.middle_name)) if key)
    reasons: dict[int, list[str]] = {}

    def add(ids, reason: str) -> None:
        for pk in ids:
            found = reasons.setdefault(pk, [])
            if reason not in found:
                found.append(reason)

    phones = [number for number in (data.mobile, data.home_phone) if number]
    if phones:
        add(ids_of(Q(mobile__in=phones)), "phone")
        add(ids_of(Q(home_phone__in=phones)), "phone")
    if data.document_number:
        add(ids_of(Q(document_key=document_key(data.document_number))), "document")
    if data.birth_date and last and first:
        add(ids_of(Q(last_name_key=last, first_name_key=first, birth_date=data.birth_date)), "name_birth_date")
    add(fuzzy(base, data, last, first, full), "similar_name")
    if not reasons:
        return []
    patients = base.filter(pk__in=list(reasons)).select_related("region", "district")
    candidates = [Candidate(patient, reasons[patient.pk], name_score(full, last, first, patient.last_name_key,
                                                                     patient.first_name_key, patient.middle_name_key))
                  for patient in patients]
    # Among namesakes, the one born on the same day is the likelier duplicate.
    candidates.sort(key=lambda candidate: (-len(candidate.reasons), candidate.patient.birth_date != data.birth_date,
                                           -candidate.score, candidate.patient.pk))
    return candidates[:MAX_CANDIDATES]


# Initials that spellings of one name start with (Jusupov/Yusupov/Iusupov, Khasanov/Gasanov, ...).
INITIAL_GROUPS = ("jyie", "hkg", "scz", "uo", "vbw")


def initials(key: str) -> set[str]:
    letter = key[:1]
    group = next((group for group in INITIAL_GROUPS if letter in group), letter)
    return set(group)


def name_score(full: str, last: str, first: str, other_last: str, other_first: str, other_middle: str) -> float:
    """Similarity of two names; a middle name given on one side only does not count against the match."""
    other_short = f"{other_last} {other_first}".strip()
    other_full = f"{other_short} {other_middle}".strip()
    return max(similarity(full, other_full), similarity(f"{last} {first}", other_short))


def ids_of(condition: Q) -> list[int]:
    """Ids for one exact signal, merged and anonymised records included (`find` drops them at the end).

    The lookup stands alone, on one indexed column and unordered: combined with the other filters or with an
    OR, SQLite's statistics (most home phones and merge pointers are blank) make it scan the whole table.
    """
    return list(Patient.objects.filter(condition).order_by().values_list("pk", flat=True)[:SIGNAL_LIMIT])


POOL_COLUMNS = ("pk", "last_name_key", "first_name_key", "middle_name_key", "birth_date")


def fuzzy(base, data: PatientData, last: str, first: str, full: str) -> list[int]:
    if not (last and first):
        return []
    pools = name_pools(base, last, first)
    if data.birth_date:
        pools.insert(0, base.filter(birth_date=data.birth_date).order_by("pk"))
    rows = {pk: keys for pk, *keys in read_pools(base, pools, POOL_COLUMNS)}
    matches = []
    for pk, (other_last, other_first, other_middle, born) in rows.items():
        score = name_score(full, last, first, other_last, other_first, other_middle)
        born_apart = data.birth_date and born and data.birth_date != born
        if score >= FUZZY_THRESHOLD + (6 if born_apart else 0):
            matches.append(pk)
    return matches


def read_pools(base: QuerySet, pools: list[QuerySet], columns: tuple[str, ...]) -> list[tuple]:
    """`columns` of the first POOL_LIMIT rows of each pool, in one query."""
    if not pools:
        return []
    return list(base.filter(pk__in=ids_of_arms([pool[:POOL_LIMIT] for pool in pools])).order_by()
                .values_list(*columns))


def name_pools(base: QuerySet, last: str, first: str) -> list[QuerySet]:
    """Ordered pools of people whose names may be `last first`: one name key equal and the other starting
    with the same letter (nearest spellings first), for both names and with the names swapped. Slice each
    pool; the best candidates come first."""
    pools = []
    for one, other in ((last, first), (first, last)):  # names the other way round are common at a busy desk
        pools += nearest(base.filter(first_name_key=other), "last_name_key", one)
        pools += nearest(base.filter(last_name_key=one), "first_name_key", other)
    return pools


def starting_alike(column: str, key: str) -> Q:
    """`column` starts with the first letter of `key` in any of its spellings (a typo anywhere after it keeps
    the name in the range; `nearest` puts the closest spellings first)."""
    alike = Q(pk__in=[])
    for initial in initials(key):
        alike |= prefix_range(column, initial)
    return alike


def nearest(queryset: QuerySet, column: str, key: str) -> list[QuerySet]:
    """Rows whose `column` starts like `key` (any spelling of its first letter), in index order outwards from
    `key`: the keys after it ascending and those before it descending."""
    starting = queryset.filter(starting_alike(column, key))
    return [starting.filter(**{f"{column}__gte": key}).order_by(column, "pk"),
            starting.filter(**{f"{column}__lt": key}).order_by(f"-{column}", "-pk")]
