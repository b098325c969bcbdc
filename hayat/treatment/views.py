"""Treatment pages: Admin's setup, a stay's prescriptions and plan, the grids and their drop, the day sheet."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hayat.core import audit, clock
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.idempotency import idempotent
from hayat.core.policy import can, require_capability
from hayat.stays.models import Booking
from hayat.stays.views import require_post
from hayat.treatment import marking, planning, prescriptions, resources, selectors
from hayat.treatment.forms import (
    CabinetForm,
    ClosedHoursForm,
    DropForm,
    GridForm,
    HoursForm,
    MarkForm,
    PrescriptionForm,
    RulesForm,
    SheetForm,
    TherapistForm,
)
from hayat.treatment.models import Cabinet, ClosedHours, Hours, PlannedSession, Prescription, Therapist, TreatmentRules


def patient_of(session: PlannedSession) -> list[int]:
    return [session.patient_id]


# --- Admin's setup -----------------------------------------------------------------------------------------------


@require_capability("treatment.manage")
def setup(request):
    rules_form = RulesForm(request.POST or None,
                           initial={"no_show_uses_session": TreatmentRules.current().no_show_uses_session})
    if request.method == "POST" and rules_form.is_valid():
        resources.set_rules(by=request.user, **rules_form.cleaned_data)
        messages.success(request, _("Changes saved."))
        return redirect("treatment:setup")
    return render(request, "treatment/setup.html", {
        "cabinets": Cabinet.objects.prefetch_related("services", "hours"),
        "therapists": Therapist.objects.select_related("user").prefetch_related("services", "hours"),
        "closed_hours": ClosedHours.objects.all(), "closed_form": ClosedHoursForm(), "rules_form": rules_form,
    })


def resource_page(request, *, form_class, save, instance, initial, title):
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(by=request.user, data=form.data_object(), **instance)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(reverse(f"treatment:{type(saved).__name__.lower()}_edit", args=[saved.pk]))
    kind, owner = next(iter(instance.items()), (None, None))
    return render(request, "treatment/resource_form.html", {
        "form": form, "title": title, "owner": owner, "hours_form": HoursForm(),
        "hours": owner.hours.all() if owner is not None else [],
        "hours_url": reverse(f"treatment:{kind}_hours_add", args=[owner.pk]) if owner is not None else "",
    })


@require_capability("treatment.manage")
def cabinet_create(request):
    return resource_page(request, form_class=CabinetForm, save=resources.save_cabinet, instance={}, initial={},
                         title=_("New treatment room"))


@require_capability("treatment.manage")
def cabinet_edit(request, pk):
    cabinet = get_object_or_404(Cabinet, pk=pk)
    initial = {"name": cabinet.name, "capacity": cabinet.capacity, "buffer_minutes": cabinet.buffer_minutes,
               "services": list(cabinet.services.all()), "is_active": cabinet.is_active}
    return resource_page(request, form_class=CabinetForm, save=resources.save_cabinet,
                         instance={"cabinet": cabinet}, initial=initial, title=cabinet.name)


@require_capability("treatment.manage")
def therapist_create(request):
    return resource_page(request, form_class=TherapistForm, save=resources.save_therapist, instance={}, initial={},
                         title=_("New therapist"))


@require_capability("treatment.manage")
def therapist_edit(request, pk):
    therapist = get_object_or_404(Therapist.objects.select_related("user"), pk=pk)
    initial = {"user": therapist.user, "services": list(therapist.services.all()), "is_active": therapist.is_active}
    return resource_page(request, form_class=TherapistForm, save=resources.save_therapist,
                         instance={"therapist": therapist}, initial=initial, title=str(therapist))


@require_post
@require_capability("treatment.manage")
def hours_add(request, kind, pk):
    owner = get_object_or_404(Cabinet if kind == "cabinet" else Therapist, pk=pk)
    form = HoursForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the weekday and the hours."))
    else:
        try:
            resources.add_hours(by=request.user, data=form.data_object(), **{kind: owner})
        except DomainError as error:
            messages.error(request, error.message)
    return redirect(reverse(f"treatment:{kind}_edit", args=[owner.pk]))


@require_post
@require_capability("treatment.manage")
def hours_remove(request, pk):
    hours = get_object_or_404(Hours, pk=pk)
    kind, owner = ("cabinet", hours.cabinet) if hours.cabinet_id else ("therapist", hours.therapist)
    resources.remove_hours(by=request.user, hours=hours)
    return redirect(reverse(f"treatment:{kind}_edit", args=[owner.pk]))


@require_post
@require_capability("treatment.manage")
def closed_add(request):
    form = ClosedHoursForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the name and the hours."))
    else:
        try:
            resources.add_closed_hours(by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("treatment:setup")


@require_post
@require_capability("treatment.manage")
def closed_remove(request, pk):
    resources.remove_closed_hours(by=request.user, closed=get_object_or_404(ClosedHours, pk=pk))
    return redirect("treatment:setup")


# --- a stay's treatment --------------------------------------------------------------------------------------------


def stay_context(request, booking: Booking, **extra) -> dict:
    rows = selectors.stay_sessions(booking)
    audit.log_rows_access(by=request.user, rows=rows, what=gettext_noop("treatment schedule"),
                          patient_ids_of=patient_of)
    return {"booking": booking, "prescriptions": selectors.stay_prescriptions(booking), "sessions": rows,
            "form": PrescriptionForm(booking=booking), "may_prescribe": can(request.user, "treatment.prescribe"),
            "may_plan": can(request.user, "treatment.plan"), **extra}


@require_capability("treatment.view")
def stay(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    return render(request, "treatment/stay.html", stay_context(request, booking))


@require_post
@require_capability("treatment.prescribe")
@idempotent
def prescribe(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    form = PrescriptionForm(request.POST, booking=booking)
    if form.is_valid():
        try:
            prescriptions.prescribe(by=request.user, booking=booking, data=form.data_object())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Prescribed."))
            return redirect("treatment:stay", pk=booking.pk)
    return render(request, "treatment/stay.html", stay_context(request, booking, form=form), status=400)


@require_post
@require_capability("treatment.prescribe")
@idempotent
def prescribe_included(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    try:
        created = prescriptions.prescribe_included(by=request.user, booking=booking)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)d prescriptions of the included sessions.") % {"count": len(created)})
    return redirect("treatment:stay", pk=booking.pk)


@require_post
@require_capability("treatment.prescribe")
def prescription_cancel(request, pk):
    prescription = get_object_or_404(Prescription, pk=pk)
    prescriptions.cancel_prescription(by=request.user, prescription=prescription)
    messages.success(request, _("The prescription is stopped."))
    return redirect("treatment:stay", pk=prescription.booking_id)


@require_post
@require_capability("treatment.plan")
def plan(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    try:
        report = planning.plan_stay(by=request.user, booking=booking)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("treatment:stay", pk=booking.pk)
    messages.success(request, _("%(count)d sessions planned.") % {"count": report.placed})
    return render(request, "treatment/stay.html", stay_context(request, booking, report=report))


@require_post
@require_capability("treatment.plan")
def plan_house(request):
    stays, report = planning.plan_house(by=request.user)
    messages.success(request, _("%(count)d sessions planned in %(stays)d stays; %(left)d could not be placed.")
                     % {"count": report.placed, "stays": stays,
                        "left": sum(item.sessions for item in report.not_placed)})
    return redirect("treatment:grid")


# --- the grids and the drop --------------------------------------------------------------------------------------


@require_capability("treatment.view")
def grid(request):
    day, by, week = GridForm(request.GET or None).values(clock.today())
    if week:
        table = selectors.week_grid(day, by)
    else:
        table = selectors.day_grid(day, by)
    audit.log_rows_access(by=request.user, rows=table.sessions, what=gettext_noop("treatment timetable"),
                          patient_ids_of=patient_of)
    context = {"grid": table, "day": day, "by": by, "week": week, "may_move": can(request.user, "treatment.plan"),
               "previous": day - timedelta(days=7 if week else 1), "next": day + timedelta(days=7 if week else 1)}
    if request.htmx and request.htmx.target == "treatment-grid":
        return render(request, "treatment/_grid.html", context)
    return render(request, "treatment/grid.html", context)


@require_post
@require_capability("treatment.plan")
def session_move(request, pk):
    """A drop on the day grid; answers JSON for the script, which snaps the session back when refused."""
    session = get_object_or_404(PlannedSession.objects.select_related("booking", "cabinet", "therapist"), pk=pk)
    form = DropForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"detail": _("The move is missing a day or a time."), "code": "invalid"}, status=400)
    data = form.cleaned_data
    move = planning.Move(cabinet=data["cabinet"] or session.cabinet, day=data["day"], starts=data["starts"],
                         therapist=data["therapist"])
    try:
        session = planning.move_session(by=request.user, session=session, move=move)
    except DomainError as error:
        return JsonResponse({"detail": error.message, "code": error.code}, status=error.status)
    return JsonResponse({"detail": _("%(service)s moved to %(time)s.")
                         % {"service": session.service, "time": session.starts.strftime("%H:%M")}})


# --- the day sheet -----------------------------------------------------------------------------------------------


@require_capability("treatment.view")
def day_sheet(request):
    form = SheetForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    day = data.get("day") or clock.today()
    cabinet = Cabinet.objects.filter(pk=data.get("cabinet")).first() if data.get("cabinet") else None
    therapist = (Therapist.objects.select_related("user").filter(pk=data.get("therapist")).first()
                 if data.get("therapist") and cabinet is None else None)
    rows = selectors.day_sheet(day=day, cabinet=cabinet, therapist=therapist) if cabinet or therapist else []
    audit.log_rows_access(by=request.user, rows=rows, what=gettext_noop("treatment day sheet"),
                          patient_ids_of=patient_of)
    return render(request, "treatment/day_sheet.html", {
        "day": day, "cabinet": cabinet, "therapist": therapist, "rows": rows,
        "cabinets": Cabinet.objects.filter(is_active=True),
        "therapists": Therapist.objects.filter(is_active=True).select_related("user"),
        "may_mark": can(request.user, "treatment.mark"),
    })


@require_post
@require_capability("treatment.mark")
@idempotent
def session_mark(request, pk):
    session = get_object_or_404(PlannedSession, pk=pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Mark a session done, missed or cancelled."))
    else:
        try:
            session = marking.mark_session(by=request.user, session=session, status=form.cleaned_data["status"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(patient)s: %(service)s %(status)s.")
                             % {"patient": session.patient.full_name, "service": session.service,
                                "status": session.get_status_display()})
    return redirect(f"{reverse('treatment:day_sheet')}?day={session.day:%Y-%m-%d}&cabinet={session.cabinet_id}")
