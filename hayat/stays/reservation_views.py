"""Web pages of reservations: the list with their holds, extending a hold (deposits are taken in billing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hayat.core import audit, clock
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.policy import can, require_capability
from hayat.stays import reservations, selectors
from hayat.stays.models import Booking
from hayat.stays.operation_forms import HoldForm
from hayat.stays.views import PAGE_SIZE


@require_capability("stays.view")
def reservation_list(request):
    page = Paginator(selectors.reservations(), PAGE_SIZE).get_page(request.GET.get("page"))
    audit.log_rows_access(by=request.user, rows=page, what=gettext_noop("reservation list"),
                          patient_ids_of=selectors.guest_ids)
    return render(request, "stays/reservation_list.html", {
        "page": page, "now": clock.now(), "may_deposit": can(request.user, "billing.take_payment"),
        "may_manage": can(request.user, "stays.manage"),
    })


@require_capability("stays.manage")
def reservation_hold(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    form = HoldForm(request.POST or None, initial={"until": booking.hold_until})
    if request.method == "POST" and form.is_valid():
        try:
            reservations.extend_hold(by=request.user, booking=booking, until=form.cleaned_data["until"],
                                     reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(number)s is held longer.") % {"number": booking.number})
            return redirect(booking)
    return render(request, "stays/booking_form.html", {
        "booking": booking, "form": form, "title": _("Extend the hold"), "icon": "hourglass-half",
    })
