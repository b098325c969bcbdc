"""Money at the cash desk: payments on bills, deposits, deposits applied to bills, refunds.

Every use case locks what its rule depends on before checking it: the bill row for "never more than
is due" (so two tellers taking the last payment at once cannot both succeed), and the patient row for
"never spend more deposit than there is". Lock order: patient, then bill, then the teller (whose cash day
the receipt counts in), then the number sequence.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hayat.billing import dayclose, selectors
from hayat.billing.models import (
    ZERO,
    Bill,
    DepositApplication,
    Payment,
    PaymentKind,
    PaymentMethod,
    RefundRequest,
    RefundStatus,
)
from hayat.billing.services import advance_to_invoiced, clean_amount, locked, recompute, refresh
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.lifecycle import Lifecycle
from hayat.core.money import format_money
from hayat.core.numbering import next_value
from hayat.core.transactions import retrying_atomic
from hayat.patients.models import Patient

REFUND = Lifecycle(gettext_lazy("refund request"),
                   {RefundStatus.REQUESTED: {RefundStatus.APPROVED, RefundStatus.REJECTED}},
                   dict(RefundStatus.choices))


def next_receipt_number() -> str:
    """RC-YYYY-NNNNNN: one series for payments, deposits and refunds, unique under concurrency."""
    key = f"RC-{clock.today():%Y}"
    return f"{key}-{next_value(key):06d}"


def new_receipt(*, by: Any, teller: Any, at, **fields) -> Payment:
    """Writes money that changed hands at `at`, received (or handed out) by `teller`, with its receipt number, on
    the teller's open cash day (a closed day never changes: see hayat.billing.dayclose)."""
    cash_day = dayclose.cash_day_for(teller.pk, at)
    payment = Payment.objects.create(number=next_receipt_number(), received_by=teller, at=at, cash_day=cash_day,
                                     **fields)
    dayclose.note_moved_day(payment, by=by)
    return payment


def check_method(method: str) -> str:
    if method not in PaymentMethod.values:
        raise DomainError(_("Choose how the money is paid."), field="method")
    return method


def lock_patient(patient_id: int) -> Patient:
    return Patient.objects.select_for_update().get(pk=patient_id)


@dataclass(frozen=True)
class Taken:
    """What a payment at the desk wrote: the payment on the bill, and the deposit of any excess."""

    payment: Payment
    deposit: Payment | None

    @property
    def receipts(self) -> list[Payment]:
        return [payment for payment in (self.payment, self.deposit) if payment is not None]


def ensure_something_due(bill: Bill) -> None:
    """Money is taken for a bill only while it has a balance due; a bill in the patient's favour is refunded."""
    if bill.balance < 0:
        raise Conflict(_("Bill %(number)s owes the patient %(amount)s: request a refund instead of taking a "
                         "payment. To keep money for later bills, take a deposit on the patient's page.")
                       % {"number": bill.number, "amount": format_money(-bill.balance)}, code="owes_patient",
                       field="amount")
    if bill.balance == 0:
        raise Conflict(_("Nothing is due on bill %(number)s.") % {"number": bill.number}, code="nothing_due",
                       field="amount")


@retrying_atomic
def take_payment(*, by: Any, bill: Bill, amount: Any, method: str = PaymentMethod.CASH,
                 excess_to_deposit: bool = False, note: str = "") -> Taken:
    """Takes money for a bill: partial payments are fine, more than is due only as a deposit.

    The bill is brought up to date first (bed time up to this minute), and a bill not yet issued is
    calculated and invoiced on the way, each step written to its history.
    """
    policy.ensure(by, "billing.take_payment")
    amount = clean_amount(amount)
    check_method(method)
    bill = locked(bill)
    if bill.is_void:
        raise Conflict(_("Bill %(number)s is void.") % {"number": bill.number}, code="bill_void")
    refresh(bill, by=by)
    ensure_something_due(bill)
    due = bill.balance
    excess = amount - due if amount > due else ZERO
    if excess and not excess_to_deposit:
        raise DomainError(_("%(amount)s is more than the %(due)s due. Lower the amount, or keep the rest as a "
                            "deposit.") % {"amount": format_money(amount), "due": format_money(due)},
                          code="more_than_due", field="amount")
    advance_to_invoiced(bill, by=by, reason=_("Invoiced to take a payment"))
    now = clock.now()
    payment = new_receipt(by=by, teller=by, at=now, kind=PaymentKind.PAYMENT, method=method, patient_id=bill.patient_id,
                          bill=bill, amount=amount - excess, note=(note or "").strip()[:200])
    recompute(bill, by=by, reason=_("Payment %(number)s") % {"number": payment.number})
    payment.balance_after = bill.balance
    payment.save(update_fields=["balance_after"])
    audit.record("bill.payment", by=by, obj=bill, patient_id=bill.patient_id,
                 changes={"payment": [None, payment.number], "amount": [None, str(payment.amount)],
                          "paid_total": [None, str(bill.paid_total)]})
    deposit = None
    if excess > 0:
        deposit = write_deposit(by=by, patient_id=bill.patient_id, amount=excess, method=method, at=now,
                                note=_("Excess of the payment for bill %(number)s") % {"number": bill.number})
    return Taken(payment=payment, deposit=deposit)


def write_deposit(*, by: Any, patient_id: int, amount: Decimal, method: str, at, note: str,
                  booking=None) -> Payment:
    deposit = new_receipt(by=by, teller=by, at=at, kind=PaymentKind.DEPOSIT, method=method, patient_id=patient_id,
                          booking=booking, amount=amount, note=note.strip()[:200])
    deposit.balance_after = selectors.deposit_balance(patient_id)
    deposit.save(update_fields=["balance_after"])
    audit.record("billing.deposit", by=by, obj=deposit, patient_id=patient_id,
                 changes={"deposit": [None, deposit.number], "amount": [None, str(amount)]})
    return deposit


@retrying_atomic
def take_deposit(*, by: Any, patient: Patient, amount: Any, method: str = PaymentMethod.CASH,
                 note: str = "") -> Payment:
    """Takes money in advance, kept for the patient until it is applied to a bill or refunded.

    A deposit for a booking is taken by hayat.billing.bookings.take_booking_deposit().
    """
    policy.ensure(by, "billing.take_payment")
    amount = clean_amount(amount)
    check_method(method)
    if not patient.is_active:
        raise DomainError(_("%(patient)s is not an active patient.") % {"patient": patient.full_name},
                          code="patient_inactive")
    return write_deposit(by=by, patient_id=patient.pk, amount=amount, method=method, at=clock.now(), note=note)


@retrying_atomic
def apply_deposit(*, by: Any, bill: Bill, amount: Any = None) -> DepositApplication:
    """Pays (part of) a bill from the patient's deposit: by default as much as both allow."""
    policy.ensure(by, "billing.take_payment")
    lock_patient(bill.patient_id)
    bill = locked(bill)
    if bill.is_void:
        raise Conflict(_("Bill %(number)s is void.") % {"number": bill.number}, code="bill_void")
    refresh(bill, by=by)
    available = selectors.deposit_balance(bill.patient_id)
    if available <= 0:
        raise Conflict(_("The patient has no deposit left."), code="no_deposit", field="amount")
    ensure_something_due(bill)
    amount = min(available, bill.balance) if amount in (None, "") else clean_amount(amount)
    if amount > available:
        raise DomainError(_("Only %(available)s of deposit is left.") % {"available": format_money(available)},
                          code="more_than_deposit", field="amount")
    if amount > bill.balance:
        raise DomainError(_("%(amount)s is more than the %(due)s due.")
                          % {"amount": format_money(amount), "due": format_money(bill.balance)},
                          code="more_than_due", field="amount")
    advance_to_invoiced(bill, by=by, reason=_("Invoiced to apply the deposit"))
    application = DepositApplication.objects.create(patient_id=bill.patient_id, bill=bill, amount=amount,
                                                    at=clock.now(), by=by)
    recompute(bill, by=by, reason=_("Deposit applied"))
    audit.record("bill.apply_deposit", by=by, obj=bill, patient_id=bill.patient_id,
                 changes={"amount": [None, str(amount)], "paid_total": [None, str(bill.paid_total)]})
    return application


# --- refunds ----------------------------------------------------------------------------------------------


def refundable(*, bill: Bill | None, patient_id: int, excluding: RefundRequest | None = None) -> Decimal:
    """What may still be refunded: the bill's payments (or the deposit) less requests awaiting a decision."""
    waiting = RefundRequest.objects.filter(status=RefundStatus.REQUESTED, patient_id=patient_id, bill=bill)
    if excluding is not None:
        waiting = waiting.exclude(pk=excluding.pk)
    held = bill.paid_total if bill is not None else selectors.deposit_balance(patient_id)
    return held - sum((request.amount for request in waiting), ZERO)


@retrying_atomic
def request_refund(*, by: Any, amount: Any, reason: str, bill: Bill | None = None, patient: Patient | None = None,
                   method: str = PaymentMethod.CASH) -> RefundRequest:
    """Asks an Admin to approve giving money back, from a bill's payments or from the patient's deposit."""
    policy.ensure(by, "billing.request_refund")
    if (bill is None) == (patient is None):
        raise DomainError(_("Refund either a bill or a deposit."), code="bill_or_deposit")
    amount = clean_amount(amount)
    check_method(method)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the money is given back."), field="reason")
    patient_id = bill.patient_id if bill is not None else patient.pk
    lock_patient(patient_id)
    if bill is not None:
        bill = locked(bill)
    available = refundable(bill=bill, patient_id=patient_id)
    if amount > available:
        raise DomainError(_("At most %(available)s can be refunded here (requests awaiting approval counted).")
                          % {"available": format_money(max(available, ZERO))}, code="more_than_refundable",
                          field="amount")
    refund = RefundRequest.objects.create(patient_id=patient_id, bill=bill, amount=amount, method=method,
                                          reason=reason, requested_by=by, requested_at=clock.now())
    audit.record("billing.refund_request", by=by, obj=refund, patient_id=patient_id, note=reason,
                 changes={"amount": [None, str(amount)], "bill": [None, bill.number if bill else None]})
    return refund


@retrying_atomic
def approve_refund(*, by: Any, refund: RefundRequest, note: str = "") -> Payment:
    """Approves a refund and writes its payment (handed out by the teller who asked) in one transaction."""
    policy.ensure(by, "billing.approve_refund")
    lock_patient(refund.patient_id)
    bill = locked(refund.bill) if refund.bill_id else None
    refund = RefundRequest.objects.select_for_update().get(pk=refund.pk)
    REFUND.check(refund.status, RefundStatus.APPROVED)
    available = refundable(bill=bill, patient_id=refund.patient_id, excluding=refund)
    if refund.amount > available:
        raise Conflict(_("Only %(available)s can be refunded now; reject this request and ask for less.")
                       % {"available": format_money(max(available, ZERO))}, code="more_than_refundable")
    now = clock.now()
    payment = new_receipt(by=by, teller=refund.requested_by, at=now, kind=PaymentKind.REFUND, method=refund.method,
                          patient_id=refund.patient_id, bill=bill, booking_id=refund.booking_id, amount=refund.amount,
                          note=refund.reason[:200])
    refund.status, refund.decided_by, refund.decided_at = RefundStatus.APPROVED, by, now
    refund.decision_note, refund.payment = (note or "").strip(), payment
    refund.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "payment"])
    if bill is not None:
        recompute(bill, by=by, reason=_("Refund %(number)s") % {"number": payment.number})
        payment.balance_after = bill.balance
    else:
        payment.balance_after = selectors.deposit_balance(refund.patient_id)
    payment.save(update_fields=["balance_after"])
    audit.record("billing.refund_approve", by=by, obj=refund, patient_id=refund.patient_id, note=refund.decision_note,
                 changes={"status": [RefundStatus.REQUESTED, RefundStatus.APPROVED], "payment": [None, payment.number]})
    return payment


@retrying_atomic
def reject_refund(*, by: Any, refund: RefundRequest, note: str) -> RefundRequest:
    policy.ensure(by, "billing.approve_refund")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say why the refund is rejected."), field="note")
    refund = RefundRequest.objects.select_for_update().get(pk=refund.pk)
    REFUND.check(refund.status, RefundStatus.REJECTED)
    refund.status, refund.decided_by, refund.decided_at, refund.decision_note = (
        RefundStatus.REJECTED, by, clock.now(), note)
    refund.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record("billing.refund_reject", by=by, obj=refund, patient_id=refund.patient_id, note=note,
                 changes={"status": [RefundStatus.REQUESTED, RefundStatus.REJECTED]})
    return refund

