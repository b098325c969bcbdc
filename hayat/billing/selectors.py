"""Reads shared by the bill pages, the API, the dashboard and the patient page; constant query counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from hayat.billing import charges, lifecycle
from hayat.billing.models import (
    TIMED_KINDS,
    ZERO,
    Bill,
    BillGuest,
    BillItem,
    BillStatus,
    DepositApplication,
    ItemKind,
    Organisation,
    Payment,
    PaymentKind,
    RefundRequest,
    RefundStatus,
)
from hayat.clinical.models import Episode, EpisodeStatus
from hayat.core import clock
from hayat.core.money import MAX_DIGITS, round_money
from hayat.stays.models import Booking, BookingStatus

KIND_ORDER = [ItemKind.TARIFF, ItemKind.BED_TIME, ItemKind.TIMED_SERVICE, ItemKind.SERVICE, ItemKind.EXCEEDED_SESSION,
              ItemKind.LAB_TEST, ItemKind.MEDICATION, ItemKind.MANUAL]


def deposit_balance(patient_id: int) -> Decimal:
    """Deposits taken, less what was applied to bills, less deposit refunds (two queries)."""
    money = Payment.objects.filter(patient_id=patient_id, bill__isnull=True).aggregate(
        deposits=Sum("amount", filter=Q(kind=PaymentKind.DEPOSIT)),
        refunds=Sum("amount", filter=Q(kind=PaymentKind.REFUND)),
    )
    applied = DepositApplication.objects.filter(patient_id=patient_id).aggregate(total=Sum("amount"))["total"]
    return round_money((money["deposits"] or ZERO) - (money["refunds"] or ZERO) - (applied or ZERO))


# A balance due: money to collect. A negative balance is money owed to the patient (a refund), never a payment.
OWING = Q(status__in=lifecycle.UNPAID, balance__gt=0)
IN_CREDIT = Q(balance__lt=0) & ~Q(status=BillStatus.VOID)


def bills(*, search: str = "", status: str = "", patient_id: int | None = None, unpaid: bool = False,
          credit: bool = False) -> QuerySet[Bill]:
    """Bills, newest first, with what a list row shows: `unpaid` those with a balance due, `credit` those that
    owe the patient money."""
    queryset = Bill.objects.select_related("patient", "booking", "episode", "organisation")
    if search:
        words = search.split()
        condition = Q(number__iexact=search) | Q(patient__code__iexact=search)
        if words:
            name = Q()
            for word in words[:4]:
                name &= (Q(patient__last_name__icontains=word) | Q(patient__first_name__icontains=word)
                         | Q(number__icontains=word))
            condition |= name
        queryset = queryset.filter(condition)
    if status in BillStatus.values:
        queryset = queryset.filter(status=status)
    if patient_id is not None:
        queryset = queryset.filter(Q(patient_id=patient_id)
                                   | Q(pk__in=BillGuest.objects.filter(patient_id=patient_id).values("bill_id")))
    if unpaid:
        queryset = queryset.filter(OWING)
    if credit:
        queryset = queryset.filter(IN_CREDIT)
    return queryset.order_by("-opened_at", "-id")


def work_queue() -> QuerySet[Bill]:
    """The teller's queue: bills with a balance due, the one opened longest ago (hospital clock) first."""
    return Bill.objects.select_related("patient", "booking", "episode").filter(OWING).order_by("opened_at", "id")


def refunds_owed() -> QuerySet[Bill]:
    """Bills whose payments exceed their items: money to give back through a refund, oldest first."""
    return Bill.objects.select_related("patient").filter(IN_CREDIT).order_by("opened_at", "id")


def status_counts() -> dict[str, int]:
    from django.db.models import Count

    counts = dict(Bill.objects.values_list("status").annotate(count=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in BillStatus.values}


# --- the bill of a booking or an episode ------------------------------------------------------------------

# Statuses in which a source has its bill: a hospital bill opens at coding (admitted or outpatient), a stay's
# at confirmation; both stay open through discharge or check-out.
EPISODE_BILLED = frozenset({EpisodeStatus.ADMITTED, EpisodeStatus.OUTPATIENT, EpisodeStatus.DISCHARGED})
BOOKING_BILLED = frozenset({BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.IN_PROGRESS,
                            BookingStatus.COMPLETED, BookingStatus.DISCHARGED})


def bills_of(source: Booking | Episode) -> QuerySet[Bill]:
    """The bills of a booking (one per payer, first opened first) or the one of an episode."""
    lookup = {"booking": source} if isinstance(source, Booking) else {"episode": source}
    return bill_queryset().filter(**lookup).order_by("id")


def bill_of(source: Booking | Episode) -> Bill | None:
    """The bill of an episode, or a booking's first live bill (its first when every one is void), if it has one (one
    query, two when every bill is void; reading never opens a bill)."""
    bills = bills_of(source)
    return bills.exclude(status=BillStatus.VOID).first() or bills.first()


def why_no_bill(source: Booking | Episode) -> str | None:
    """Why a booking or an episode has no bill in its present status, or None when it should have one."""
    if isinstance(source, Booking):
        if source.status in BOOKING_BILLED:
            return None
        if source.status in {BookingStatus.RESERVATION, BookingStatus.PENDING}:
            return _("Booking %(number)s has no bill yet: it opens when the booking is confirmed. A deposit can be "
                     "taken on the patient's page meanwhile.") % {"number": source.number}
        return _("Booking %(number)s is %(status)s; it has no bill.") % {
            "number": source.number, "status": source.get_status_display().lower()}
    if source.status in EPISODE_BILLED:
        return None
    if source.status == EpisodeStatus.CANCELLED:
        return _("Case %(case)s was cancelled before admission; it has no bill.") % {"case": source.case_number}
    return _("Case %(case)s has no bill yet: it opens when coding is complete (%(status)s now).") % {
        "case": source.case_number, "status": source.get_status_display().lower()}


def bill_to_collect(source: Booking | Episode) -> Bill | None:
    """The bill of an episode, or the first of a booking's bills, with money to take on it: a balance due this
    minute, or bed time still accruing (a patient in bed owes more every hour). None when there is nothing to pay."""
    for bill in bills_of(source):
        if bill.is_void:
            continue
        view = live_bill(bill)
        if view.balance > 0 or view.accruing:
            return bill
    return None


# --- one bill ---------------------------------------------------------------------------------------------


@dataclass
class Line:
    """A row of the bill as shown: the stored item, or the live figures of a derived charge."""

    kind: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    item: BillItem | None = None
    live: bool = False
    accruing: bool = False
    reason: str = ""
    corrected: bool = False
    unit: str = ""

    @property
    def kind_label(self) -> str:
        return ItemKind(self.kind).label


@dataclass
class LiveBill:
    bill: Bill
    at: datetime
    groups: list[tuple[str, list[Line]]]
    total: Decimal
    balance: Decimal
    accruing: bool
    stale: bool
    payments: list[Payment] = field(default_factory=list)
    applications: list[DepositApplication] = field(default_factory=list)
    refunds: list[RefundRequest] = field(default_factory=list)
    deposit_available: Decimal = ZERO


def bill_queryset() -> QuerySet[Bill]:
    return Bill.objects.select_related("patient", "booking", "episode", "organisation", "created_by")


def live_bill(bill: Bill, *, at: datetime | None = None) -> LiveBill:
    """The bill as it stands this minute: stored lines, with bed time (and, before invoicing, the tariff
    lines) worked out from the facts, so the page is right even when the accrual job has not run."""
    at = at or clock.now()
    items = list(bill.items.select_related("added_by", "service").order_by("added_at", "id"))
    corrected = {item.corrects_id for item in items if item.corrects_id}
    issued = bill.status in lifecycle.ISSUED
    live: dict[str, charges.Charge] = {}
    if not bill.is_void:
        for charge in charges.derived_charges(bill, at=at):
            if charge.kind in TIMED_KINDS or not issued:
                live[charge.source_key] = charge
    lines: list[Line] = []
    total = bill.items_total
    for item in items:
        charge = live.pop(item.source_key, None) if item.source_key else None
        if charge is not None:
            total += charge.amount - item.amount
            lines.append(Line(kind=item.kind, description=charge.description, quantity=charge.quantity,
                              unit_price=charge.unit_price, amount=charge.amount, item=item,
                              live=charge.amount != item.amount or charge.quantity != item.quantity,
                              accruing=not charge.final, unit=charge.unit))
            continue
        if item.is_derived and item.kind == ItemKind.TARIFF and not issued and not bill.is_void:
            total -= item.amount  # the guest line is gone: the next refresh removes it
            continue
        lines.append(Line(kind=item.kind, description=item.description, quantity=item.quantity,
                          unit_price=item.unit_price, amount=item.amount, item=item, reason=item.reason,
                          corrected=item.pk in corrected, unit=item.unit,
                          accruing=item.kind in TIMED_KINDS and not item.is_final))
    for charge in live.values():
        total += charge.amount
        lines.append(Line(kind=charge.kind, description=charge.description, quantity=charge.quantity,
                          unit_price=charge.unit_price, amount=charge.amount, live=True, accruing=not charge.final,
                          unit=charge.unit))
    groups = [(ItemKind(kind).label, [line for line in lines if line.kind == kind]) for kind in KIND_ORDER]
    total = round_money(total)
    return LiveBill(
        bill=bill, at=at, groups=[(label, rows) for label, rows in groups if rows], total=total,
        balance=total - bill.paid_total, accruing=any(line.accruing for line in lines),
        stale=total != bill.items_total,
    )


def with_money(view: LiveBill) -> LiveBill:
    """Adds the payments, deposits applied and refund requests of the bill, and the deposit left."""
    bill = view.bill
    view.payments = list(Payment.objects.filter(bill=bill).select_related("received_by").order_by("at", "id"))
    view.applications = list(DepositApplication.objects.filter(bill=bill).select_related("by").order_by("at", "id"))
    view.refunds = list(RefundRequest.objects.filter(bill=bill).select_related("requested_by", "decided_by",
                                                                                "payment"))
    view.deposit_available = deposit_balance(bill.patient_id)
    return view


def timeline(bill: Bill) -> QuerySet:
    return bill.status_changes.select_related("by").order_by("at", "id")


# --- refunds and payments ---------------------------------------------------------------------------------


def refunds(*, status: str = "") -> QuerySet[RefundRequest]:
    queryset = RefundRequest.objects.select_related("patient", "bill", "requested_by", "decided_by", "payment")
    if status in RefundStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-requested_at", "-id")


def payments(*, patient_id: int | None = None, kind: str = "") -> QuerySet[Payment]:
    queryset = Payment.objects.select_related("patient", "bill", "received_by")
    if patient_id is not None:
        queryset = queryset.filter(patient_id=patient_id)
    if kind in PaymentKind.values:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-at", "-id")


def for_patient(patient_id: int, *, limit: int = 10) -> dict:
    """The patient page's billing section: recent bills, recent deposits and refunds, deposit left."""
    recent = list(bills(patient_id=patient_id)[:limit])
    return {
        "bills": recent,
        "owed": Bill.objects.filter(OWING, patient_id=patient_id).aggregate(total=Sum("balance"))["total"] or ZERO,
        "deposit_available": deposit_balance(patient_id),
        "deposits": list(payments(patient_id=patient_id).filter(bill__isnull=True)[:limit]),
    }



def paid_for(booking_id: int) -> Decimal:
    """Deposits taken for the booking plus payments on its bill, less the refunds of either (one query)."""
    money = Payment.objects.filter(Q(booking_id=booking_id) | Q(bill__booking_id=booking_id)).aggregate(
        came_in=Sum("amount", filter=Q(kind__in=[PaymentKind.DEPOSIT, PaymentKind.PAYMENT])),
        went_out=Sum("amount", filter=Q(kind=PaymentKind.REFUND)))
    return round_money((money["came_in"] or ZERO) - (money["went_out"] or ZERO))


def booking_money(booking_id: int) -> dict:
    """The booking page's money card: its live bills with their payers and guests, its void bills apart, the
    receipts of money taken or given back for it, and what came in (four queries)."""
    received = (Payment.objects.filter(Q(booking_id=booking_id) | Q(bill__booking_id=booking_id))
                .select_related("received_by").order_by("at", "id"))
    bills = list(Bill.objects.filter(booking_id=booking_id).select_related("patient", "organisation")
                 .prefetch_related("guests__patient").order_by("id"))
    void = [bill for bill in bills if bill.is_void]
    return {"bills": [bill for bill in bills if not bill.is_void], "void_bills": void, "payments": list(received),
            "paid": paid_for(booking_id)}


def guests_and_bills(booking: Booking, bills: list[Bill]) -> list[tuple]:
    """(patient, bill) for each guest of the booking: the bill their lines are on (two queries)."""
    placed = dict(BillGuest.objects.filter(booking=booking).values_list("patient_id", "bill_id"))
    by_id = {bill.pk: bill for bill in bills}
    first = bills[0] if bills else None
    lines = booking.lines.filter(removed_at__isnull=True).select_related("patient").order_by("start_date", "id")
    patients = list({line.patient_id: line.patient for line in lines}.values())
    return [(patient, by_id.get(placed.get(patient.pk), first)) for patient in patients]


def payer_targets(bills: list[Bill]) -> list[tuple[str, str]]:
    """Where a guest's lines can go: one of the booking's bills, their own bill, one bill for every guest, or a new
    bill of an active organisation (one query)."""
    keys = {bill.payer_key for bill in bills}
    targets = [(f"bill:{bill.pk}", f"{bill.number} · {bill.payer_name}") for bill in bills if not bill.is_void]
    targets.append(("own", _("The guest's own bill")))
    if "all" not in keys:
        targets.append(("all", _("One bill for every guest")))
    targets += [(f"org:{organisation.pk}", _("A new bill for %(name)s") % {"name": organisation.name})
                for organisation in Organisation.objects.filter(is_active=True).order_by("name")
                if f"org:{organisation.pk}" not in keys]
    return targets


# --- running bills against deposits -----------------------------------------------------------------------


def top_up_margin() -> Decimal:
    """HAYAT_TOP_UP_MARGIN: how far an inpatient's running bill may pass what is paid and deposited."""
    return round_money(Decimal(str(getattr(settings, "HAYAT_TOP_UP_MARGIN", "0")) or "0"))


def patient_sum(model, **condition):
    """A subquery: the sum of `amount` over the bill's patient's rows of `model` matching `condition`."""
    rows = (model.objects.filter(patient_id=OuterRef("patient_id"), **condition).values("patient_id")
            .annotate(total=Sum("amount")).values("total"))
    return Coalesce(Subquery(rows, output_field=DecimalField(max_digits=MAX_DIGITS, decimal_places=2)), ZERO,
                    output_field=DecimalField(max_digits=MAX_DIGITS, decimal_places=2))


def with_uncovered(queryset: QuerySet[Bill]) -> QuerySet[Bill]:
    """Annotates `uncovered`: the bill's balance due less the patient's deposit not yet applied (one query)."""
    deposit_left = (patient_sum(Payment, kind=PaymentKind.DEPOSIT, bill__isnull=True)
                    - patient_sum(Payment, kind=PaymentKind.REFUND, bill__isnull=True)
                    - patient_sum(DepositApplication))
    return queryset.annotate(uncovered=F("balance") - deposit_left)


def top_ups_due() -> QuerySet[Bill]:
    """Inpatients whose running bill passes what they paid and deposited by more than the margin, most first."""
    return (with_uncovered(Bill.objects.select_related("patient", "episode")
                           .filter(episode__status=EpisodeStatus.ADMITTED).exclude(status=BillStatus.VOID))
            .filter(uncovered__gt=top_up_margin()).order_by("-uncovered", "id"))


def top_up_for(bill: Bill) -> Decimal | None:
    """What an admitted patient should top up now (live bed time counted), or None while deposits cover the
    bill within the margin."""
    if not bill.episode_id or bill.is_void or bill.episode.status != EpisodeStatus.ADMITTED:
        return None
    uncovered = live_bill(bill).total - bill.paid_total - deposit_balance(bill.patient_id)
    return uncovered if uncovered > top_up_margin() else None
