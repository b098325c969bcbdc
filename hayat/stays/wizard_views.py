"""The booking wizard's pages: dates → rooms (with the live availability matrix) → guests → confirmation."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hayat.catalog.models import Tariff
from hayat.core import clock
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.idempotency import idempotent
from hayat.core.params import id_from
from hayat.core.policy import require_capability
from hayat.facilities.availability import availability_matrix
from hayat.facilities.models import RoomUse
from hayat.patients.models import Patient
from hayat.stays import rules, wizard
from hayat.stays.errors import NoLongerAvailable
from hayat.stays.forms import ConfirmForm, DatesForm, GuestsForm, PlacesForm
from hayat.stays.places import place_options, place_value

STEP_TITLES = {"dates": gettext_lazy("Dates and guests"), "rooms": gettext_lazy("Rooms"),
               "guests": gettext_lazy("Guests and tariffs"), "confirm": gettext_lazy("Confirmation")}


def with_draft(step: str):
    """Finds the user's draft (or sends them to a fresh start with a message) and keeps them to reachable steps."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, token, *args, **kwargs):
            draft = wizard.find(by=request.user, token=token)
            if draft is None:
                messages.warning(request, _("This booking in progress has expired or is not yours; start again."))
                return redirect("stays:wizard_start")
            if not wizard.may_show(draft, step):
                return redirect(f"stays:wizard_{wizard.reached(draft)}", token=draft.token)
            return view(request, draft, *args, **kwargs)

        return wrapper

    return decorator


def steps_context(draft, step: str) -> dict:
    reached = wizard.STEPS.index(wizard.reached(draft)) if draft is not None else 0
    return {
        "draft": draft, "step": step,
        "steps": [{"name": name, "title": STEP_TITLES[name], "number": index + 1, "current": name == step,
                   "url": reverse(f"stays:wizard_{name}", kwargs={"token": draft.token})
                   if draft is not None and index <= reached else ""}
                  for index, name in enumerate(wizard.STEPS)],
    }


@require_capability("stays.book")
def wizard_start(request):
    form = DatesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = wizard.start(by=request.user, start_date=data["start_date"], end_date=data["end_date"],
                                 guest_count=data["guest_count"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("stays:wizard_rooms", token=draft.token)
    return render(request, "stays/wizard/dates.html", {
        "form": form, "drafts": wizard.open_drafts(by=request.user), "max_nights": rules.max_nights(),
        "now": clock.now(), **steps_context(None, "dates"),
    })


@require_capability("stays.book")
@with_draft("dates")
def wizard_dates(request, draft):
    form = DatesForm(request.POST or None, initial={"start_date": draft.start_date, "end_date": draft.end_date,
                                                    "guest_count": draft.guest_count})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wizard.set_dates(draft=draft, start_date=data["start_date"], end_date=data["end_date"],
                             guest_count=data["guest_count"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("stays:wizard_rooms", token=draft.token)
    return render(request, "stays/wizard/dates.html", {"form": form, "max_nights": rules.max_nights(),
                                                       **steps_context(draft, "dates")})


def current_places(draft) -> list[tuple[str, str]]:
    summary = wizard.summary(draft, check=False)
    return [(place_value(line.room.pk if line.room else None, line.bed.pk if line.bed else None),
             f"{line.room} · {line.bed}" if line.bed else str(line.room or ""))
            for line in summary.lines]


def rooms_context(draft, tariff) -> dict:
    """The free places of the stay priced for the tariff, and the matrix of the rooms for sanatorium stays."""
    return {
        "options": wizard.priced(place_options(draft.start_date, draft.end_date), tariff), "tariff": tariff,
        "matrix": availability_matrix(draft.start_date, draft.end_date, use=RoomUse.SANATORIUM), "draft": draft,
        "course_warning": wizard.course_warning(tariff, draft.nights),
    }


@require_capability("stays.book")
@with_draft("rooms")
def wizard_rooms(request, draft):
    tariff = wizard.offered_tariff(draft, request.POST.get("tariff") or request.GET.get("tariff"))
    context = rooms_context(draft, tariff)
    form = PlacesForm(request.POST or None, guest_count=draft.guest_count, options=context["options"],
                      current=current_places(draft))
    if request.method == "POST" and form.is_valid():
        try:
            wizard.set_places(draft=draft, places=form.places(), tariff=tariff)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("stays:wizard_guests", token=draft.token)
    return render(request, "stays/wizard/rooms.html", {
        "form": form, "tariffs": Tariff.objects.filter(is_active=True).order_by("name"), **context,
        **steps_context(draft, "rooms"),
    })


@require_capability("stays.book")
@with_draft("rooms")
def wizard_matrix(request, draft):
    """The live part of step 2: the matrix and the free rooms, refreshed by htmx while the page is open."""
    return render(request, "stays/wizard/_matrix.html",
                  rooms_context(draft, wizard.offered_tariff(draft, request.GET.get("tariff"))))


@require_capability("stays.book")
@with_draft("guests")
def wizard_guests(request, draft):
    summary = wizard.summary(draft)
    initial = {}
    for index, slot in enumerate(draft.slots):
        initial[f"patient_{index}"] = slot.get("patient")
        initial[f"tariff_{index}"] = slot.get("tariff")
    form = GuestsForm(request.POST or None, initial=initial, rooms=[line.room for line in summary.lines])
    if request.method == "POST" and form.is_valid():
        try:
            wizard.set_guests(draft=draft, guests=form.guests())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("stays:wizard_confirm", token=draft.token)
    posted_ids = [id_from(form.data.get(f"patient_{index}")) for index in range(len(summary.lines))]
    posted = Patient.objects.in_bulk([pk for pk in posted_ids if pk is not None]) if form.is_bound else {}
    rows = []
    for index, line in enumerate(summary.lines):
        picked = posted.get(posted_ids[index])
        rows.append({"line": line, "patient": form[f"patient_{index}"], "tariff": form[f"tariff_{index}"],
                     "picked": picked if form.is_bound else line.patient})
    return render(request, "stays/wizard/guests.html", {
        "form": form, "rows": rows, "problem": summary.problem, **steps_context(draft, "guests"),
    })


@require_capability("stays.book")
@with_draft("confirm")
@idempotent
def wizard_confirm(request, draft):
    form = ConfirmForm(request.POST or None, initial={"status": draft.status, "source": draft.source,
                                                      "referral": draft.referral, "notes": draft.notes})
    problem = ""
    if request.method == "POST" and form.is_valid():
        details = dict(form.cleaned_data)
        bill_per_guest = details.pop("bills")
        wizard.keep_details(draft=draft, **details)
        try:
            booking = wizard.book(by=request.user, draft=draft, bill_per_guest=bill_per_guest, **details)
        except NoLongerAvailable as error:
            problem = error.message
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Booking %(number)s is made.") % {"number": booking.number})
            return redirect(booking)
    summary = wizard.summary(draft)
    return render(request, "stays/wizard/confirm.html", {
        "form": form, "summary": summary, "problem": problem or summary.problem, **steps_context(draft, "confirm"),
    })


@require_capability("stays.book")
@with_draft("dates")
def wizard_discard(request, draft):
    if request.method == "POST":
        wizard.discard(draft=draft)
        messages.info(request, _("The booking in progress is discarded."))
    return redirect("stays:wizard_start")
