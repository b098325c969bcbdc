"""The web page of a mid-stay change of room and/or tariff from a chosen day."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from hayat.catalog.models import Tariff
from hayat.core import clock
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.policy import require_capability
from hayat.stays import changes
from hayat.stays.models import Booking, GuestLine
from hayat.stays.operation_forms import MidStayChangeForm
from hayat.stays.places import parse_place, place_options, place_value
from hayat.stays.views import room_for


@require_capability("stays.manage")
def mid_stay_change(request, pk, line_pk):
    booking = get_object_or_404(Booking, pk=pk)
    line = get_object_or_404(GuestLine.objects.select_related("patient", "room__building", "bed", "tariff"),
                             pk=line_pk, booking=booking)
    earliest = max(line.start_date + timedelta(days=1), clock.today())
    options = []
    if earliest < line.end_date:
        options = place_options(earliest, line.end_date, ignoring=GuestLine.objects.filter(pk=line.pk))
    current = place_value(line.room_id, line.bed_id)
    room = room_for(request.POST.get("place")) if request.method == "POST" else line.room
    form = MidStayChangeForm(request.POST or None, options=options, current_place=current,
                             current_label=f"{line.room} · {line.bed}" if line.bed else str(line.room), room=room,
                             initial={"from_date": earliest, "place": current, "tariff": line.tariff_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = parse_place(data["place"])
        tariff = Tariff.objects.filter(pk=data["tariff"]).first()
        if place is None or tariff is None:
            form.add_error(None, _("Choose a room or bed and a tariff."))
        else:
            try:
                changes.change_mid_stay(by=request.user, line=line, from_date=data["from_date"], room=place[0],
                                        bed=place[1], tariff=tariff, reason=data["reason"])
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("From %(day)s %(patient)s has the new room or tariff.")
                                 % {"day": data["from_date"], "patient": line.patient})
                return redirect(booking)
    return render(request, "stays/mid_stay_change.html", {"booking": booking, "line": line, "form": form})
