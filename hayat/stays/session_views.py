"""Web pages of sessions and services: the one-click "session done" (htmx), recording an extra service, and
undoing either for a few minutes."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_htmx.http import trigger_client_event

from hayat.catalog.models import Service
from hayat.core import clock
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.idempotency import idempotent
from hayat.core.money import format_money
from hayat.core.policy import require_capability
from hayat.patients.models import Patient
from hayat.stays import sessions
from hayat.stays.models import Booking, ServiceUsage
from hayat.stays.operation_forms import ExtraServiceForm, SessionForm
from hayat.stays.views import get_booking, require_post, sessions_context


def sessions_card(request, booking: Booking, message: str, level: str = "success"):
    response = render(request, "stays/_sessions.html", {"booking": booking, **sessions_context(request, booking)})
    return trigger_client_event(response, "toast", {"message": message, "level": level})


@require_post
@require_capability("stays.record_session")
@idempotent
def session_done(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    form = SessionForm(request.POST)
    patient = service = None
    if form.is_valid():
        patient = Patient.objects.filter(pk=form.cleaned_data["patient"]).first()
        service = Service.objects.filter(pk=form.cleaned_data["service"]).first()
    try:
        if patient is None or service is None:
            raise DomainError(_("Choose the guest and the service."))
        usage = sessions.record_session(by=request.user, booking=booking, patient=patient, service=service)
    except DomainError as error:
        message, level = error.message, "danger"
    else:
        message = (_("%(service)s for %(patient)s: beyond the tariff, billed at %(price)s.")
                   if usage.billable else _("%(service)s for %(patient)s: session recorded.")) % {
            "service": service, "patient": patient.full_name, "price": format_money(usage.unit_price)}
        level = "warning" if usage.billable else "success"
    if request.htmx:
        return sessions_card(request, get_booking(pk), message, level)
    getattr(messages, "error" if level == "danger" else level)(request, message)
    return redirect(booking)


@require_capability("stays.record_session")
@idempotent
def extra_service(request, pk):
    booking = get_booking(pk)
    form = ExtraServiceForm(request.POST or None, booking=booking, initial={"used_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sessions.record_extra_service(by=request.user, booking=booking,
                                          patient=Patient.objects.get(pk=data["patient"]), service=data["service"],
                                          quantity=data["quantity"], on=data["used_on"], note=data["note"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(service)s is recorded and billed.") % {"service": data["service"]})
            return redirect(booking)
    return render(request, "stays/booking_form.html", {
        "booking": booking, "form": form, "title": _("Record an extra service"), "icon": "hand-holding-medical",
    })


@require_post
@require_capability("stays.record_session")
@idempotent
def usage_undo(request, pk, usage_pk):
    """Undoes a session or an extra service just recorded by mistake (hayat.stays.sessions.undo_usage)."""
    usage = get_object_or_404(ServiceUsage.objects.select_related("service", "patient"), pk=usage_pk, booking_id=pk)
    try:
        sessions.undo_usage(by=request.user, usage=usage)
    except DomainError as error:
        message, level = error.message, "danger"
    else:
        message, level = _("%(service)s for %(patient)s is undone.") % {
            "service": usage.service, "patient": usage.patient.full_name}, "success"
    if request.htmx:
        return sessions_card(request, get_booking(pk), message, level)
    getattr(messages, "error" if level == "danger" else level)(request, message)
    return redirect(usage.booking)
