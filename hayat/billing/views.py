"""Web pages of billing: the teller's queue, the bill page and its actions, deposits, refunds, receipts,
and the daily cash report. Thin: each one reads through selectors and writes through one service."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from hayat.accounts.models import User
from hayat.billing import bookings, cashbook, dayclose, lifecycle, payments, selectors, services
from hayat.billing.forms import (
    ApplyDepositForm,
    BillFilterForm,
    CashReportForm,
    DayCloseForm,
    DecisionForm,
    DepositForm,
    EpisodePayerForm,
    ItemForm,
    PaymentForm,
    ReasonForm,
    RefundForm,
)
from hayat.billing.models import (
    Bill,
    BillItem,
    BillStatus,
    DayClose,
    PaymentMethod,
    RefundRequest,
    RefundStatus,
)
from hayat.core import audit, audit_chain, clock
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.idempotency import idempotent
from hayat.core.money import format_money
from hayat.core.params import id_from
from hayat.core.policy import can, require_capability
from hayat.core.ratelimits import expensive
from hayat.core.roles import Role
from hayat.patients.models import Patient

PAGE_SIZE = 25


def require_post(view):
    wrapped = require_POST(view)
    wrapped.post_only = True
    return wrapped


def get_bill(pk: int) -> Bill:
    return get_object_or_404(selectors.bill_queryset(), pk=pk)


# --- the queue --------------------------------------------------------------------------------------------


@require_capability("billing.view")
def bill_list(request):
    form = BillFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    show = data.get("show") or ("unpaid" if not request.GET else "all")
    rows = selectors.with_uncovered(selectors.bills(search=(data.get("q") or "").strip()[:100],
                                                    status=data.get("status") or "", unpaid=show == "unpaid",
                                                    credit=show == "credit"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.log_rows_access(by=request.user, rows=page, what=gettext_noop("bill list"))
    context = {"form": form, "page": page, "show": show, "top_up_margin": selectors.top_up_margin()}
    if request.htmx and request.htmx.target == "bill-results":
        return render(request, "billing/_bill_rows.html", context)
    counts = selectors.status_counts()
    context["counts"] = [(value, label, counts[value]) for value, label in BillStatus.choices]
    return render(request, "billing/bill_list.html", context)


# --- one bill ---------------------------------------------------------------------------------------------


def bill_context(request, bill: Bill) -> dict:
    view = selectors.with_money(selectors.live_bill(bill))
    user = request.user
    return {
        "bill": bill, "view": view, "timeline": selectors.timeline(bill),
        "receipt": id_from(request.GET.get("receipt")),
        "payment_form": PaymentForm(initial={"amount": max(view.balance, 0)}),
        "item_form": ItemForm(), "void_form": ReasonForm(),
        "can_add": can(user, "billing.add_item") and bill.status in lifecycle.OPEN,
        "can_pay": can(user, "billing.take_payment") and not bill.is_void,
        "can_void": can(user, "billing.void") and BillStatus.VOID in lifecycle.BILL.allowed_from(bill.status),
        "can_refund": can(user, "billing.request_refund") and bill.paid_total > 0,
        "can_calculate": can(user, "billing.add_item") and bill.status == BillStatus.PENDING,
        "can_invoice": can(user, "billing.add_item") and bill.status == BillStatus.CALCULATED,
        "removable": bill.status in {BillStatus.PENDING, BillStatus.CALCULATED},
        "correctable": bill.status in lifecycle.ISSUED,
        "payer_form": (EpisodePayerForm(initial={"organisation": bill.organisation_id})
                       if bill.episode_id and bill.paid_total == 0 and not bill.is_void
                       and can(user, "billing.manage_payers") else None),
    }


@require_capability("billing.view")
def bill_detail(request, pk):
    bill = get_bill(pk)
    audit.log_access(by=request.user, patient_id=bill.patient_id, what=gettext_noop("bill"), obj=bill)
    return render(request, "billing/bill_detail.html", bill_context(request, bill))


@require_capability("billing.view")
def bill_lines(request, pk):
    """The lines and totals, re-read every minute by the bill page so bed time is seen to grow."""
    bill = get_bill(pk)
    context = bill_context(request, bill)
    return render(request, "billing/_bill_lines.html", context)


def back_to(bill: Bill):
    return redirect("billing:bill_detail", pk=bill.pk)


@require_capability("billing.add_item")
@idempotent
def item_add(request, pk):
    bill = get_bill(pk)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_item(by=request.user, bill=bill, kind=data["kind"], description=data["description"],
                              quantity=data["quantity"], unit_price=data["unit_price"], reason=data["reason"],
                              service=data["service"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Item added to bill %(number)s.") % {"number": bill.number})
            return back_to(bill)
    return render(request, "billing/item_form.html", {"bill": bill, "form": form})


@require_post
@require_capability("billing.add_item")
def item_remove(request, pk):
    item = get_object_or_404(BillItem.objects.select_related("bill"), pk=pk)
    try:
        services.remove_item(by=request.user, item=item, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Item removed."))
    return back_to(item.bill)


@require_capability("billing.add_item")
@idempotent
def item_correct(request, pk):
    item = get_object_or_404(BillItem.objects.select_related("bill__patient"), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_item(by=request.user, item=item, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Item corrected."))
            return back_to(item.bill)
    return render(request, "billing/item_correct.html", {"bill": item.bill, "item": item, "form": form})


@require_post
@require_capability("billing.add_item")
def bill_calculate(request, pk):
    bill = get_bill(pk)
    try:
        services.calculate(by=request.user, bill=bill)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Bill %(number)s calculated.") % {"number": bill.number})
    return back_to(bill)


@require_post
@require_capability("billing.add_item")
def bill_invoice(request, pk):
    bill = get_bill(pk)
    try:
        services.invoice(by=request.user, bill=bill)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Bill %(number)s invoiced.") % {"number": bill.number})
    return back_to(bill)


@require_capability("billing.void")
def bill_void(request, pk):
    bill = get_bill(pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.void(by=request.user, bill=bill, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Bill %(number)s is void.") % {"number": bill.number})
            return back_to(bill)
    return render(request, "billing/bill_void.html", {"bill": bill, "form": form})


# --- payments ---------------------------------------------------------------------------------------------


@require_capability("billing.take_payment")
@idempotent
def take_payment(request, pk):
    bill = get_bill(pk)
    view = selectors.live_bill(bill)
    form = PaymentForm(request.POST or None, initial={"amount": max(view.balance, 0)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            taken = payments.take_payment(by=request.user, bill=bill, amount=data["amount"], method=data["method"],
                                          excess_to_deposit=data["excess_to_deposit"], note=data["note"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            for receipt in taken.receipts:
                messages.success(request, _("%(kind)s of %(amount)s received: receipt %(number)s.") % {
                    "kind": receipt.get_kind_display(), "amount": format_money(receipt.amount),
                    "number": receipt.number})
            first = taken.receipts[0]
            return redirect(f"{reverse('billing:bill_detail', kwargs={'pk': bill.pk})}?receipt={first.pk}")
    if bill.is_void:
        messages.error(request, _("Bill %(number)s is void.") % {"number": bill.number})
        return back_to(bill)
    if request.method != "POST" and view.balance <= 0:
        messages.info(request, nothing_to_pay(bill, view.balance))
        return back_to(bill)
    audit.log_access(by=request.user, patient_id=bill.patient_id, what=gettext_noop("bill payment form"), obj=bill)
    return render(request, "billing/take_payment.html", {"bill": bill, "view": view, "form": form})


def nothing_to_pay(bill: Bill, balance) -> str:
    if balance < 0:
        return _("Bill %(number)s owes the patient %(amount)s: request a refund instead of taking a payment.") % {
            "number": bill.number, "amount": format_money(-balance)}
    return _("Nothing is due on bill %(number)s.") % {"number": bill.number}


@require_capability("billing.take_payment")
def take_payment_for(request):
    """"Take payment" from a booking or an episode page: the payment form of its bill, or why there is nothing
    to pay. Only reads: a bill opens with the lifecycle (confirmation, coding), never on this GET."""
    source = payment_source(request)
    if source is None:
        messages.info(request, _("Choose the bill to take a payment for."))
        return redirect("billing:bill_list")
    bill = selectors.bill_of(source)
    if bill is None:
        messages.info(request, selectors.why_no_bill(source) or _("%(source)s has no bill yet.") % {"source": source})
        return redirect(source.get_absolute_url())
    return redirect("billing:take_payment", pk=bill.pk)


def payment_source(request):
    """The booking (?booking=) or the episode (?episode=) asked for; 404 for an id that names none."""
    from hayat.clinical.models import Episode
    from hayat.stays.models import Booking

    booking_id, episode_id = id_from(request.GET.get("booking")), id_from(request.GET.get("episode"))
    if booking_id is not None:
        return get_object_or_404(Booking, pk=booking_id)
    if episode_id is not None:
        return get_object_or_404(Episode, pk=episode_id)
    return None


@require_post
@require_capability("billing.take_payment")
@idempotent
def apply_deposit(request, pk):
    bill = get_bill(pk)
    form = ApplyDepositForm(request.POST)
    if form.is_valid():
        try:
            application = payments.apply_deposit(by=request.user, bill=bill, amount=form.cleaned_data["amount"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(amount)s of deposit applied to bill %(number)s.") % {
                "amount": format_money(application.amount), "number": bill.number})
    return back_to(bill)


@require_capability("billing.take_payment")
@idempotent
def take_deposit(request, patient_pk):
    patient = get_object_or_404(Patient, pk=patient_pk)
    form = DepositForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deposit = payments.take_deposit(by=request.user, patient=patient, amount=data["amount"],
                                            method=data["method"], note=data["note"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Deposit of %(amount)s received: receipt %(number)s.") % {
                "amount": format_money(deposit.amount), "number": deposit.number})
            return redirect(f"{reverse('billing:patient_money', kwargs={'patient_pk': patient.pk})}"
                            f"?receipt={deposit.pk}")
    audit.log_access(by=request.user, patient_id=patient.pk, what=gettext_noop("deposit form"), obj=patient)
    return render(request, "billing/take_deposit.html", {
        "patient": patient, "form": form, "deposit_available": selectors.deposit_balance(patient.pk)})


@require_capability("billing.take_payment")
@idempotent
def booking_deposit(request, booking_pk):
    """The deposit dialog of a booking: amount and method, a receipt, the hold kept, the bill paid from it."""
    from hayat.stays.models import Booking

    booking = get_object_or_404(Booking, pk=booking_pk)
    minimum = bookings.minimum_deposit(booking)
    form = DepositForm(request.POST or None, initial={"amount": minimum or ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deposit = bookings.take_booking_deposit(by=request.user, booking=booking, amount=data["amount"],
                                                    method=data["method"], note=data["note"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Deposit of %(amount)s received for %(booking)s: receipt %(number)s.") % {
                "amount": format_money(deposit.amount), "booking": booking.number, "number": deposit.number})
            return redirect(f"{booking.get_absolute_url()}?receipt={deposit.pk}")
    lines = list(booking.lines.filter(removed_at__isnull=True).select_related("patient").order_by("start_date", "id"))
    audit.log_access_many(by=request.user, patient_ids=[line.patient_id for line in lines],
                          what=gettext_noop("deposit form"), obj=booking)
    return render(request, "billing/booking_deposit.html", {
        "booking": booking, "payer": lines[0].patient if lines else None, "form": form, "minimum": minimum,
        "paid": selectors.paid_for(booking.pk)})


@require_capability("billing.view")
def patient_money(request, patient_pk):
    """A patient's bills, deposits and refunds in one place (linked from the patient page)."""
    patient = get_object_or_404(Patient, pk=patient_pk)
    audit.log_access(by=request.user, patient_id=patient.pk, what=gettext_noop("bills and payments"), obj=patient)
    return render(request, "billing/patient_money.html", {
        "patient": patient, **selectors.for_patient(patient.pk, limit=50),
        "payments": selectors.payments(patient_id=patient.pk)[:100],
        "refunds": selectors.refunds().filter(patient=patient)[:50],
        "receipt": id_from(request.GET.get("receipt")),
    })


@require_capability("billing.view")
@expensive
def receipt(request, pk):
    """Receipts are printed by the documents app, on the letterhead; this address stays for links and bookmarks."""
    return redirect(f"{reverse('documents:receipt', kwargs={'pk': pk})}?{request.GET.urlencode()}".rstrip("?"))


# --- refunds ----------------------------------------------------------------------------------------------


def refund_form_page(request, *, bill: Bill | None, patient: Patient):
    form = RefundForm(request.POST or None)
    available = payments.refundable(bill=bill, patient_id=patient.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payments.request_refund(by=request.user, bill=bill, patient=None if bill else patient,
                                    amount=data["amount"], method=data["method"], reason=data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Refund requested; an administrator will approve it."))
            if bill is not None:
                return back_to(bill)
            return redirect("billing:patient_money", patient_pk=patient.pk)
    audit.log_access(by=request.user, patient_id=patient.pk, what=gettext_noop("refund form"), obj=bill or patient)
    return render(request, "billing/refund_form.html", {"bill": bill, "patient": patient, "form": form,
                                                         "available": available})


@require_capability("billing.request_refund")
@idempotent
def refund_bill(request, pk):
    bill = get_bill(pk)
    return refund_form_page(request, bill=bill, patient=bill.patient)


@require_capability("billing.request_refund")
@idempotent
def refund_deposit(request, patient_pk):
    return refund_form_page(request, bill=None, patient=get_object_or_404(Patient, pk=patient_pk))


@require_capability("billing.view")
def refund_list(request):
    status = request.GET.get("status", RefundStatus.REQUESTED)
    rows = selectors.refunds(status="" if status == "all" else status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.log_rows_access(by=request.user, rows=page, what=gettext_noop("refund list"))
    return render(request, "billing/refund_list.html", {
        "page": page, "status": status, "statuses": RefundStatus.choices,
        "can_decide": can(request.user, "billing.approve_refund"), "decision_form": DecisionForm(),
    })


@require_post
@require_capability("billing.approve_refund")
@idempotent
def refund_decide(request, pk):
    refund = get_object_or_404(RefundRequest, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or reject."))
        return redirect("billing:refund_list")
    note = form.cleaned_data["note"]
    try:
        if form.cleaned_data["decision"] == "approve":
            payment = payments.approve_refund(by=request.user, refund=refund, note=note)
            messages.success(request, _("Refund approved: receipt %(number)s.") % {"number": payment.number})
        else:
            payments.reject_refund(by=request.user, refund=refund, note=note)
            messages.success(request, _("Refund rejected."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("billing:refund_list")


# --- the cash report --------------------------------------------------------------------------------------


def report_from(request) -> tuple[CashReportForm, cashbook.CashReport | None]:
    tellers = User.objects.filter(role__in=[Role.TELLER, Role.ADMIN]).order_by("full_name")
    data = request.GET.copy()
    if "teller" not in data and request.user.role == Role.TELLER:
        data["teller"] = str(request.user.pk)
    form = CashReportForm(data or None, tellers=tellers)
    if form.is_bound and not form.is_valid():
        return form, None
    start, end = form.period(clock.today())
    teller = form.cleaned_data.get("teller") if form.is_bound else None
    try:
        report = cashbook.cash_report(start=start, end=end, teller_id=teller)
    except DomainError as error:
        add_domain_error(form, error)
        return form, None
    report.chain_head = audit_chain.state()
    audit.log_rows_access(by=request.user, rows=report.entries, what=gettext_noop("cash report"))
    return form, report


@require_capability("billing.cash_report")
def cash_report(request):
    form, report = report_from(request)
    return render(request, "billing/cash_report.html", {"form": form, "report": report,
                                                         "query": request.GET.urlencode()})


@require_capability("billing.cash_report")
@expensive
def cash_report_csv(request):
    form, report = report_from(request)
    if report is None:
        raise Http404(_("Choose a valid period."))
    response = HttpResponse(cashbook.as_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cash-report-{report.start}-{report.end}.csv"'
    return response


# --- closing the day --------------------------------------------------------------------------------------


@require_capability("billing.close_day")
@idempotent
def day_close(request):
    """The teller's Z-report of today, still open: the totals, the cash expected, the count to enter."""
    today = clock.today()
    form = DayCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closed = dayclose.close_day(by=request.user, day=today, counted_cash=form.cleaned_data["counted_cash"],
                                        note=form.cleaned_data["note"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(day)s is closed.") % {"day": date_format(closed.day)})
            return redirect(closed)
    totals = dayclose.day_totals(teller_id=request.user.pk, day=today)
    log_receipts_read(request, totals.entries)
    return render(request, "billing/day_close.html", {
        "form": form, "totals": totals, "methods": method_rows(totals.by_method),
        "already": DayClose.objects.filter(teller=request.user, day=today).first(),
        "recent": DayClose.objects.filter(teller=request.user).select_related("teller")[:10]})


def method_rows(by_method: dict) -> list[tuple[str, str, object]]:
    return [(method, label, by_method.get(method)) for method, label in PaymentMethod.choices]


def log_receipts_read(request, entries) -> None:
    audit.log_access_many(by=request.user, patient_ids=[payment.patient_id for payment in entries],
                          what=gettext_noop("cash day"))


def closed_day(pk: int) -> tuple[DayClose, dayclose.DayTotals]:
    closed = get_object_or_404(DayClose.objects.select_related("teller", "closed_by"), pk=pk)
    return closed, dayclose.day_totals(teller_id=closed.teller_id, day=closed.day)


@require_capability("billing.cash_report")
def day_close_detail(request, pk):
    """A closed day, printable: what it held when it was closed, and its receipts."""
    closed, totals = closed_day(pk)
    log_receipts_read(request, totals.entries)
    return render(request, "billing/day_close_detail.html", {"closed": closed, "totals": totals})


@require_capability("billing.cash_report")
def day_close_csv(request, pk):
    closed, totals = closed_day(pk)
    log_receipts_read(request, totals.entries)
    response = HttpResponse(dayclose.as_csv(closed, totals), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="day-close-{closed.teller.user_id}-{closed.day}.csv"'
    return response
