"""The bill lifecycle: the one table of allowed status changes and the one function that makes them.

pending → calculated → invoiced → partially_paid → paid, and void. Once invoiced, the payment statuses
follow the money: `settle()` moves a bill between invoiced, partially_paid and paid whenever its paid
total or its items total changes (a payment, a refund, bed time that keeps accruing).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from hayat.billing.models import Bill, BillStatus, BillStatusChange
from hayat.core import audit, clock
from hayat.core.lifecycle import Lifecycle

S = BillStatus

ALLOWED: dict[str, set[str]] = {
    S.PENDING: {S.CALCULATED, S.VOID},
    S.CALCULATED: {S.INVOICED, S.VOID},
    S.INVOICED: {S.PARTIALLY_PAID, S.PAID, S.VOID},
    S.PARTIALLY_PAID: {S.INVOICED, S.PAID},
    S.PAID: {S.INVOICED, S.PARTIALLY_PAID},
    S.VOID: set(),
}

BILL = Lifecycle(_("bill"), ALLOWED, dict(BillStatus.choices))

# Statuses in which the bill has been issued to the patient: items are corrected, never removed.
ISSUED = frozenset({S.INVOICED, S.PARTIALLY_PAID, S.PAID})
# Statuses in which charges may still be added (bed time, services, manual items).
OPEN = frozenset({S.PENDING, S.CALCULATED, *ISSUED})
# Bills a teller still has to collect money for.
UNPAID = frozenset({S.PENDING, S.CALCULATED, S.INVOICED, S.PARTIALLY_PAID})


def status_for_money(items_total: Decimal, paid_total: Decimal) -> str:
    """The payment status an issued bill has with these totals."""
    if paid_total <= 0:
        return S.INVOICED
    if paid_total < items_total:
        return S.PARTIALLY_PAID
    return S.PAID


def transition(bill: Bill, *, to: str, by: Any, reason: str = "") -> BillStatusChange:
    """Moves `bill` (locked by the caller) to `to` if the table allows it; writes history and audit."""
    before = bill.status
    BILL.check(before, to)
    bill.status = to
    bill.updated_by = by if getattr(by, "pk", None) else None
    bill.save(update_fields=["status", "updated_by", "updated_at"])
    change = BillStatusChange.objects.create(
        bill=bill, at=clock.now(), by=by if getattr(by, "pk", None) else None,
        from_status=before, to_status=to, reason=reason.strip(),
    )
    audit.record("bill.status", by=by, obj=bill, patient_id=bill.patient_id,
                 changes={"status": [before, to]}, note=reason.strip())
    return change


def start(bill: Bill, *, by: Any, reason: str = "") -> BillStatusChange:
    """The first history row of a bill just opened (status pending), at the moment it opened."""
    return BillStatusChange.objects.create(
        bill=bill, at=bill.opened_at, by=by if getattr(by, "pk", None) else None,
        from_status="", to_status=bill.status, reason=reason.strip(),
    )


def settle(bill: Bill, *, by: Any, reason: str = "") -> BillStatusChange | None:
    """Brings an issued bill's status in line with its totals; does nothing before invoicing or when void."""
    if bill.status not in ISSUED:
        return None
    target = status_for_money(bill.items_total, bill.paid_total)
    if target == bill.status:
        return None
    return transition(bill, to=target, by=by, reason=reason)
