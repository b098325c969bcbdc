"""Episode pages: the list with filters, reception check-in, and the episode page with its record (view and
edit mode), vitals, ICD-10 coding and live picker. The phase steps (coding, beds, discharge) are in
phase_views.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from hayat.catalog.models import Service
from hayat.clinical import field_access, selectors, services, timed
from hayat.clinical.forms import (
    AmendForm,
    BedForm,
    CheckInForm,
    DiagnosisForm,
    DischargeForm,
    EpisodeFilterForm,
    ReasonForm,
    RecordForm,
    VitalsForm,
)
from hayat.clinical.models import AdmissionType, Episode, EpisodeDiagnosis, EpisodeStatus, TimedUse
from hayat.clinical.vitals import MEASURES, abnormal
from hayat.core import audit
from hayat.core.counting import EstimatingPaginator
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.idempotency import idempotent
from hayat.core.params import id_from
from hayat.core.policy import can, require_capability
from hayat.core.ratelimits import expensive
from hayat.patients.models import Patient

PAGE_SIZE = 25
S = EpisodeStatus


def require_post(view):
    """Marks an action view POST-only, for the permission matrix and for browsers."""
    wrapped = require_POST(view)
    wrapped.post_only = True
    return wrapped


def get_episode(pk: int) -> Episode:
    try:
        return selectors.episode_detail(pk)
    except Episode.DoesNotExist as error:
        raise Http404 from error


def toast(response, message: str, level: str = "success"):
    return trigger_client_event(response, "toast", {"message": str(message), "level": level})


# List and check-in -----------------------------------------------------------------------------------------

@require_capability("episodes.view")
def episode_list(request):
    form = EpisodeFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    page = EstimatingPaginator(selectors.episodes(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    audit.log_rows_access(by=request.user, rows=page, what=gettext_noop("episode list"))
    context = {"form": form, "page": page, "query": filters.get("search", ""),
               "may_register": can(request.user, "episodes.register")}
    if request.htmx and request.htmx.target == "episode-rows":
        return render(request, "clinical/_episode_rows.html", context)
    return render(request, "clinical/episode_list.html", context)


@require_capability("episodes.register")
def episode_create(request):
    patient = None
    if patient_id := id_from(request.GET.get("patient")):
        patient = Patient.objects.filter(pk=patient_id, is_active=True).first()
    form = CheckInForm(request.POST or None, initial={"patient": patient})
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.register_episode(by=request.user, patient=form.cleaned_data["patient"],
                                                fields=form.episode_values())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Checked in: case %(case)s.") % {"case": episode.case_number})
            return redirect(episode)
    if form.is_bound:
        patient = form.cleaned_data.get("patient")
    return render(request, "clinical/episode_create.html", {"form": form, "patient": patient})


# The episode page --------------------------------------------------------------------------------------------

@require_capability("episodes.view")
def episode_detail(request, pk):
    episode = get_episode(pk)
    if request.htmx and request.htmx.target == "record-card":
        log_view(request, episode)
        return render(request, "clinical/_record_card.html", record_context(request, episode))
    return render_page(request, episode)


def log_view(request, episode: Episode) -> None:
    audit.log_access(by=request.user, patient_id=episode.patient_id, what=gettext_noop("episode"), obj=episode)


def render_page(request, episode: Episode, overrides: dict | None = None):
    """The whole episode page (its view is access-logged); `overrides` put a bound form with its errors in
    place of a fresh one."""
    log_view(request, episode)
    return render(request, "clinical/episode_detail.html", page_context(request, episode) | (overrides or {}))


def timed_context(request, episode: Episode) -> dict:
    """The card of time-charged services (oxygen, monitors...): what runs, what ran, and what may be started."""
    may_start = can(request.user, "clinical.timed_use") and episode.status == S.ADMITTED
    uses = list(timed.uses_of(episode))
    return {"timed_uses": uses, "may_time": may_start,
            "undoable_uses": {use.pk for use in uses if may_start and timed.may_undo(use, request.user)},
            "timed_services": list(timed.timed_services()) if may_start else []}


def page_context(request, episode: Episode) -> dict:
    user = request.user
    return {
        **record_context(request, episode),
        **vitals_context(request, episode),
        **diagnoses_context(request, episode),
        **phase_context(request, episode),
        "timeline": selectors.status_changes(episode),
        "assignments": selectors.assignments_of(episode),
        **timed_context(request, episode),
        "may_cancel": episode.status in (S.PENDING, S.READY_FOR_CODING) and can(user, "episodes.cancel"),
        "cancel_form": ReasonForm(prefix="cancel"),
    }


def record_context(request, episode: Episode, form: RecordForm | None = None, *, editing: bool = False) -> dict:
    form = form or RecordForm(episode=episode, user=request.user)
    return {"episode": episode, "record_form": form, "editing": editing,
            "may_edit": form.may_edit and can(request.user, "episodes.edit"),
            "suggestions": selectors.suggested_physicians(episode.department) if episode.department_id else []}


def vitals_context(request, episode: Episode, form: VitalsForm | None = None) -> dict:
    rows = [(row, [(getattr(row, name), abnormal(name, getattr(row, name))) for name in MEASURES])
            for row in selectors.vitals_of(episode)]
    return {"episode": episode, "vitals_rows": rows, "measures": list(MEASURES.values()),
            "vitals_form": form or VitalsForm(),
            "may_record_vitals": field_access.may_write(request.user, episode, field_access.VITALS)
            and can(request.user, "episodes.record_vitals")}


def diagnoses_context(request, episode: Episode, form: DiagnosisForm | None = None, error: str = "") -> dict:
    rows = selectors.diagnoses_of(episode)
    return {"episode": episode, "diagnoses": rows, "current_diagnoses": [row for row in rows if row.is_current],
            "diagnosis_form": form or DiagnosisForm(), "diagnosis_error": error,
            "may_code": field_access.may_write(request.user, episode, field_access.ICD_CODES)
            and can(request.user, "episodes.edit")}


def phase_context(request, episode: Episode) -> dict:
    """The next steps this user may take on this episode, each with its form."""
    user, status = request.user, episode.status
    open_assignment = episode.open_assignments[0] if episode.open_assignments else None
    may_code = status == S.READY_FOR_CODING and can(user, "episodes.code")
    may_assign = (status == S.ADMITTED and open_assignment is None and can(user, "episodes.assign_bed")
                  and field_access.may_write(user, episode, field_access.BED))
    may_transfer = (status == S.ADMITTED and open_assignment is not None and can(user, "episodes.transfer")
                    and field_access.may_write(user, episode, field_access.BED))
    needs_beds = (may_code and episode.admission_type == AdmissionType.INPATIENT) or may_assign or may_transfer
    beds = selectors.free_hospital_beds(department=episode.department) if needs_beds else []
    return {
        "open_assignment": open_assignment,
        "may_send_to_coding": status == S.PENDING and can(user, "episodes.document"),
        "may_complete_coding": may_code, "may_assign_bed": may_assign, "may_transfer": may_transfer,
        "may_discharge": status in (S.ADMITTED, S.OUTPATIENT) and can(user, "episodes.discharge"),
        "ready_form": forms.Form(), "return_form": ReasonForm(prefix="return"),
        "bed_form": BedForm(beds=beds), "discharge_form": DischargeForm(),
    }


# Record: view and edit mode --------------------------------------------------------------------------------

@require_capability("episodes.edit")
def episode_edit(request, pk):
    episode = get_episode(pk)
    form = RecordForm(request.POST or None, episode=episode, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.sent_values()
            if not fields:
                raise DomainError(_("Nothing to save: change a field first."))
            services.update_episode(by=request.user, episode=episode, fields=fields)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Changes saved."))
                return redirect(episode)
            response = render(request, "clinical/_record_card.html", record_context(request, get_episode(pk)))
            return toast(response, _("Changes saved."))
    context = record_context(request, episode, form, editing=form.may_edit)
    if request.htmx:
        log_view(request, episode)
        return render(request, "clinical/_record_card.html", context)
    return render_page(request, episode, context)


# Vitals ------------------------------------------------------------------------------------------------------

@require_post
@require_capability("episodes.record_vitals")
def vitals_add(request, pk):
    episode = get_episode(pk)
    form = VitalsForm(request.POST)
    if form.is_valid():
        try:
            services.record_vitals(by=request.user, episode=episode, values=form.readings(),
                                   taken_at=form.cleaned_data["taken_at"], note=form.cleaned_data["note"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Vital signs recorded."))
                return redirect(episode)
            response = render(request, "clinical/_vitals_card.html", vitals_context(request, episode))
            return toast(response, _("Vital signs recorded."))
    if request.htmx:
        return render(request, "clinical/_vitals_card.html", vitals_context(request, episode, form))
    return render_page(request, episode, vitals_context(request, episode, form))


# ICD-10 coding -----------------------------------------------------------------------------------------------

@require_capability("icd.view")
@expensive
def icd_search(request):
    text = request.GET.get("q", "").strip()[:100]
    results = selectors.icd_matches(text) if text else selectors.IcdResults(codes=[], total=0)
    return render(request, "clinical/_icd_results.html", {
        "codes": results.codes, "more": results.more, "query": text,
        "loaded": bool(results.codes) or selectors.icd_loaded()})


@require_post
@require_capability("episodes.diagnose")
def diagnosis_add(request, pk):
    episode = get_episode(pk)
    form = DiagnosisForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        return coding_answer(request, episode, form, lambda: services.add_diagnosis(
            by=request.user, episode=episode, code=data["code"], rank=data["rank"], reason=data["reason"]),
            _("%(code)s coded.") % {"code": data["code"].upper()})
    return coding_answer(request, episode, form, None, "")


@require_post
@require_capability("episodes.diagnose")
def diagnosis_amend(request, pk, diagnosis_pk):
    episode = get_episode(pk)
    diagnosis = get_object_or_404(EpisodeDiagnosis, pk=diagnosis_pk, episode=episode)
    form = AmendForm(request.POST)
    if not form.is_valid():
        return coding_answer(request, episode, DiagnosisForm(), None, "", error=" ".join(form.messages()))
    code, reason = form.cleaned_data["code"].strip(), form.cleaned_data["reason"]
    if form.cleaned_data["remove"]:
        change = lambda: services.remove_diagnosis(  # noqa: E731
            by=request.user, episode=episode, diagnosis=diagnosis, reason=reason)
        message = _("Code removed.")
    else:
        change = lambda: services.replace_diagnosis(  # noqa: E731
            by=request.user, episode=episode, diagnosis=diagnosis, code=code, reason=reason)
        message = _("Code replaced by %(code)s.") % {"code": code.upper()}
    return coding_answer(request, episode, DiagnosisForm(), change, message, amending=True)


def coding_answer(request, episode: Episode, form, change, message: str, *, amending: bool = False,
                  error: str = ""):
    """Runs a coding change; answers htmx with the fresh coding card (and a signal for the record card
    to reload: the department may have changed), others with the page."""
    if change is not None:
        try:
            change()
        except DomainError as failure:
            if amending:
                error = failure.message
            else:
                add_domain_error(form, failure)
        else:
            if not request.htmx:
                messages.success(request, message)
                return redirect(episode)
            episode = get_episode(episode.pk)
            response = render(request, "clinical/_diagnoses_card.html", diagnoses_context(request, episode))
            trigger_client_event(response, "clinical:coded", {})
            return toast(response, message)
    context = diagnoses_context(request, episode, form, error)
    if request.htmx:
        return render(request, "clinical/_diagnoses_card.html", context)
    return render_page(request, episode, context)


@require_post
@require_capability("clinical.timed_use")
def timed_use_start(request, pk):
    episode = get_episode(pk)
    service = Service.objects.filter(pk=id_from(request.POST.get("service")), charged_by_time=True).first()
    try:
        if service is None:
            raise DomainError(_("Choose the service to start."), field="service")
        timed.start_use(by=request.user, episode=episode, service=service)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(service)s started.") % {"service": service})
    return redirect(episode)


@require_post
@require_capability("clinical.timed_use")
def timed_use_stop(request, pk):
    use = get_object_or_404(TimedUse.objects.select_related("episode", "service"), pk=pk)
    try:
        timed.stop_use(by=request.user, use=use)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(service)s stopped.") % {"service": use.service})
    return redirect(use.episode)


@require_post
@require_capability("clinical.timed_use")
@idempotent
def timed_use_undo(request, pk):
    """Undoes a start made by mistake (the person who made it, for a few minutes): an audited reversal."""
    use = get_object_or_404(TimedUse.objects.select_related("episode", "service"), pk=pk)
    try:
        timed.undo_start(by=request.user, use=use)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(service)s undone: it no longer counts, and a line already billed is "
                                    "corrected.") % {"service": use.service})
    return redirect(use.episode)
