"""Web pages of arrival and departure, and of the illness histories they open and close."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hayat.core import audit
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.policy import can, require_capability
from hayat.stays import checkin, illness, lifecycle, selectors
from hayat.stays.errors import day
from hayat.stays.medical.forms import DiagnosisForm
from hayat.stays.models import Booking, BookingStatus, CheckIn, GuestLine, IllnessHistory, IllnessState
from hayat.stays.operation_forms import CareTeamForm, CheckInForm, CheckOutForm, IllnessStateForm
from hayat.stays.views import get_booking, require_post


@require_capability("stays.check_in")
def check_in(request, pk):
    booking = get_booking(pk)
    if BookingStatus.CHECKED_IN not in lifecycle.BOOKING.allowed_from(booking.status):
        messages.error(request, _("%(number)s is %(status)s: there is nobody to check in.")
                       % {"number": booking.number, "status": booking.get_status_display().lower()})
        return redirect(booking)
    audit.log_access_many(by=request.user, patient_ids=[line.patient_id for line in booking.current_lines()],
                      what=gettext_noop("check-in"), obj=booking)
    form = CheckInForm(request.POST or None, booking=booking)
    if request.method == "POST" and form.is_valid():
        try:
            checkin.check_in(by=request.user, booking=booking, data=form.check_in_data())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(number)s is checked in; the illness histories are registered.")
                             % {"number": booking.number})
            return redirect(booking)
    return render(request, "stays/check_in.html", {"booking": booking, "form": form})


@require_capability("stays.view")
def check_in_signature(request, pk):
    """The guest's signature under the consent, drawn at check-in, as the PNG kept (a read of the guests)."""
    check_in = CheckIn.objects.filter(booking_id=pk).select_related("booking").first()
    if check_in is None or not check_in.signature:
        raise Http404
    audit.log_access_many(by=request.user, patient_ids=[line.patient_id for line in check_in.booking.kept_lines()],
                          what=gettext_noop("signature at check-in"), obj=check_in.booking)
    return HttpResponse(bytes(check_in.signature), content_type="image/png")


@require_post
@require_capability("stays.check_out")
def check_out(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    form = CheckOutForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        booking = checkin.check_out(by=request.user, booking=booking, note=note)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(booking)
    if booking.status == BookingStatus.DISCHARGED:
        messages.success(request, _("%(number)s left early: the stay ends on %(day)s and its rooms are free from that "
                                    "day; settle the bill now.")
                         % {"number": booking.number, "day": day(booking.end_date)})
    else:
        messages.success(request, _("%(number)s is checked out; settle the bill now.") % {"number": booking.number})
    return redirect(selectors.settle_url(booking))


@require_post
@require_capability("stays.check_out")
def guest_leave(request, pk, line_pk):
    """One guest leaves early while the others stay; the desk settles that guest's bill next."""
    booking = get_object_or_404(Booking, pk=pk)
    line = get_object_or_404(GuestLine, pk=line_pk, booking=booking)
    form = CheckOutForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        departure = checkin.guest_leaves_early(by=request.user, booking=booking, line=line, note=note)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(patient)s leaves on %(day)s; the place is free from that day.")
                         % {"patient": line.patient.full_name, "day": day(departure)})
    return redirect(booking)


def get_history(pk: int) -> IllnessHistory:
    try:
        return selectors.illness_history_for_page(pk)
    except IllnessHistory.DoesNotExist as error:
        raise Http404 from error


@require_capability("stays.illness_history_view")
def illness_detail(request, pk):
    history = get_history(pk)
    audit.log_access(by=request.user, patient_id=history.patient_id, what=gettext_noop("illness history"), obj=history)
    may_treat = can(request.user, "stays.illness_history")
    return render(request, "stays/illness_detail.html", {
        "history": history, **medical_record_context(request.user, history),
        "may_open": may_treat and IllnessState.OPEN in illness.ILLNESS.allowed_from(history.state),
        "team_form": CareTeamForm(initial={"doctor": history.doctor_id, "nurses": list(history.nurses.all())})
        if may_treat and history.state != IllnessState.CLOSED else None,
    })


def medical_record_context(user, history: IllnessHistory) -> dict:
    """What the illness history page shows of the medical record: to its care team only."""
    if not can(user, "stays.medical_record_view"):
        return {}
    is_open = history.state != IllnessState.CLOSED
    return {
        "may_read_record": True,
        "may_write": is_open and can(user, "stays.medical_record"),
        "may_write_diary": is_open and can(user, "stays.diary"),
        "tags": [tag for tag in history.tags.split(", ") if tag],
        "diagnoses": [(_("Initial"), history.initial_diagnosis), (_("On arrival"), history.arrival_diagnosis),
                      (_("Final"), history.final_diagnosis)],
        "diagnosis_form": DiagnosisForm(),
    }


@require_post
@require_capability("stays.illness_history")
def illness_state(request, pk):
    history = get_object_or_404(IllnessHistory, pk=pk)
    form = IllnessStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a state."))
        return redirect(history)
    try:
        illness.change_state(by=request.user, history=history, to=form.cleaned_data["to"],
                             reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Illness history %(number)s is open.") % {"number": history.number})
    return redirect(history)


@require_post
@require_capability("stays.illness_history")
def illness_team(request, pk):
    history = get_object_or_404(IllnessHistory, pk=pk)
    form = CareTeamForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a doctor."))
        return redirect(history)
    try:
        illness.assign_care_team(by=request.user, history=history, doctor=form.cleaned_data["doctor"],
                                 nurses=list(form.cleaned_data["nurses"]))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The care team is changed."))
    return redirect(history)
