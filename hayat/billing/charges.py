"""Charges derived from facts: a tariff line per guest line of a booking, a bed-time line per bed assignment.

`derived_charges()` says what the bill should hold now; `write_derived()` makes the bill's derived lines
match it. Both the live bill page and the accrual job start from the same figures, so a bill is right
even when the worker has not run.

Until a bill is invoiced its derived lines follow the facts in place. Once invoiced, a tariff line is
never edited: a change of the booking adds an adjustment line (a manual item with the difference and
the reason). A bed-time line is the one line whose quantity keeps growing after invoicing, by design:
the hospital's users asked for one line per bed assignment, its started hours rising until discharge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from hayat.billing import accrual
from hayat.billing.models import DERIVED_KINDS, TIMED_KINDS, ZERO, Bill, BillGuest, BillItem, BillStatus, ItemKind
from hayat.core.charging import charged_units
from hayat.core.formats import format_date, format_datetime
from hayat.core.money import round_money

STAY_LINE = "stay-line"
USAGE = "usage"
BED = "bed"
USE = "use"
# What a derived line holds, written from its charge.
LINE_FIELDS = ("kind", "description", "quantity", "unit_price", "amount", "is_final", "bed_assignment_id", "unit",
               "timed_use_id", "service_id")
# Rows per bulk statement: well under SQLite's limit on query parameters with every field of a line.
BATCH = 200


@dataclass(frozen=True)
class Charge:
    """One derived line as the facts say it should be."""

    source_key: str
    kind: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    final: bool = True
    bed_assignment_id: int | None = None
    unit: str = ""  # the charge unit of a line charged by time (hayat.core.charging.ChargeUnit)
    timed_use_id: int | None = None
    service_id: int | None = None  # the catalogue service of a session, extra service or time-charged use

    @property
    def amount(self) -> Decimal:
        return round_money(self.quantity * self.unit_price)


def base_key(source_key: str) -> str:
    """"stay-line:12" for "stay-line:12" and for its adjustments "stay-line:12:adj:2"."""
    return ":".join(source_key.split(":")[:2])


# --- who pays ---------------------------------------------------------------------------------------------


def payer_of(*, booking=None, episode=None) -> int | None:
    """The patient a bill is made out to: the episode's patient, or a booking's first guest."""
    if episode is not None:
        return episode.patient_id
    line = booking.lines.filter(removed_at__isnull=True).order_by("start_date", "id").first()
    return line.patient_id if line is not None else None


def guests_of(booking) -> list[int]:
    """The patients staying on a booking, first arrived first (one query)."""
    ids = booking.lines.filter(removed_at__isnull=True).order_by("start_date", "id").values_list("patient_id",
                                                                                               flat=True)
    return list(dict.fromkeys(ids))


def guests_billed_to(bill: Bill) -> set[int]:
    """The guests whose lines a booking's bill holds: those placed on it, and on its first live bill those not
    placed yet (two queries)."""
    placed = dict(BillGuest.objects.filter(booking_id=bill.booking_id).values_list("patient_id", "bill_id"))
    first = (Bill.objects.filter(booking_id=bill.booking_id).exclude(status=BillStatus.VOID).order_by("id")
             .values_list("id", flat=True).first())
    guests = {patient_id for patient_id, bill_id in placed.items() if bill_id == bill.pk}
    if first == bill.pk:
        guests |= set(guests_of(bill.booking)) - set(placed)
    return guests


# --- what the facts say -----------------------------------------------------------------------------------


def stay_charges(booking, guests: set[int]) -> list[Charge]:
    """A tariff line per guest line of these guests kept on the booking (none once it is cancelled or a
    no-show)."""
    from hayat.stays.models import RELEASED

    if booking.status in RELEASED:
        return []
    lines = (booking.lines.filter(removed_at__isnull=True, patient_id__in=guests)
             .select_related("patient", "room", "bed", "tariff").order_by("start_date", "id"))
    return [stay_charge(line) for line in lines]


def stay_charge(line) -> Charge:
    place = f"{line.room}" + (f" / {line.bed}" if line.bed_id else "")
    description = _("%(tariff)s · %(place)s · %(patient)s · %(start)s – %(end)s") % {
        "tariff": line.tariff, "place": place, "patient": line.patient.full_name,
        "start": format_date(line.start_date), "end": format_date(line.end_date),
    }
    return Charge(source_key=f"{STAY_LINE}:{line.pk}", kind=ItemKind.TARIFF, description=description[:200],
                  quantity=Decimal(line.nights), unit_price=line.price_per_day)


# --- service usages of a stay: extra services and sessions beyond the tariff ------------------------------


def usage_charges(booking, guests: set[int]) -> list[Charge]:
    """A line per billable service usage of these guests in the stay that is not undone (none once it is
    cancelled or a no-show).

    Usages are facts that never change, so each line is written once and stays as it is; an undone usage's line
    stays too, cancelled by its correcting line (`write_undone_corrections`).
    """
    from hayat.stays.models import RELEASED

    if booking.status in RELEASED:
        return []
    usages = (booking.service_usages.filter(billable=True, patient_id__in=guests, reversed_at__isnull=True)
              .select_related("patient", "service").order_by("used_on", "id"))
    return [usage_charge(usage) for usage in usages]


def usage_charge(usage) -> Charge:
    from hayat.stays.models import UsageKind

    description = _("%(service)s · %(patient)s · %(day)s") % {
        "service": usage.service, "patient": usage.patient.full_name,
        "day": format_date(usage.used_on),
    }
    kind = ItemKind.EXCEEDED_SESSION if usage.kind == UsageKind.SESSION else ItemKind.SERVICE
    return Charge(source_key=f"{USAGE}:{usage.pk}", kind=kind, description=description[:200],
                  quantity=Decimal(usage.quantity), unit_price=usage.unit_price, service_id=usage.service_id)


def write_undone_corrections(bill: Bill, *, at: datetime) -> int:
    """A correcting line (the opposite amount, pointing at it) for the line of each billed usage undone since it
    was written; returns how many it wrote. The caller holds the bill's row lock."""
    from hayat.stays.models import ServiceUsage

    undone = {f"{USAGE}:{usage.pk}": usage for usage in ServiceUsage.objects.filter(
        booking_id=bill.booking_id, billable=True, reversed_at__isnull=False).select_related("reversed_by")}
    if not undone:
        return 0
    lines = BillItem.objects.filter(bill=bill, source_key__in=list(undone), correction__isnull=True)
    for line in lines:
        write_undo_correction(line, undone[line.source_key], at=at)
    return len(lines)


def write_undo_correction(line: BillItem, undone, *, at: datetime) -> BillItem:
    """The correcting line of a line whose fact (a usage, a time-charged use) was undone: the opposite amount,
    pointing at it, by the person who undid it. The caller holds the bill's row lock."""
    return BillItem.objects.create(
        bill_id=line.bill_id, kind=ItemKind.MANUAL, corrects=line, source_key=f"correction:{line.pk}",
        description=(_("Undone: %(item)s") % {"item": line.description})[:200], quantity=line.quantity,
        unit_price=-line.unit_price, amount=-line.amount, added_at=at, updated_at=at, added_by=undone.reversed_by,
        reason=_("Recorded by mistake and undone by %(user)s at %(time)s.") % {
            "user": undone.reversed_by.full_name, "time": format_datetime(undone.reversed_at)})


def correct_undone_use(bill: Bill, use, *, at: datetime) -> BillItem | None:
    """Corrects the line of a time-charged use whose start was undone, if a line was written; the line stops
    growing (final) and stays, so the bill shows what was charged and what took it back."""
    line = BillItem.objects.filter(bill=bill, source_key=f"{USE}:{use.pk}", correction__isnull=True).first()
    if line is None:
        return None
    if not line.is_final:
        line.is_final, line.updated_at = True, at
        line.save(update_fields=["is_final", "updated_at"])
    return write_undo_correction(line, use, at=at)


def uses_of(episode_ids: Iterable[int]):
    """The time-charged services used in these episodes (none undone), with their services, in the order they
    began."""
    from hayat.clinical.models import TimedUse

    return (TimedUse.objects.filter(episode_id__in=list(episode_ids), reversed_at__isnull=True)
            .select_related("service").order_by("started_at", "id"))


def use_charge(use, *, at: datetime) -> Charge:
    """A time-charged service's line: counted like bed time, by the service's own charge policy."""
    policy = use.service.charge_policy
    until = use.ended_at if use.ended_at is not None else at
    description = _("%(service)s from %(start)s") % {
        "service": use.service.name, "start": format_datetime(use.started_at)}
    return Charge(source_key=f"{USE}:{use.pk}", kind=ItemKind.TIMED_SERVICE, description=description[:200],
                  quantity=Decimal(charged_units(policy, until - use.started_at)), unit_price=use.rate,
                  final=use.ended_at is not None, unit=policy.unit, timed_use_id=use.pk, service_id=use.service_id)


def assignments_of(episode_ids: Iterable[int]):
    """The bed assignments of these episodes with their rooms and room types, in the order they began (one
    query)."""
    from hayat.clinical.models import BedAssignment

    return (BedAssignment.objects.filter(episode_id__in=list(episode_ids)).select_related("bed__room__room_type")
            .order_by("started_at", "id"))


def bed_charges_by_assignment(assignments: Iterable, *, at: datetime) -> dict[int, Charge]:
    """{assignment id: its charge} for assignments in the order they began: each one is counted after the time
    the patient already spent in the episode's earlier beds, so a transfer never charges a unit twice."""
    spent: dict[int, timedelta] = defaultdict(timedelta)
    result = {}
    for assignment in assignments:
        result[assignment.pk] = bed_charge(assignment, at=at, offset=spent[assignment.episode_id])
        until = assignment.ended_at if assignment.ended_at is not None else at
        spent[assignment.episode_id] += max(until - assignment.started_at, timedelta(0))
    return result


def bed_charge(assignment, *, at: datetime, offset: timedelta = timedelta(0)) -> Charge:
    policy = assignment.bed.room.room_type.charge_policy
    figures = accrual.bed_time(started_at=assignment.started_at, ended_at=assignment.ended_at,
                               rate=assignment.hourly_rate, at=at, policy=policy, offset=offset)
    return Charge(source_key=f"{BED}:{assignment.pk}", kind=ItemKind.BED_TIME,
                  description=bed_description(assignment), quantity=figures.quantity, unit_price=figures.rate,
                  final=figures.final, bed_assignment_id=assignment.pk, unit=policy.unit)


def bed_description(assignment) -> str:
    bed = assignment.bed
    return (_("Bed time: room %(room)s, bed %(bed)s") % {"room": bed.room.name, "bed": bed.number})[:200]


def derived_charges(bill: Bill, *, at: datetime) -> list[Charge]:
    if bill.booking_id:
        guests = guests_billed_to(bill)
        return [*stay_charges(bill.booking, guests), *usage_charges(bill.booking, guests)]
    return [charge for _episode, charge in timed_charges([bill.episode_id], at=at)]


# --- writing them -----------------------------------------------------------------------------------------


def write_derived(bill: Bill, *, at: datetime, issued: bool) -> int:
    """Makes the bill's derived lines match the facts as of `at`; returns how many lines it wrote.

    The caller holds the bill's row lock. Running it again with the same facts writes nothing.
    """
    if bill.episode_id:
        return len(write_bed_lines([bill], at=at))
    written = write_undone_corrections(bill, at=at)
    desired = {charge.source_key: charge for charge in derived_charges(bill, at=at)}
    groups: dict[str, list[BillItem]] = defaultdict(list)
    marked = list(bill.items.filter(Q(source_key__isnull=False) | Q(corrects__isnull=False)))
    keyed = [item for item in marked if item.source_key and not item.source_key.startswith("correction:")]
    corrections = {item.corrects_id: item for item in marked if item.corrects_id}
    for item in keyed:
        groups[base_key(item.source_key)].append(item)
    for key in sorted(set(desired) | set(groups)):
        charge, items = desired.get(key), groups.get(key, [])
        base = next((item for item in items if item.source_key == key), None)
        if base is not None and base.kind not in DERIVED_KINDS:
            continue
        if charge is not None and (charge.kind in TIMED_KINDS or not issued or not items):
            written += write_in_place(bill, charge, base, at=at)
            continue
        if not issued and not any(item.pk in corrections for item in items):
            written += BillItem.objects.filter(pk__in=[item.pk for item in items]).delete()[0]
            continue
        current = sum((item.amount for item in items), ZERO)
        current += sum((corrections[item.pk].amount for item in items if item.pk in corrections), ZERO)
        target = charge.amount if charge is not None else ZERO
        if target != current:
            write_adjustment(bill, key, items, difference=target - current, charge=charge, base=base, at=at)
            written += 1
    return written


def values_of(charge: Charge) -> dict:
    """The fields of the line a charge is written to."""
    return dict(zip(LINE_FIELDS, (charge.kind, charge.description, charge.quantity, charge.unit_price,
                                  charge.amount, charge.final, charge.bed_assignment_id, charge.unit,
                                  charge.timed_use_id, charge.service_id), strict=True))


def write_in_place(bill: Bill, charge: Charge, item: BillItem | None, *, at: datetime) -> int:
    values = values_of(charge)
    if item is None:
        BillItem.objects.create(bill=bill, source_key=charge.source_key, added_at=at, updated_at=at, **values)
        return 1
    if all(getattr(item, name) == value for name, value in values.items()):
        return 0
    for name, value in values.items():
        setattr(item, name, value)
    item.updated_at = at
    item.save(update_fields=[*values, "updated_at"])
    return 1


def write_adjustment(bill: Bill, key: str, items: list[BillItem], *, difference: Decimal, charge: Charge | None,
                     base: BillItem | None, at: datetime) -> BillItem:
    described = charge.description if charge is not None else (base.description if base else key)
    if charge is None:
        reason = _("Removed from the booking after the bill was invoiced.")
    else:
        reason = _("The booking changed after the bill was invoiced.")
    return BillItem.objects.create(
        bill=bill, kind=ItemKind.MANUAL, description=(_("Adjustment: %(item)s") % {"item": described})[:200],
        quantity=Decimal(1), unit_price=difference, amount=difference, reason=reason,
        source_key=f"{key}:adj:{len(items)}", added_at=at, updated_at=at,
    )


def timed_charges(episode_ids: Iterable[int], *, at: datetime) -> list[tuple[int, Charge]]:
    """(episode id, charge) of every bed assignment and time-charged service of these episodes (two queries)."""
    assignments = list(assignments_of(episode_ids))
    due = bed_charges_by_assignment(assignments, at=at)
    return [*((assignment.episode_id, due[assignment.pk]) for assignment in assignments),
            *((use.episode_id, use_charge(use, at=at)) for use in uses_of(episode_ids))]


def write_bed_lines(bills: Sequence[Bill], *, at: datetime) -> list[BillItem]:
    """Makes the timed lines of these episode bills match their facts as of `at`: one line per bed assignment
    (keyed "bed:<assignment id>") and per time-charged service used ("use:<use id>"), its quantity growing until
    the assignment or the use ends.

    The caller holds the bills' row locks. A fixed number of queries whatever the number of bills: the
    assignments and the existing lines are read in one query each, new lines are inserted and changed ones
    updated in bulk. Returns the lines written (none when the facts are unchanged).
    """
    bills_by_episode = {bill.episode_id: bill for bill in bills if bill.episode_id and not bill.is_void}
    if not bills_by_episode:
        return []
    lines = {(line.bill_id, line.source_key): line for line in BillItem.objects.filter(
        bill__in=list(bills_by_episode.values()), kind__in=TIMED_KINDS)}
    new, changed, fields = [], [], set()
    for episode_id, charge in timed_charges(bills_by_episode, at=at):
        bill = bills_by_episode[episode_id]
        values = values_of(charge)
        line = lines.get((bill.pk, charge.source_key))
        if line is None:
            new.append(BillItem(bill=bill, source_key=charge.source_key, added_at=at, updated_at=at, **values))
            continue
        differing = {name for name, value in values.items() if getattr(line, name) != value}
        if differing:
            for name in differing:
                setattr(line, name, values[name])
            line.updated_at = at
            fields |= differing
            changed.append(line)
    BillItem.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        # Only the columns that differ (an hourly run changes quantity and amount), and the one moment for all.
        BillItem.objects.bulk_update(changed, sorted(fields), batch_size=BATCH)
        BillItem.objects.filter(pk__in=[line.pk for line in changed]).update(updated_at=at)
    return [*new, *changed]
