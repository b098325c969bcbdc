"""Every change to a bill and its items: one use case per function, one transaction, the bill row locked.

Lock order, the same in every billing use case so two of them never deadlock: the patient row (only
where a deposit is spent), then the bill row, then the number sequence. Whatever changes an item or a
payment ends with `recompute()`, which sums the items and the money again under that lock, so a bill's
totals equal the sum of its items at every commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from hayat.billing import charges, lifecycle, selectors
from hayat.billing.models import (
    ADDED_KINDS,
    ZERO,
    Bill,
    BillGuest,
    BillItem,
    BillStatus,
    DepositApplication,
    ItemKind,
    Payment,
    PaymentKind,
)
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.money import decimal_text, round_money
from hayat.core.numbering import next_value
from hayat.core.transactions import retrying_atomic
from hayat.stays.services import locked as locked_booking

MAX_QUANTITY = Decimal("99999999.99")


def actor(by: Any):
    return by if getattr(by, "pk", None) else None


def next_bill_number() -> str:
    """INV-YYYY-NNNNNN: a counter per year, unique under concurrency (run inside the transaction)."""
    key = f"INV-{clock.today():%Y}"
    return f"{key}-{next_value(key):06d}"


def locked(bill: Bill) -> Bill:
    return Bill.objects.select_for_update().get(pk=bill.pk)


# --- opening ----------------------------------------------------------------------------------------------


@retrying_atomic
def bill_for(*, booking=None, episode=None, by: Any = None) -> Bill:
    """The bill of an episode, or the first live bill of a booking, opened now when there is none.

    Called by the signal receivers when a booking is confirmed or an episode admitted, by the accrual job
    for an admitted episode whose bill is missing, and by the API's "open". A bill opens only where the
    lifecycle says it exists (coding done, booking confirmed): earlier, or after a cancellation, this is
    refused. Two callers at once get the same bill: the unique key decides the race.
    """
    if (booking is None) == (episode is None):
        raise ValueError("bill_for() takes a booking or an episode")
    source = booking if booking is not None else episode
    not_yet = selectors.why_no_bill(source)
    if booking is not None:
        if not_yet and not Bill.objects.filter(booking=booking).exists():
            raise Conflict(not_yet, code="no_bill_yet")
        bills = booking_bills(booking, by=by)
        return next((bill for bill in bills if not bill.is_void), bills[0])
    existing = Bill.objects.filter(episode=episode).first()
    if existing is not None:
        return existing
    if not_yet:
        raise Conflict(not_yet, code="no_bill_yet")
    return open_bill({"episode": episode}, patient_id=episode.patient_id, by=by)


def open_bill(lookup: dict, *, patient_id: int | None, by: Any, organisation=None) -> Bill:
    """Opens the bill of {"episode": e} or {"booking": b, "payer_key": key}, made out to the patient (or the
    organisation), or returns the one a concurrent caller opened.

    `bill_for()` decides whether a bill may exist; a cancellation opens one for its fee (hayat.billing.bookings).
    """
    if patient_id is None:
        raise DomainError(_("This booking has no guest to bill."), code="no_guest")
    try:
        with transaction.atomic():
            bill = Bill.objects.create(number=next_bill_number(), patient_id=patient_id, opened_at=clock.now(),
                                       organisation=organisation, created_by=actor(by), updated_by=actor(by),
                                       **lookup)
    except IntegrityError:
        return Bill.objects.get(**lookup)
    lifecycle.start(bill, by=by, reason=_("Bill opened"))
    audit.record("bill.open", by=by, obj=bill, patient_id=patient_id, changes={
        "number": [None, bill.number], "payer": [None, bill.payer_key or ""]})
    refresh(bill, by=by)
    return bill


# --- the bills of a booking, one per payer ----------------------------------------------------------------

ALL_GUESTS = "all"
# The key a void bill left empty by a change of payers keeps ("void:<bill id>"): its payer's key is free again.
VOID_KEY = "void:"


def guest_key(patient_id: int) -> str:
    return f"guest:{patient_id}"


def organisation_key(organisation_id: int) -> str:
    return f"org:{organisation_id}"


def default_payer_key(booking, patient_id: int) -> str:
    """The bill a guest's lines go to unless moved: their own, or the one payer's of every guest."""
    return guest_key(patient_id) if booking.bill_per_guest else ALL_GUESTS


def payer_bill(booking, key: str, *, by: Any, organisation=None, patient_id: int | None = None) -> Bill:
    """The booking's bill of the payer named by `key`, opened when it has none (the caller locked the booking).

    A new bill is made out to the guest who pays it, or for one payer or an organisation to `patient_id` (the
    guest it is opened for) or else the first guest.
    """
    existing = Bill.objects.filter(booking=booking, payer_key=key).first()
    if existing is not None:
        return existing
    if key.startswith("guest:"):
        patient_id = int(key.split(":")[1])
    elif patient_id is None:
        patient_id = charges.payer_of(booking=booking)
    return open_bill({"booking": booking, "payer_key": key}, patient_id=patient_id, organisation=organisation,
                     by=by)


def void_left_empty(bill: Bill, *, by: Any, reason: str) -> None:
    """Voids a booking's bill that a change of payers left with no guest, no charge and no money (the caller holds
    its lock), and frees its payer's key, so that payer gets a new bill when chosen again (docs/adr/0012)."""
    key = bill.payer_key
    lifecycle.transition(bill, to=BillStatus.VOID, by=by, reason=reason)
    bill.payer_key = f"{VOID_KEY}{bill.pk}"
    bill.save(update_fields=["payer_key"])
    audit.record("bill.payer_released", by=by, obj=bill, patient_id=bill.patient_id,
                 changes={"payer": [key, bill.payer_key]})


def booking_bills(booking, *, by: Any) -> list[Bill]:
    """Every bill of the booking, first opened first: each guest not yet placed on a bill goes on their payer's
    (opened when missing), so no guest's lines are ever left off. The booking's row is locked first."""
    booking = locked_booking(booking)
    placed = set(BillGuest.objects.filter(booking=booking).values_list("patient_id", flat=True))
    for patient_id in charges.guests_of(booking):
        if patient_id not in placed:
            bill = payer_bill(booking, default_payer_key(booking, patient_id), by=by)
            BillGuest.objects.create(booking=booking, patient_id=patient_id, bill=bill)
    if not Bill.objects.filter(booking=booking).exists():
        payer_bill(booking, ALL_GUESTS, by=by)
    return list(Bill.objects.select_for_update().filter(booking=booking).order_by("id"))


# --- totals -----------------------------------------------------------------------------------------------


def recompute(bill: Bill, *, by: Any = None, reason: str = "") -> Bill:
    """Sums the items and the money of `bill` (locked by the caller) and settles its payment status."""
    recompute_all([bill], by=by, reason=reason)
    return bill


def recompute_all(bills: Sequence[Bill], *, by: Any = None, reason: str = "") -> None:
    """Sums the items and the money of these bills (locked by the caller) and settles their payment statuses.

    The one place where a bill's totals are written: three grouped sums and one bulk update, whatever the
    number of bills (the accrual job passes a whole chunk, every other use case one bill).
    """
    if not bills:
        return
    ids = [bill.pk for bill in bills]
    items = sums_by_bill(BillItem.objects.filter(bill_id__in=ids))
    applied = sums_by_bill(DepositApplication.objects.filter(bill_id__in=ids))
    money = {row["bill_id"]: row for row in Payment.objects.filter(bill_id__in=ids).values("bill_id").annotate(
        paid=Sum("amount", filter=Q(kind=PaymentKind.PAYMENT)),
        refunded=Sum("amount", filter=Q(kind=PaymentKind.REFUND))).order_by()}
    changed, fields = [], set()
    for bill in bills:
        row = money.get(bill.pk, {})
        totals = {"items_total": round_money(items.get(bill.pk, ZERO)), "paid_total": round_money(
            (row.get("paid") or ZERO) + applied.get(bill.pk, ZERO) - (row.get("refunded") or ZERO))}
        if totals["items_total"] < 0:
            raise Conflict(_("The bill's total cannot go below zero."), code="negative_total")
        totals["balance"] = totals["items_total"] - totals["paid_total"]
        differing = {name for name, value in totals.items() if getattr(bill, name) != value}
        if differing:
            for name in differing:
                setattr(bill, name, totals[name])
            fields |= differing
            changed.append(bill)
    save_totals(changed, fields, by=by)
    for bill in bills:
        lifecycle.settle(bill, by=by, reason=reason or _("Totals changed"))


def save_totals(bills: list[Bill], fields: set[str], *, by: Any) -> None:
    """Writes the totals that changed: one bulk update of only those columns, one update of the stamp."""
    if not bills:
        return
    Bill.objects.bulk_update(bills, sorted(fields))
    now, who = clock.now(), actor(by)
    stamp = {"updated_at": now, **({"updated_by": who} if who else {})}
    Bill.objects.filter(pk__in=[bill.pk for bill in bills]).update(**stamp)
    for bill in bills:
        for name, value in stamp.items():
            setattr(bill, name, value)


def sums_by_bill(queryset) -> dict[int, Decimal]:
    """{bill id: sum of `amount`} over a queryset of rows that belong to bills (one grouped query)."""
    return {bill_id: total or ZERO for bill_id, total in
            queryset.values_list("bill_id").annotate(total=Sum("amount")).order_by()}


def refresh(bill: Bill, *, by: Any = None, at=None) -> Bill:
    """Writes the derived lines (tariff per guest line, bed time per assignment) from today's facts.

    The caller holds the bill's lock or has just created it. Idempotent: the same facts write nothing.
    """
    if bill.is_void:
        return bill
    charges.write_derived(bill, at=at or clock.now(), issued=bill.status in lifecycle.ISSUED)
    return recompute(bill, by=by)


# --- items ------------------------------------------------------------------------------------------------


def clean_quantity(value: Any) -> Decimal:
    try:
        quantity = Decimal(str(value))
    except ArithmeticError as error:
        raise DomainError(_("The quantity must be a number."), field="quantity") from error
    if not quantity.is_finite() or quantity <= 0:
        raise DomainError(_("The quantity must be more than zero."), field="quantity")
    if quantity != quantity.quantize(Decimal("0.01")) or quantity > MAX_QUANTITY:
        raise DomainError(_("The quantity may have at most two decimals and eight digits."), field="quantity")
    return quantity


def parse_money(value: Any, *, field: str) -> Decimal:
    """A number typed by a person as money: ASCII digits with at most two decimals, spaces between groups."""
    try:
        amount = Decimal(decimal_text(str(value)))
    except (ArithmeticError, ValueError) as error:
        raise DomainError(_("Enter an amount of money, such as 150000 or 150000.50."), field=field) from error
    if not amount.is_finite():
        raise DomainError(_("Enter an amount of money, such as 150000 or 150000.50."), field=field)
    if abs(amount) >= Decimal(10) ** 12:
        raise DomainError(_("This amount is too large."), field=field)
    if amount != round_money(amount):
        raise DomainError(_("An amount has at most two decimals."), field=field)
    return round_money(amount)


def clean_amount(value: Any, *, field: str = "amount") -> Decimal:
    """An amount that changes hands: more than zero."""
    amount = parse_money(value, field=field)
    if amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field=field)
    return amount


def clean_price(value: Any, *, allow_negative: bool) -> Decimal:
    """A unit price: zero for a free item, negative only for a manual discount."""
    if value in (None, ""):
        raise DomainError(_("Enter the unit price."), field="unit_price")
    price = parse_money(value, field="unit_price")
    if price < 0 and not allow_negative:
        raise DomainError(_("The unit price cannot be negative; use a manual item for a discount."),
                          field="unit_price")
    return price


def ensure_open(bill: Bill) -> None:
    if bill.status not in lifecycle.OPEN:
        raise Conflict(_("Bill %(number)s is void; nothing can be added to it.") % {"number": bill.number},
                       code="bill_void")


@retrying_atomic
def add_item(*, by: Any, bill: Bill, kind: str, description: str = "", quantity: Any = 1,
             unit_price: Any = None, reason: str = "", service=None) -> BillItem:
    """Adds a service, medication, lab test or manual item to an open bill.

    A service line takes its name and price from the catalogue unless given. A manual line needs a
    reason and may be negative (a discount), as long as the bill's total stays at zero or more.
    """
    policy.ensure(by, "billing.add_item")
    if kind not in ADDED_KINDS:
        raise DomainError(_("Items of this kind are written by the system, not added by hand."), field="kind")
    bill = locked(bill)
    ensure_open(bill)
    description, reason = (description or "").strip(), (reason or "").strip()
    if kind == ItemKind.SERVICE:
        if service is None:
            raise DomainError(_("Choose the service."), field="service")
        if not service.is_active:
            raise DomainError(_("%(service)s is no longer offered.") % {"service": service}, field="service")
        description = description or service.name
        unit_price = service.price if unit_price in (None, "") else unit_price
    if kind == ItemKind.MANUAL and not reason:
        raise DomainError(_("Say why this item is added by hand."), field="reason")
    if not description:
        raise DomainError(_("Describe the item."), field="description")
    if len(description) > 200:
        raise DomainError(_("Keep the description under 200 characters."), field="description")
    quantity = clean_quantity(quantity)
    price = clean_price(unit_price, allow_negative=kind == ItemKind.MANUAL)
    now = clock.now()
    item = BillItem.objects.create(
        bill=bill, kind=kind, description=description, quantity=quantity, unit_price=price,
        amount=round_money(quantity * price), reason=reason, service=service if kind == ItemKind.SERVICE else None,
        added_at=now, updated_at=now, added_by=actor(by),
    )
    recompute(bill, by=by, reason=_("Item added"))
    audit.record("bill.add_item", by=by, obj=bill, patient_id=bill.patient_id, note=reason, changes={
        "item": [None, item.pk], "kind": [None, kind], "description": [None, description],
        "amount": [None, str(item.amount)],
    })
    return item


@retrying_atomic
def remove_item(*, by: Any, item: BillItem, reason: str = "") -> Bill:
    """Takes a line added by hand off a bill that is not invoiced yet; afterwards lines are corrected."""
    policy.ensure(by, "billing.add_item")
    bill = locked(item.bill)
    item = BillItem.objects.get(pk=item.pk)
    if bill.status not in {BillStatus.PENDING, BillStatus.CALCULATED}:
        raise Conflict(_("Bill %(number)s is invoiced: correct the item instead of removing it.")
                       % {"number": bill.number}, code="bill_issued")
    if item.is_derived:
        raise DomainError(_("This line follows the booking or the bed assignment; change those instead."),
                          code="derived_item")
    if BillItem.objects.filter(corrects=item).exists():
        raise Conflict(_("This item has a correction on the bill; remove the correction first."),
                       code="has_correction")
    snapshot = {"description": item.description, "amount": str(item.amount), "kind": item.kind}
    item.delete()
    recompute(bill, by=by, reason=_("Item removed"))
    audit.record("bill.remove_item", by=by, obj=bill, patient_id=bill.patient_id, note=(reason or "").strip(),
                 changes={key: [value, None] for key, value in snapshot.items()})
    return bill


@retrying_atomic
def correct_item(*, by: Any, item: BillItem, reason: str) -> BillItem:
    """Cancels an item of an invoiced bill by a manual line of the opposite amount that points at it."""
    policy.ensure(by, "billing.add_item")
    bill = locked(item.bill)
    item = BillItem.objects.get(pk=item.pk)
    ensure_open(bill)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the item is corrected."), field="reason")
    if item.corrects_id is not None or item.amount <= 0:
        raise DomainError(_("Only a charge can be corrected, not a correction or a discount."), code="not_a_charge")
    if BillItem.objects.filter(corrects=item).exists():
        raise Conflict(_("This item is already corrected."), code="already_corrected")
    if not item.is_final:
        raise Conflict(_("This bed time is still accruing; correct it once the patient has left the bed, "
                         "or add a manual item."), code="still_accruing")
    now = clock.now()
    correction = BillItem.objects.create(
        bill=bill, kind=ItemKind.MANUAL, description=(_("Correction: %(item)s") % {"item": item.description})[:200],
        quantity=item.quantity, unit_price=-item.unit_price, amount=-item.amount, reason=reason, corrects=item,
        source_key=f"correction:{item.pk}", added_at=now, updated_at=now, added_by=actor(by),
    )
    recompute(bill, by=by, reason=_("Item corrected"))
    audit.record("bill.correct_item", by=by, obj=bill, patient_id=bill.patient_id, note=reason,
                 changes={"item": [item.pk, correction.pk], "amount": [str(item.amount), str(correction.amount)]})
    return correction


# --- status -----------------------------------------------------------------------------------------------


def advance_to_invoiced(bill: Bill, *, by: Any, reason: str) -> None:
    """Calculates and invoices a bill that is not issued yet (each step written to its history)."""
    if bill.status == BillStatus.PENDING:
        lifecycle.transition(bill, to=BillStatus.CALCULATED, by=by, reason=reason)
    if bill.status == BillStatus.CALCULATED:
        lifecycle.transition(bill, to=BillStatus.INVOICED, by=by, reason=reason)


def finalise(bill: Bill, *, by: Any, reason: str) -> Bill:
    """The patient has left: writes the final lines (bed time up to the discharge, the stay's last tariff
    lines) and issues the bill through the lifecycle (pending → calculated → invoiced, each step recorded),
    settled at once if it is already paid. The caller holds the bill's lock; a void bill stays as it is."""
    if bill.is_void:
        return bill
    refresh(bill, by=by)
    advance_to_invoiced(bill, by=by, reason=reason)
    lifecycle.settle(bill, by=by, reason=reason)
    return bill


@retrying_atomic
def calculate(*, by: Any, bill: Bill) -> Bill:
    """Writes every derived charge up to now (tariffs, bed time) and marks the bill calculated."""
    policy.ensure(by, "billing.add_item")
    bill = locked(bill)
    lifecycle.BILL.check(bill.status, BillStatus.CALCULATED)
    refresh(bill, by=by)
    lifecycle.transition(bill, to=BillStatus.CALCULATED, by=by, reason=_("Calculated"))
    return bill


@retrying_atomic
def invoice(*, by: Any, bill: Bill) -> Bill:
    """Issues a calculated bill: from now on items are corrected, never removed, and payments settle it."""
    policy.ensure(by, "billing.add_item")
    bill = locked(bill)
    lifecycle.BILL.check(bill.status, BillStatus.INVOICED)
    refresh(bill, by=by)
    lifecycle.transition(bill, to=BillStatus.INVOICED, by=by, reason=_("Invoiced"))
    lifecycle.settle(bill, by=by, reason=_("Already paid"))
    return bill


@retrying_atomic
def void(*, by: Any, bill: Bill, reason: str) -> Bill:
    """Voids a bill that holds no money (refund first). Its items stay for the record; nothing more is added."""
    policy.ensure(by, "billing.void")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the bill is void."), field="reason")
    bill = locked(bill)
    recompute(bill, by=by)
    if bill.paid_total > 0:
        raise Conflict(_("Bill %(number)s holds %(paid)s in payments: refund them before voiding it.")
                       % {"number": bill.number, "paid": bill.paid_total}, code="bill_has_payments")
    lifecycle.BILL.check(bill.status, BillStatus.VOID)
    lifecycle.transition(bill, to=BillStatus.VOID, by=by, reason=reason)
    return bill


def void_unpaid(bill: Bill, *, by: Any, reason: str) -> bool:
    """The system's own void (a cancelled booking): only a bill not yet invoiced with no money on it."""
    if bill.status not in {BillStatus.PENDING, BillStatus.CALCULATED} or bill.paid_total > 0:
        return False
    lifecycle.transition(bill, to=BillStatus.VOID, by=by, reason=reason)
    return True
