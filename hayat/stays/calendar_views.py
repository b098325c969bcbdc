"""The booking calendar page and the move endpoint its drag and drop calls."""

from __future__ import annotations

from datetime import timedelta

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hayat.core import audit, clock
from hayat.core.errors import DomainError
from hayat.core.policy import can, require_capability
from hayat.facilities.models import RoomType
from hayat.stays import services
from hayat.stays.calendar import calendar
from hayat.stays.forms import CalendarForm, MoveForm
from hayat.stays.models import RELEASED, Booking, BookingStatus
from hayat.stays.views import require_post

LEGEND = [status for status in BookingStatus.values if status not in RELEASED]


@require_capability("stays.view")
def calendar_page(request):
    today = clock.today()
    start, days, room_type, page = CalendarForm(request.GET or None).values(today - timedelta(days=1))
    grid = calendar(start=start, days=days, room_type=room_type, today=today, page=page)
    audit.log_rows_access(by=request.user, rows=grid.bars(), what=gettext_noop("booking calendar"),
                          patient_ids_of=lambda bar: bar.patient_ids)
    context = {
        "calendar": grid,
        # Every room's row lies on the same day cells: drawn once, not once per room.
        "day_cells": render_to_string("stays/_calendar_cells.html", {"calendar": grid}),
        "days": days, "room_type": room_type, "room_types": RoomType.objects.filter(is_active=True).order_by("name"),
        "may_move": can(request.user, "stays.manage"), "day_choices": [7, 14, 21, 31],
        "legend": [(status, label) for status, label in BookingStatus.choices if status in LEGEND],
    }
    if request.htmx and request.htmx.target == "calendar-grid":
        return render(request, "stays/_calendar_grid.html", context)
    return render(request, "stays/calendar.html", context)


@require_post
@require_capability("stays.manage")
def booking_move(request, pk):
    """Moves a booking's guests of one room to another room and/or other dates; answers JSON for the script."""
    booking = get_object_or_404(Booking, pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        return JsonResponse({"detail": _("The move is missing a room or a date."), "code": "invalid",
                             "errors": errors}, status=400)
    data = form.cleaned_data
    try:
        booking = services.move_booking(by=request.user, booking=booking, from_room=data["from_room"],
                                        to_room=data["to_room"], start_date=data["start_date"],
                                        from_date=data["from_date"])
    except DomainError as error:
        return JsonResponse({"detail": error.message, "code": error.code}, status=error.status)
    return JsonResponse({"detail": _("%(number)s is moved.") % {"number": booking.number}, "number": booking.number,
                         "start_date": booking.start_date.isoformat(), "end_date": booking.end_date.isoformat()})
