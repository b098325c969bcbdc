"""Scheduled jobs of billing: accrual of bed time and of services charged by time.

The job writes what the facts already say (see charges.py): it plans in bulk which bills differ from
their assignments, then brings those bills up to date a chunk at a time, each chunk one transaction
holding its bills' row locks (taken in ascending id order, so two workers never deadlock). A chunk costs
the same few queries whatever its size: the bills locked in one, their assignments and lines read in
one each, lines inserted and updated in bulk, totals summed and saved in bulk. Keys (one line per bill
and assignment) and the locks make it safe to run any number of times, on any number of workers at
once; a run that finds nothing to do costs five queries.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from hayat.billing import accrual, charges, services
from hayat.billing.charges import write_bed_lines
from hayat.billing.models import TIMED_KINDS, Bill, BillItem, BillStatus
from hayat.core import clock
from hayat.core.transactions import retrying_atomic

JOBS = ("accrue_bed_time",)

log = logging.getLogger(__name__)
SCHEDULE = "bed-time accrual"
# Bills per transaction. A teller paying one of these bills waits for its whole chunk, which is a fixed
# handful of queries (tens of milliseconds); a commit per bill would make a 2,000-bed run wait on commits.
CHUNK = 50


def accrue_bed_time(until: datetime | None = None) -> str:
    """Materialises bed time up to `until` (now by default) on every bill whose lines lag behind."""
    bill_ids, episodes_without_bill = plan(until or clock.now())
    for episode_id in episodes_without_bill:
        bill_ids.add(open_bill(episode_id).pk)
    ordered = sorted(bill_ids)
    written = sum(accrue_bills(ordered[start:start + CHUNK], until=until)
                  for start in range(0, len(ordered), CHUNK))
    summary = f"{len(bill_ids)} bills brought up to date, {written} bed-time lines written"
    log.info("accrue_bed_time: %s", summary)
    return summary


def plan(at: datetime) -> tuple[set[int], set[int]]:
    """(bills whose timed lines differ from their facts, episodes with bed time or timed services but no bill).

    The figures come from the same charges the bill page and the discharge use, for every episode that still
    has a bed assignment or a time-charged service running or not finally written (earlier beds count towards a
    transfer's units).
    """
    from hayat.clinical.models import BedAssignment, TimedUse

    final_bed = BillItem.objects.filter(bed_assignment=OuterRef("pk"), is_final=True)
    final_use = BillItem.objects.filter(timed_use=OuterRef("pk"), is_final=True)
    episodes = dict(BedAssignment.objects.filter(Q(ended_at__isnull=True) | ~Exists(final_bed))
                    .exclude(episode__bill__status=BillStatus.VOID).values_list("episode_id", "episode__bill"))
    episodes.update(TimedUse.objects.filter(Q(ended_at__isnull=True) | ~Exists(final_use), reversed_at__isnull=True)
                    .exclude(episode__bill__status=BillStatus.VOID).values_list("episode_id", "episode__bill"))
    written = {(line[0], line[1]): line[2:] for line in BillItem.objects.filter(
        bill__in=[bill for bill in episodes.values() if bill], kind__in=TIMED_KINDS).values_list(
        "bill_id", "source_key", "quantity", "unit_price", "is_final")}
    bills, orphans = set(), set()
    for episode_id, charge in charges.timed_charges(episodes, at=at):
        bill_id = episodes[episode_id]
        if bill_id is None:
            orphans.add(episode_id)
        elif written.get((bill_id, charge.source_key)) != (charge.quantity, charge.unit_price, charge.final):
            bills.add(bill_id)
    return bills, orphans


def open_bill(episode_id: int) -> Bill:
    from hayat.clinical.models import Episode

    return services.bill_for(episode=Episode.objects.get(pk=episode_id))


@retrying_atomic
def accrue_bills(bill_ids: list[int], *, until: datetime | None = None) -> int:
    """Writes the bed time of these bills in one transaction; returns how many lines it wrote.

    Up to `until`, or up to the moment the locks are held: a worker that waited for another's chunk then
    writes the later figure, so a line never shrinks back when two runs overlap.
    """
    bills = list(Bill.objects.select_for_update().filter(pk__in=bill_ids).exclude(status=BillStatus.VOID)
                 .order_by("pk"))
    written = write_bed_lines(bills, at=until or clock.now())
    touched = {line.bill_id for line in written}
    services.recompute_all([bill for bill in bills if bill.pk in touched], reason=_("Bed time accrued"))
    return len(written)


def schedule_accrual(apps) -> None:
    """Keeps the one schedule of the job (by name) at the interval the settings give now.

    Runs after every `migrate` (the start-up step of every installation), so changing
    HAYAT_BED_TIME_INTERVAL_MINUTES, say to 1 for a demo, changes how often the worker runs the job; the
    next run is moved up so it is never more than one new interval away. Updating by name never adds a
    second schedule.
    """
    from hayat.ops.schedules import register  # the schedules' shared helper, as the data migrations use it

    minutes = accrual.interval_minutes()
    register(apps, name=SCHEDULE, func=f"{__name__}.accrue_bed_time", minutes=minutes)
    soonest = clock.now() + accrual.interval()
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE, next_run__gt=soonest).update(
        next_run=soonest)
