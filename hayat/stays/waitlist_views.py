"""Web pages of the waitlist: the list with its add form, cancelling an entry, converting it into a booking."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hayat.catalog.models import Tariff
from hayat.core import audit
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.idempotency import idempotent
from hayat.core.params import id_from
from hayat.core.policy import require_capability
from hayat.patients.models import Patient
from hayat.stays import selectors, waitlist
from hayat.stays.models import WaitlistEntry, WaitlistStatus
from hayat.stays.operation_forms import ConvertForm, WaitlistForm
from hayat.stays.places import parse_place, place_options
from hayat.stays.views import picked_patient, require_post, room_for
from hayat.stays.waitlist import EntryData


@require_capability("stays.waitlist")
def waitlist_page(request):
    form = WaitlistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        patient = picked_patient(form)
        if patient is None:
            form.add_error("patient", _("Choose the patient from the list."))
        else:
            try:
                waitlist.add_entry(by=request.user, data=EntryData(
                    patient=patient, start_date=data["start_date"], end_date=data["end_date"],
                    room_type=data["room_type"], guests=data["guests"], priority=data["priority"],
                    notes=data["notes"]))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("%(patient)s is on the waitlist.") % {"patient": patient})
                return redirect("stays:waitlist")
    entries = selectors.open_waitlist()
    audit.log_rows_access(by=request.user, rows=entries, what=gettext_noop("waitlist"))
    return render(request, "stays/waitlist.html", {
        "entries": entries, "form": form, "picked": picked_patient(form),
        "to_call": sum(entry.status == WaitlistStatus.TO_CALL for entry in entries)})


@require_post
@require_capability("stays.waitlist")
def waitlist_cancel(request, pk):
    entry = get_object_or_404(WaitlistEntry, pk=pk)
    try:
        waitlist.cancel_entry(by=request.user, entry=entry)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The waitlist entry is cancelled."))
    return redirect("stays:waitlist")


@require_capability("stays.waitlist")
@idempotent
def waitlist_convert(request, pk):
    """Books the entry in one step with as many guests as it asked places for, all in one room."""
    entry = get_object_or_404(WaitlistEntry.objects.select_related("patient", "room_type"), pk=pk)
    options = [option for option in place_options(entry.start_date, entry.end_date)
               if (entry.room_type is None or option.group == str(entry.room_type))
               and option.free >= entry.guests and (entry.guests == 1 or option.bed_id is None)]
    room = room_for(request.POST.get("place")) if request.method == "POST" else None
    form = ConvertForm(request.POST or None, options=options, room=room, guests=entry.guests)
    if request.method == "POST" and form.is_valid():
        place = parse_place(form.cleaned_data["place"])
        tariff = Tariff.objects.filter(pk=form.cleaned_data["tariff"]).first()
        companions = Patient.objects.in_bulk(form.companion_ids())
        if place is None or tariff is None:
            form.add_error(None, _("Choose a room or bed and a tariff."))
        elif len(companions) != len(form.companion_names):
            form.add_error(None, _("Choose every guest from the list."))
        else:
            try:
                booking = waitlist.convert_to_booking(
                    by=request.user, entry=entry, room=place[0], bed=place[1], tariff=tariff,
                    companions=[companions[pk] for pk in form.companion_ids()])
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("%(patient)s is booked: %(number)s.")
                                 % {"patient": entry.patient, "number": booking.number})
                return redirect(booking)
    picked = Patient.objects.in_bulk([pk for pk in (id_from(form.data.get(name)) for name in form.companion_names)
                                      if pk is not None]) if form.is_bound else {}
    companions = [{"name": name, "number": number, "errors": form[name].errors,
                   "picked": picked.get(id_from(form.data.get(name)))}
                  for number, name in enumerate(form.companion_names, start=2)]
    return render(request, "stays/waitlist_convert.html", {"entry": entry, "form": form, "companions": companions})


@require_post
@require_capability("stays.waitlist")
def waitlist_called(request, pk):
    entry = get_object_or_404(WaitlistEntry, pk=pk)
    try:
        waitlist.record_call(by=request.user, entry=entry)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The call to %(patient)s is recorded: the place is offered.")
                         % {"patient": entry.patient})
    return redirect("stays:waitlist")
