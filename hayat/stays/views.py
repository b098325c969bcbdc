"""Web pages for bookings: the list, the booking page and its actions (dates, guests, status, cancel)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from hayat.catalog.models import Tariff
from hayat.core import audit, clock
from hayat.core.counting import EstimatingPaginator
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.idempotency import idempotent
from hayat.core.params import id_from
from hayat.core.policy import can, require_capability
from hayat.patients.models import Patient
from hayat.stays import changes, checkin, lifecycle, reverting, selectors, services, sessions
from hayat.stays.forms import (
    BookingFilterForm,
    CancelForm,
    DetailsForm,
    EditDatesForm,
    GuestForm,
    RemoveGuestForm,
    RevertForm,
    StatusForm,
)
from hayat.stays.models import FINISHED, IN_HOUSE, STAYED, Booking, BookingStatus, GuestLine, ServiceUsage
from hayat.stays.places import parse_place, place_options, place_value
from hayat.stays.selectors import BookingFilters
from hayat.stays.services import GuestChoice

PAGE_SIZE = 25
USAGES_ON_CARD = 15
USAGES_PAGE_SIZE = 50
STATUS_ACTIONS = {BookingStatus.CONFIRMED: gettext_lazy("Confirm"),
                  BookingStatus.PENDING: gettext_lazy("Back to pending"),
                  BookingStatus.NO_SHOW: gettext_lazy("No-show")}


def require_post(view):
    wrapped = require_POST(view)
    wrapped.post_only = True
    return wrapped


def filters_from(request) -> tuple[BookingFilterForm, BookingFilters]:
    form = BookingFilterForm(request.GET or None)
    if not form.is_valid():
        return form, BookingFilters(search=request.GET.get("q", "").strip()[:100])
    data = form.cleaned_data
    return form, BookingFilters(search=data["q"].strip()[:100], status=data["status"], source=data["source"],
                                date_from=data["date_from"], date_to=data["date_to"])


@require_capability("stays.view")
def booking_list(request):
    form, filters = filters_from(request)
    page = EstimatingPaginator(selectors.bookings(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "counts": selectors.status_counts(filters), "filters": filters}
    partial = request.htmx and request.htmx.target == "booking-results"
    upcoming = [] if partial else selectors.upcoming_check_ins()
    audit.log_rows_access(by=request.user, rows=[*page, *upcoming], what=gettext_noop("booking list"),
                          patient_ids_of=selectors.guest_ids)
    if partial:
        return render(request, "stays/_booking_results.html", context)
    context.update(upcoming=upcoming, today=clock.today(), may_book=can(request.user, "stays.book"))
    return render(request, "stays/booking_list.html", context)


def get_booking(pk: int) -> Booking:
    try:
        return selectors.booking_for_page(pk)
    except Booking.DoesNotExist as error:
        raise Http404 from error


@require_capability("stays.view")
def booking_detail(request, pk):
    booking = get_booking(pk)
    lines = list(booking.lines.all())
    audit.log_access_many(by=request.user, patient_ids=[line.patient_id for line in lines],
                          what=gettext_noop("booking"), obj=booking)
    may_manage = can(request.user, "stays.manage") and not booking.is_finished
    return render(request, "stays/booking_detail.html", {
        "booking": booking,
        "kept_lines": [line for line in lines if line.removed_at is None],
        "removed_lines": [line for line in lines if line.removed_at is not None],
        "staying_ids": {line.patient_id for line in lines
                        if line.removed_at is None and line.is_open and line.end_date > clock.today()},
        "timeline": selectors.timeline(booking),
        "versions": reverting.earlier_versions(booking) if may_manage else [],
        "booked_at": selectors.booked_at(booking),
        "may_manage": may_manage,
        "targets": [(value, STATUS_ACTIONS[value]) for value in lifecycle.simple_targets(booking.status)]
        if may_manage else [],
        "may_cancel": may_manage and lifecycle.can_cancel(booking.status),
        "cancel_form": CancelForm(),
        "today": clock.today(),
        **operations_context(request, booking),
    })


def operations_context(request, booking: Booking) -> dict:
    """What the booking page shows of the stay operations: arrival and departure, illness histories."""
    today = clock.today()
    return {
        "may_check_in": can(request.user, "stays.check_in") and booking.status == BookingStatus.CONFIRMED
        and booking.start_date <= today < booking.end_date,
        "may_check_out": can(request.user, "stays.check_out") and booking.is_in_house,
        "leaves_early": booking.is_in_house and checkin.leaves_early(booking),
        "early_departure": changes.early_departure_day(booking, today),
        "is_reservation": booking.status == BookingStatus.RESERVATION,
        "check_in": selectors.check_in_of(booking),
        "may_deposit": can(request.user, "billing.take_payment") and booking.status not in FINISHED,
        "illness_histories": selectors.illness_histories_of(booking)
        if can(request.user, "stays.illness_history_view") else [],
        **sessions_context(request, booking),
    }


def sessions_context(request, booking: Booking) -> dict:
    """The sessions card of the booking page, once the guests came: counts per guest and service, and the
    newest usages (the full list has its own page)."""
    if booking.status not in STAYED:
        return {"sessions_shown": False}
    usages = sessions.usages_of(booking, limit=USAGES_ON_CARD + 1)
    may_record = can(request.user, "stays.record_session") and booking.status in IN_HOUSE
    return {
        "sessions_shown": True,
        "session_board": sessions.session_board(booking),
        "usages": usages[:USAGES_ON_CARD],
        "more_usages": len(usages) > USAGES_ON_CARD,
        "may_record": may_record,
        "undoable": {usage.pk for usage in usages if may_record and sessions.may_undo(usage, request.user)},
        "undo_minutes": settings.HAYAT_UNDO_MINUTES,
    }


@require_capability("stays.view")
def booking_usages(request, pk):
    """Every session and service recorded for the stay, newest first, a page at a time."""
    booking = get_object_or_404(Booking, pk=pk)
    page = Paginator(ServiceUsage.objects.filter(booking=booking)
                     .select_related("patient", "service", "recorded_by", "reversed_by")
                     .order_by("-used_on", "-id"), USAGES_PAGE_SIZE).get_page(request.GET.get("page"))
    audit.log_access_many(by=request.user, patient_ids=[usage.patient_id for usage in page],
                          what=gettext_noop("services"),
                      obj=booking)
    return render(request, "stays/usage_list.html", {"booking": booking, "page": page})



@require_capability("stays.manage")
def booking_dates(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    form = EditDatesForm(request.POST or None,
                         initial={"start_date": booking.start_date, "end_date": booking.end_date})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_dates(by=request.user, booking=booking, start_date=form.cleaned_data["start_date"],
                                  end_date=form.cleaned_data["end_date"], reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The dates of %(number)s are changed.") % {"number": booking.number})
            return redirect(booking)
    return render(request, "stays/booking_form.html", {
        "booking": booking, "form": form, "title": _("Change dates"), "icon": "calendar-days",
    })


@require_capability("stays.manage")
def booking_details(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    form = DetailsForm(request.POST or None, initial={"source": booking.source, "referral": booking.referral,
                                                      "notes": booking.notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_details(by=request.user, booking=booking, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(booking)
    return render(request, "stays/booking_form.html", {
        "booking": booking, "form": form, "title": _("Source, referral and notes"), "icon": "pen",
    })


@require_capability("stays.manage")
def booking_revert(request, pk, history_id):
    """Offers the values of an earlier version beside today's; sending the form reverts to them."""
    booking = get_object_or_404(Booking, pk=pk)
    earlier = get_object_or_404(booking.history, history_id=history_id)
    form = RevertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reverting.revert_to(by=request.user, booking=booking, history_id=history_id,
                                reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(number)s has the values of its earlier version again.")
                             % {"number": booking.number})
            return redirect(booking)
    return render(request, "stays/booking_revert.html", {
        "booking": booking, "form": form, "earlier": earlier,
        "differences": reverting.differences(booking, earlier),
    })


@require_post
@require_capability("stays.manage")
def booking_status(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status.") if "to" in form.errors else form.errors["reason"][0])
        return redirect(booking)
    try:
        services.change_status(by=request.user, booking=booking, to=form.cleaned_data["to"],
                               reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(number)s is now %(status)s.")
                         % {"number": booking.number, "status": BookingStatus(form.cleaned_data["to"]).label.lower()})
    return redirect(booking)


@require_capability("stays.manage")
@idempotent
def booking_cancel(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_booking(by=request.user, booking=booking, reason=form.cleaned_data["reason"],
                                    refund_amount=form.cleaned_data["refund_amount"] or 0)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(number)s is cancelled; its rooms are free again.")
                             % {"number": booking.number})
            return redirect(booking)
    return render(request, "stays/booking_form.html", {
        "booking": booking, "form": form, "title": _("Cancel the booking"), "icon": "ban", "danger": True,
    })


def guest_period(booking: Booking) -> tuple:
    start = max(booking.start_date, clock.today()) if booking.is_in_house else booking.start_date
    return start, booking.end_date


@require_capability("stays.manage")
def guest_add(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    start, end = guest_period(booking)
    options = place_options(start, end) if start < end else []
    form = GuestForm(request.POST or None, options=options,
                     room=room_for(request.POST.get("place")) if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        guest = guest_choice(form)
        if guest is not None:
            try:
                services.add_guest(by=request.user, booking=booking, guest=guest)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("%(patient)s is added.") % {"patient": guest.patient})
                return redirect(booking)
    return render(request, "stays/guest_form.html", {
        "booking": booking, "form": form, "title": _("Add a guest"), "start": start, "end": end,
        "picked": picked_patient(form),
    })


@require_capability("stays.manage")
def guest_edit(request, pk, line_pk):
    booking = get_object_or_404(Booking, pk=pk)
    line = get_object_or_404(GuestLine.objects.select_related("patient", "room__building", "bed", "tariff"),
                             pk=line_pk, booking=booking)
    options = place_options(line.start_date, line.end_date, ignoring=GuestLine.objects.filter(pk=line.pk))
    current = place_value(line.room_id, line.bed_id)
    current_label = f"{line.room} · {line.bed}" if line.bed else str(line.room)
    initial = {"patient": line.patient_id, "place": current, "tariff": line.tariff_id}
    room = room_for(request.POST.get("place")) if request.method == "POST" else line.room
    form = GuestForm(request.POST or None, initial=initial, options=options, room=room, current_place=current,
                     current_label=current_label)
    if request.method == "POST" and form.is_valid():
        guest = guest_choice(form)
        if guest is not None:
            try:
                services.edit_guest(by=request.user, line=line, guest=guest)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The guest is changed."))
                return redirect(booking)
    return render(request, "stays/guest_form.html", {
        "booking": booking, "form": form, "title": _("Change a guest"), "line": line,
        "start": line.start_date, "end": line.end_date,
        "picked": picked_patient(form) if form.is_bound else line.patient,
    })


@require_post
@require_capability("stays.manage")
def guest_remove(request, pk, line_pk):
    booking = get_object_or_404(Booking, pk=pk)
    line = get_object_or_404(GuestLine.objects.select_related("patient"), pk=line_pk, booking=booking)
    form = RemoveGuestForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.remove_guest(by=request.user, line=line, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(patient)s is removed from the booking.") % {"patient": line.patient})
    return redirect(booking)


def picked_patient(form) -> Patient | None:
    """The patient the picker showed when the form was sent, so a refused form keeps the choice."""
    pk = id_from(form.data.get("patient")) if form.is_bound else None
    return Patient.objects.filter(pk=pk).first() if pk is not None else None


def room_for(value: str | None):
    place = parse_place(value or "")
    return place[0] if place else None


def guest_choice(form: GuestForm) -> GuestChoice | None:
    """The form's choice as objects, or None with the error on the form."""
    patient = Patient.objects.filter(pk=form.cleaned_data["patient"]).first()
    if patient is None:
        form.add_error("patient", _("Choose the patient from the list."))
        return None
    place = parse_place(form.cleaned_data["place"])
    if place is None:
        form.add_error("place", _("Choose a room or a bed."))
        return None
    tariff = Tariff.objects.filter(pk=form.cleaned_data["tariff"]).first()
    if tariff is None:
        form.add_error("tariff", _("Choose a tariff."))
        return None
    room, bed = place
    return GuestChoice(patient, room, tariff, bed)
