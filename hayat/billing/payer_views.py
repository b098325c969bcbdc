"""Web pages of payers: paying organisations, a booking's payers and the moves of a guest's lines, an episode
bill's payer. Thin: each one writes through one service of hayat.billing.payers."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from hayat.billing import payers, selectors
from hayat.billing.forms import BillPerGuestForm, EpisodePayerForm, MoveGuestForm, OrganisationForm
from hayat.billing.models import Organisation
from hayat.billing.views import get_bill, require_post
from hayat.core.errors import DomainError
from hayat.core.idempotency import idempotent
from hayat.core.policy import require_capability
from hayat.stays.models import Booking


def show_errors(request, form, error: DomainError | None = None) -> None:
    """A refused change on a card of another page: its messages as toasts on that page."""
    if error is not None:
        messages.error(request, error.message)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


# --- organisations ----------------------------------------------------------------------------------------


@require_capability("billing.manage_payers")
def organisation_list(request):
    """The organisations that pay bills (employers, insurers), and a form to add one."""
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = payers.save_organisation(by=request.user, values=form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("%(name)s can pay bills now.") % {"name": organisation.name})
            return redirect("billing:organisation_list")
    return render(request, "billing/organisation_list.html", {
        "form": form, "organisations": Organisation.objects.order_by("-is_active", "name")})


@require_capability("billing.manage_payers")
def organisation_edit(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    initial = {name: getattr(organisation, name) for name in payers.ORGANISATION_FIELDS}
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            payers.save_organisation(by=request.user, organisation=organisation, values=form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": form.cleaned_data["name"]})
            return redirect("billing:organisation_list")
    return render(request, "billing/organisation_form.html", {"form": form, "organisation": organisation})


# --- a booking's payers -----------------------------------------------------------------------------------


@require_post
@require_capability("billing.manage_payers")
@idempotent
def booking_bill_per_guest(request, booking_pk):
    """One payer for every guest, or a bill per guest (until the first payment)."""
    booking = get_object_or_404(Booking, pk=booking_pk)
    form = BillPerGuestForm(request.POST)
    if not form.is_valid():
        show_errors(request, form)
        return redirect(booking)
    try:
        payers.set_bill_per_guest(by=request.user, booking=booking, per_guest=form.cleaned_data["per_guest"])
    except DomainError as error:
        show_errors(request, form, error)
    else:
        messages.success(request, _("Each guest pays their own bill now.") if form.cleaned_data["per_guest"]
                         else _("One payer pays for every guest now."))
    return redirect(booking)


@require_post
@require_capability("billing.manage_payers")
@idempotent
def booking_move_guest(request, booking_pk):
    """Moves a guest's lines to another payer's bill of the booking."""
    booking = get_object_or_404(Booking, pk=booking_pk)
    bills = [bill for bill in selectors.bills_of(booking) if not bill.is_void]
    guests = [patient for patient, _bill in selectors.guests_and_bills(booking, bills)]
    form = MoveGuestForm(request.POST, guests=guests, targets=selectors.payer_targets(bills))
    if not form.is_valid():
        show_errors(request, form)
        return redirect(booking)
    try:
        bill = payers.move_guest(by=request.user, booking=booking, patient_id=form.cleaned_data["patient"],
                                 target=form.cleaned_data["to"])
    except DomainError as error:
        show_errors(request, form, error)
    else:
        messages.success(request, _("The guest's lines are on bill %(number)s of %(payer)s now.")
                         % {"number": bill.number, "payer": bill.payer_name})
    return redirect(booking)


# --- an episode bill's payer ------------------------------------------------------------------------------


@require_post
@require_capability("billing.manage_payers")
@idempotent
def bill_payer(request, pk):
    """Makes an organisation, or the patient again, the payer of an episode's bill."""
    bill = get_bill(pk)
    form = EpisodePayerForm(request.POST)
    if not form.is_valid():
        show_errors(request, form)
        return redirect(bill)
    try:
        bill = payers.set_episode_payer(by=request.user, bill=bill, organisation=form.cleaned_data["organisation"])
    except DomainError as error:
        show_errors(request, form, error)
    else:
        messages.success(request, _("Bill %(number)s is paid by %(payer)s.")
                         % {"number": bill.number, "payer": bill.payer_name})
    return redirect(bill)
