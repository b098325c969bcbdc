"""Reads of patients shared by the pages, the API, the picker and the benchmark.

`search()` is the one patient search: a single box (name parts in any order and any script, phone
digits, code, document, email, booking/case number through hooks) plus filters. Name parts match
prefixes of the indexed name keys; on PostgreSQL, a trigram index also serves the phone digits (see migration
0002). "Did you mean" finds the nearest spellings in the vocabulary of names (vocabulary.py), then the patients.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product

from django.apps import apps
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hayat.core import clock
from hayat.core.codes import UNAMBIGUOUS
from hayat.core.counting import estimated_count
from hayat.core.models import AccessLogEntry, AuditEvent
from hayat.core.policy import can
from hayat.patients import hooks, phones, vocabulary
from hayat.patients.duplicates import ids_of_arms, prefix_range, read_pools
from hayat.patients.models import NAME_KEY_FIELDS, District, Patient, Region
from hayat.patients.names import document_key, name_key, similarity

CODE = re.compile(rf"^[{UNAMBIGUOUS}]{{5}}$")
PHONE_LIKE = re.compile(r"^[\d\s+()\-.]+$")
MIN_PHONE_DIGITS = 4
EXACT_LIMIT = 2000
NAME_CANDIDATES = 200
# Each name column in the order of an index that starts with it (patient_name_dob, patient_first_last and
# patient_middle_last; id last, as SQLite and MariaDB keep it in every index and PostgreSQL sorts the few ties).
NAME_ORDERS = (("last_name_key", "first_name_key", "birth_date", "id"), ("first_name_key", "last_name_key", "id"),
               ("middle_name_key", "last_name_key", "id"))
# Each pair of name columns in the order of an index that holds both (patient_name_dob, patient_first_middle and
# patient_middle_last): ordering a pair's matches so makes SQLite read them through that index.
PAIR_ORDERS = (("last_name_key", "first_name_key", "id"), ("first_name_key", "middle_name_key", "id"),
               ("middle_name_key", "last_name_key", "id"))
FUZZY_THRESHOLD = 70
NAMESAKES = 50  # patients read per combination of spellings ("did you mean")


@dataclass
class PatientFilters:
    """Advanced filters; every field optional. `status`: "" (not merged), active, inactive, merged, all."""

    gender: str = ""
    age_min: int | None = None
    age_max: int | None = None
    region: int | None = None
    district: int | None = None
    registered_from: date | None = None
    registered_to: date | None = None
    active_stay: bool | None = None
    last_visit_from: date | None = None
    last_visit_to: date | None = None
    status: str = ""


def search(query: str = "", filters: PatientFilters | None = None) -> QuerySet[Patient]:
    """Patients matching the box and the filters, ordered by name (or newest first without a query)."""
    filters = filters or PatientFilters()
    query = (query or "").strip()
    # A code finds its record even when it was merged: the page then leads to the survivor.
    code = query.upper() if CODE.match(query.upper()) else ""
    queryset = apply_filters(Patient.objects.select_related("region", "district", "merged_into"), filters,
                             merged_code=code)
    if not query:
        return queryset.order_by("-created_at", "-id")
    keys = name_keys(query)
    if not keys:
        return queryset.filter(pk__in=exact_ids(query)).order_by("last_name_key", "first_name_key", "id")
    return (queryset.filter(pk__in=name_candidates(queryset, keys, also=exact_ids(query)))
            .order_by("last_name_key", "first_name_key", "id"))


def text_condition(query: str) -> Q:
    """What the search box means: name parts, or any of code, phone, document, email, booking/case number.

    The exact lookups are resolved to ids first, so the ordered, paginated query never scans for them.
    """
    condition = Q(pk__in=exact_ids(query))
    keys = name_keys(query)
    if keys:
        condition |= name_condition(keys)
    return condition


def name_candidates(within: QuerySet[Patient], keys: list[str], *, also: list[int]) -> RawSQL:
    """Ids of at most a few hundred patients in `within` whose names match `keys` (and `also`, the exact matches),
    so that the page sorts and counts those rather than every match: a common name ("Yusu" at a million
    patients: 60,000 people) costs the same as a rare one; a search reaching the bound says so (`capped`).

    One word is read as NAME_CANDIDATES rows through each of the last, first and middle name, each in the order
    of an index that starts with it, so the first names in the alphabet come first. Several words are read as
    pairs of names, each through an index holding both (word_pair_arms).
    An OR with the exact ids would make PostgreSQL filter every row: they are one more arm."""
    arms = name_arms(within.order_by(), keys)
    if also:
        arms.append(Patient.objects.filter(pk__in=also))
    return ids_of_arms(arms)


def name_arms(within: QuerySet[Patient], keys: list[str]) -> list[QuerySet[Patient]]:
    if len(keys) > 1:
        return word_pair_arms(within, keys)
    return [within.filter(prefix_range(order[0], keys[0])).order_by(*order)[:NAME_CANDIDATES] for order in NAME_ORDERS]


def word_pair_arms(within: QuerySet[Patient], keys: list[str]) -> list[QuerySet[Patient]]:
    """Several words: one arm per pair of names the first two words may be (the others filtered as name_condition
    does), together exactly name_condition. Each arm is read in the order of an index holding both names
    (PAIR_ORDERS), which checks the second word in the index rather than one word's tens of thousands of rows in the
    table; the two words as one name is an arm only when one starts the other. Each arm reads up to as many rows as
    the whole search did before (NAME_CANDIDATES per name), so none misses a match of a search below the bound."""
    first, second, *others = keys
    rest = name_condition(others)
    return [within.filter(prefix_range(one, first) & prefix_range(other, second) & rest)
            .order_by(*pair_order(one, other))[:NAME_CANDIDATES * len(NAME_ORDERS)]
            for one, other in product(NAME_KEY_FIELDS, NAME_KEY_FIELDS)
            if one != other or first.startswith(second) or second.startswith(first)]


def pair_order(one: str, other: str) -> tuple[str, ...]:
    return (one, "id") if one == other else next(order for order in PAIR_ORDERS if {one, other} == set(order[:2]))


def capped(count: int) -> bool:
    """Whether a search found so many names that more may match than it read (see name_candidates)."""
    return count >= NAME_CANDIDATES


def name_keys(query: str) -> list[str]:
    """The name key of each word, when the query reads as a name (letters only)."""
    if any(char.isdigit() for char in query) or "@" in query:
        return []
    words = query.split()
    keys = [key for key in (name_key(word).replace(" ", "") for word in words) if key]
    return keys if len(keys) == len(words) else []


def exact_ids(query: str) -> list[int]:
    """Ids of the patients the query names by code, phone, document, email or another app's number.

    One query, a UNION with one indexed lookup per arm and no ORDER BY. Not an OR: where statistics say
    most home phones are blank, SQLite reads `mobile = x OR home_phone = x` as "most rows" and scans the
    table, and PostgreSQL turns `pk IN (bookings) OR pk IN (episodes)` into a filter over every patient;
    each arm of a union is planned on its own and uses its index.
    """
    arms = [Patient.objects.filter(condition).order_by().values_list("pk", flat=True)
            for condition in exact_conditions(query)]
    if not arms:
        return []
    return list(arms[0].union(*arms[1:])[:EXACT_LIMIT])


def exact_conditions(query: str) -> list[Q]:
    """Code, phone, document, email and other apps' numbers: the lookups the query may mean, each indexed."""
    conditions = []
    upper = query.upper()
    if CODE.match(upper):
        conditions.append(Q(code=upper))
    digits = phones.digits(query)
    if PHONE_LIKE.match(query) and len(digits) >= MIN_PHONE_DIGITS:
        conditions += phone_conditions(query, digits)
    document = document_key(query)
    if document and any(char.isdigit() for char in document):
        conditions.append(Q(document_key=document))
    if "@" in query:
        conditions.append(email_condition(query))
    if any(char.isdigit() for char in query):
        conditions += hooks.matching_number(query)
    return conditions


EMAIL_HEAD = re.compile(r"[a-z0-9]+")


def email_condition(query: str) -> Q:
    """Addresses starting with what was typed ("shahnoza@exa" finds shahnoza@example.uz). The range on the
    leading letters and digits lets an ordinary index narrow the rows on every engine (see prefix_range)."""
    text = query.strip().lower()
    head = EMAIL_HEAD.match(text)
    starts = Q(email__startswith=text)
    return prefix_range("email", head.group(0)) & starts if head else starts


def name_condition(keys: list[str]) -> Q:
    """Every word is the start of the last, first or middle name, in any order."""
    condition = Q()
    for key in keys:
        condition &= (prefix_range("last_name_key", key) | prefix_range("first_name_key", key)
                      | prefix_range("middle_name_key", key))
    return condition


def phone_conditions(query: str, digits: str) -> list[Q]:
    """A complete number matches exactly; some digits match the end of a number (anywhere in it on PostgreSQL,
    where a trigram index serves "contains")."""
    number = phones.try_normalise(query)
    if number:
        return [Q(mobile=number), Q(home_phone=number)]
    tail = digits[::-1]
    conditions = [prefix_range("mobile_tail", tail), prefix_range("home_phone_tail", tail)]
    if connection.vendor == "postgresql":
        conditions.append(Q(phone_digits__contains=digits))
    return conditions


def apply_filters(queryset: QuerySet[Patient], filters: PatientFilters, *, merged_code: str = "") -> QuerySet[Patient]:
    status = filters.status
    if status == "active":
        queryset = queryset.filter(is_active=True)
    elif status == "inactive":
        queryset = queryset.filter(is_active=False, merged_into__isnull=True)
    elif status == "merged":
        queryset = queryset.filter(merged_into__isnull=False)
    elif status != "all":
        queryset = queryset.filter(Q(merged_into__isnull=True) | Q(code=merged_code) if merged_code
                                   else Q(merged_into__isnull=True))
    if filters.gender:
        queryset = queryset.filter(gender=filters.gender)
    today = clock.today()
    if filters.age_min is not None:
        queryset = queryset.filter(birth_date__lte=years_before(today, filters.age_min))
    if filters.age_max is not None:
        queryset = queryset.filter(birth_date__gt=years_before(today, filters.age_max + 1))
    if filters.district:
        queryset = queryset.filter(district_id=filters.district)
    elif filters.region:
        queryset = queryset.filter(region_id=filters.region)
    if filters.registered_from:
        queryset = queryset.filter(created_at__gte=start_of(filters.registered_from))
    if filters.registered_to:
        queryset = queryset.filter(created_at__lt=start_of(filters.registered_to + timedelta(days=1)))
    if filters.active_stay is not None:
        active = hooks.with_active_stay(today)
        queryset = queryset.filter(active) if filters.active_stay else queryset.exclude(active)
    if filters.last_visit_from or filters.last_visit_to:
        queryset = queryset.filter(hooks.last_visit_between(filters.last_visit_from, filters.last_visit_to))
    return queryset


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def start_of(day: date):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time.min))


def fuzzy_matches(query: str, *, limit: int = 10) -> list[Patient]:
    """"Did you mean": patients whose names look like `query` when the exact search found nobody."""
    key = " ".join(part for part in name_key(query).split() if part)
    if len(key) < 3:
        return []
    base = Patient.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
    words = [word for word in key.split() if len(word) >= 2]
    rows = read_pools(base, spelled_alike(base, words), ("pk", "search_text"))
    scored = sorted(((similarity(key, text), pk) for pk, text in rows), reverse=True)
    best = [pk for score, pk in scored if score >= FUZZY_THRESHOLD][:limit]
    patients = Patient.objects.select_related("region", "district").in_bulk(best)
    return [patients[pk] for pk in best if pk in patients]


def spelled_alike(base: QuerySet[Patient], words: list[str]) -> list[QuerySet[Patient]]:
    """Pools of NAMESAKES patients whose name keys equal the vocabulary's nearest spellings of the query's words, one
    pool per combination, each read through a name index: the first two words as last and first name either way
    round (and with the third as the middle name: the likeliest match among namesakes), or one word as any name.
    Namesakes differ only in the names the query may not give, so a few dozen of each combination are enough, and the
    work is bounded at a million patients."""
    alike = [vocabulary.spellings(word) for word in words[:3]]
    if not alike:
        return []
    if len(alike) == 1:
        return [base.filter(**{field: spelling}).order_by()[:NAMESAKES]
                for field in NAME_KEY_FIELDS for spelling in alike[0]]
    middles = alike[2] if len(alike) > 2 else []
    pools = []
    for lasts, firsts in ((alike[0], alike[1]), (alike[1], alike[0])):
        for last, first in product(lasts, firsts):
            namesakes = base.filter(last_name_key=last, first_name_key=first).order_by()
            if middles:
                pools.append(namesakes.filter(middle_name_key__in=middles)[:NAMESAKES])
            pools.append(namesakes[:NAMESAKES])
    return pools


def patient_for_page(pk: int) -> Patient:
    return Patient.objects.select_related("region", "district", "merged_into", "created_by", "updated_by").get(pk=pk)


def merged_ids(patient: Patient) -> list[int]:
    return list(Patient.objects.filter(merged_into=patient).values_list("pk", flat=True))


@dataclass
class TrailEntry:
    at: object
    actor: str
    kind: str
    action: str
    detail: str
    ip: str | None = None


def audit_trail(patient: Patient, user, *, limit: int = 50) -> list[TrailEntry]:
    """Field history, audit events and (for users holding patients.audit) the access log, newest first.

    Covers the patient and the records merged into it; a constant number of queries.
    """
    ids = [patient.pk, *merged_ids(patient)]
    entries: list[TrailEntry] = []
    for event in AuditEvent.objects.filter(patient_id__in=ids).order_by("-at", "-id")[:limit]:
        entries.append(TrailEntry(event.at, event.actor, "audit", action_label(event), describe_changes(event),
                                  event.ip))
    history = list(Patient.history.filter(id__in=ids).select_related("history_user")
                   .order_by("-history_date", "-history_id")[:limit])
    for row, before in zip(history, previous_rows(history), strict=True):
        entries.append(TrailEntry(row.history_date, str(row.history_user or _("system")), "history",
                                  str(HISTORY_LABELS.get(row.history_type, row.history_type)),
                                  field_changes(row, before)))
    if can(user, "patients.audit"):
        for access in AccessLogEntry.objects.filter(patient_id__in=ids).order_by("-at", "-id")[:limit]:
            what = ACCESS_LABELS.get(access.what, access.what)
            entries.append(TrailEntry(access.at, access.actor, "access", _("Opened: %(what)s") % {"what": what},
                                      access.path, access.ip))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit * 2]


def previous_rows(history: list) -> list:
    """For each history row (newest first), the row before it of the same patient within the window."""
    older: dict[int, object] = {}
    result = []
    for row in reversed(history):
        result.append(older.get(row.id))
        older[row.id] = row
    return list(reversed(result))


HISTORY_FIELDS = ("first_name", "middle_name", "last_name", "birth_date", "gender", "mobile", "home_phone", "email",
                  "address", "region_id", "district_id", "document_type", "document_number", "is_active",
                  "merged_into_id", "anonymised_at", "notes")


def field_changes(row, before) -> str:
    if before is None:
        return ""
    changed = [str(Patient._meta.get_field(name.removesuffix("_id")).verbose_name) for name in HISTORY_FIELDS
               if getattr(row, name) != getattr(before, name)]
    return ", ".join(changed)


ACTION_LABELS = {
    "patient.register": gettext_lazy("Registered"), "patient.update": gettext_lazy("Edited"),
    "patient.activate": gettext_lazy("Reactivated"), "patient.deactivate": gettext_lazy("Deactivated"),
    "patient.merge": gettext_lazy("Merged"), "patient.unmerge": gettext_lazy("Merge undone"),
    "patient.anonymise": gettext_lazy("Anonymised"), "patient.delete": gettext_lazy("Deleted"),
}


HISTORY_LABELS = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}
ACCESS_LABELS = {
    "patient page": gettext_lazy("patient page"), "patient API record": gettext_lazy("patient record (API)"),
    "patient API audit trail": gettext_lazy("audit trail (API)"),
    "patient edit form": gettext_lazy("edit form"), "patient merge comparison": gettext_lazy("merge comparison"),
}


def action_label(event: AuditEvent) -> str:
    """A patient action's own label; another app's event as "<its record type>: <what happened>"."""
    if event.action in ACTION_LABELS:
        return str(ACTION_LABELS[event.action])
    noun, _dot, verb = event.action.rpartition(".")
    try:
        noun = str(apps.get_model(event.model)._meta.verbose_name)
    except (LookupError, ValueError):
        noun = noun.replace("_", " ")
    return f"{capfirst(noun)}: {verb.replace('_', ' ')}"


def describe_changes(event: AuditEvent) -> str:
    changes = event.changes or {}
    if event.action == "patient.update":
        return "; ".join(f"{field_label(name)}: {shown(values[0])} → {shown(values[1])}"
                         for name, values in sorted(changes.items()) if isinstance(values, list) and len(values) == 2)
    if event.action == "patient.register":
        return ", ".join(str(field_label(name)) for name in sorted(changes))
    if event.action == "patient.merge":
        text = _("%(merged)s merged into %(survivor)s") % {"merged": changes.get("merged_code", "?"),
                                                           "survivor": changes.get("survivor_code", "?")}
        return f"{text}. {event.note}" if event.note else text
    return event.note


def field_label(name: str) -> str:
    try:
        return str(Patient._meta.get_field(name).verbose_name)
    except Exception:  # a field recorded by an older version
        return name


def shown(value) -> str:
    return "–" if value in (None, "") else str(value)


def regions(country: str = "") -> QuerySet[Region]:
    queryset = Region.objects.all()
    return queryset.filter(country=country) if country else queryset


def districts(region: int | None) -> QuerySet[District]:
    if not region:
        return District.objects.none()
    return District.objects.filter(region_id=region).select_related("region")


def dashboard_counts() -> dict:
    """Registered today (exact, through the index on created_at) and active patients (estimated in a big registry:
    counting them would read the whole table on every dashboard)."""
    today = clock.today()
    return {
        "today": Patient.objects.filter(created_at__gte=start_of(today)).count(),
        "active": estimated_count(Patient.objects.filter(is_active=True)),
    }
