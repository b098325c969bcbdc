"""Web pages for patients: search, registration (full and quick, in a modal from any picker), the patient
page, edit, merge and the privacy actions. Views translate HTTP; the rules live in services."""

from __future__ import annotations

import json
from functools import cache

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from hayat.core import audit
from hayat.core.counting import EstimatingPaginator
from hayat.core.discovery import app_modules
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.params import id_from
from hayat.core.policy import can, require_capability
from hayat.core.ratelimits import expensive
from hayat.core.ui import PatientSection
from hayat.patients import duplicates, merging, selectors, services
from hayat.patients.forms import DeleteForm, MergeForm, PatientForm, QuickPatientForm, ReasonForm, SearchForm
from hayat.patients.models import Patient
from hayat.patients.relations import count_references
from hayat.patients.services import PossibleDuplicates

PAGE_SIZE = 25
PICKER_SIZE = 8


@require_capability("patients.view")
@expensive
def patient_list(request):
    form = SearchForm(request.GET or None)
    query = form.query() if form.is_bound else ""
    patients = selectors.search(query, form.filters() if form.is_bound else None)
    page = EstimatingPaginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    suggestions = []
    if query and page.number == 1 and not page.object_list:
        suggestions = selectors.fuzzy_matches(query)
    audit.log_rows_access(by=request.user, rows=[*page, *suggestions], what=gettext_noop("patient list"),
                          patient_ids_of=the_patient)
    context = {"form": form, "page": page, "query": query, "suggestions": suggestions,
               "capped": bool(query) and selectors.capped(page.paginator.count)}
    if request.htmx and request.htmx.target == "patient-rows":
        return render(request, "patients/_rows.html", context)
    return render(request, "patients/list.html", context)


@require_capability("patients.view")
@expensive
def picker_search(request):
    """Results of a patient picker's live search box (hayat/patients/templates/patients/_picker.html).

    GET ?patient_search=<text>&picker=<input id>; answers a short list of buttons that set the picker.
    """
    query = request.GET.get("patient_search", "").strip()
    picker = request.GET.get("picker", "")
    patients = list(selectors.search(query, selectors.PatientFilters(status="active"))[:PICKER_SIZE]) if query else []
    if query and not patients:
        patients = selectors.fuzzy_matches(query, limit=PICKER_SIZE)
    audit.log_rows_access(by=request.user, rows=patients, what=gettext_noop("patient picker"),
                          patient_ids_of=the_patient)
    return render(request, "patients/_picker_results.html",
                  {"patients": patients, "query": query, "picker": picker})


@require_capability("patients.register")
def patient_create(request):
    form = PatientForm(request.POST or None)
    candidates = []
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.register_patient(
                by=request.user, data=form.patient_data(), create_anyway=form.cleaned_data["confirm_new"],
                reason=form.cleaned_data["reason"])
        except PossibleDuplicates as error:
            candidates = error.candidates
        except DomainError as error:
            add_domain_error(form, error)
            candidates = candidates_again(form, error)
        else:
            messages.success(request, _("Patient %(patient)s registered.") % {"patient": patient})
            return redirect(patient)
    return render(request, "patients/form.html", {"form": form, "candidates": candidates, "creating": True,
                                                  "similar": candidates or similar_to(form)})


@require_capability("patients.register")
def quick_register(request):
    """The quick registration form shown in a picker's modal (GET), and its submission (POST).

    On success the answer carries the HX-Trigger event `patientPicked` {picker, id, label}, which the
    picker script uses to select the new patient and close the modal.
    """
    picker = request.GET.get("picker") or request.POST.get("picker", "")
    form = QuickPatientForm(request.POST or None, auto_id=f"quick-{picker}-%s" if picker else "quick-%s")
    candidates = []
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.register_patient(
                by=request.user, data=form.patient_data(), create_anyway=form.cleaned_data["confirm_new"],
                reason=form.cleaned_data["reason"])
        except PossibleDuplicates as error:
            candidates = error.candidates
        except DomainError as error:
            add_domain_error(form, error)
            candidates = candidates_again(form, error)
        else:
            response = render(request, "patients/_quick_done.html", {"patient": patient})
            response["HX-Trigger"] = json.dumps({
                "patientPicked": {"picker": picker, "id": patient.pk, "label": str(patient)},
                "toast": {"message": _("Patient %(patient)s registered.") % {"patient": patient}, "level": "success"},
            })
            return response
    return render(request, "patients/_quick_form.html", {"form": form, "candidates": candidates, "picker": picker})


def candidates_again(form: PatientForm, error: DomainError, exclude: Patient | None = None):
    """After "save anyway" without a reason, the candidates are shown again next to the refused reason."""
    if error.field != "reason":
        return []
    return duplicates.find(form.normalised, exclude=exclude)


@require_POST
@require_capability("patients.register")
def check_duplicates(request):
    """Live hint while the registration or edit form is filled in: who this person might already be."""
    form = PatientForm(request.POST)
    patient_id = id_from(request.POST.get("patient_id"))
    candidates = similar_to(form, exclude=Patient(pk=patient_id) if patient_id else None)
    return render(request, "patients/_candidates.html", {"candidates": candidates, "live": True})


def similar_to(form: PatientForm, exclude: Patient | None = None) -> list:
    """Who the person being typed in might already be, from what the form holds so far (even with errors in
    other fields), once both names are there."""
    if not form.is_bound:
        return []
    form.is_valid()
    data = getattr(form, "normalised", None)
    return duplicates.find(data, exclude=exclude) if data and data.last_name and data.first_name else []


@require_capability("patients.view")
def districts(request):
    """<option>s of the districts of ?region=<id>, for the region → district cascade."""
    options = selectors.districts(id_from(request.GET.get("region")))
    blank = "—" if request.GET.get("blank") == "dash" else ""
    return render(request, "patients/_district_options.html", {"districts": options, "blank_label": blank})


@cache
def all_sections() -> tuple[PatientSection, ...]:
    sections = [section for module in app_modules("patient_sections") for section in module.SECTIONS]
    return tuple(sorted(sections, key=lambda section: section.order))


@require_capability("patients.view")
def patient_detail(request, pk):
    patient = get_object_or_404(Patient.objects.select_related("region", "district", "merged_into", "created_by",
                                                               "updated_by"), pk=pk)
    audit.log_access(by=request.user, patient_id=patient.pk, what=gettext_noop("patient page"), obj=patient)
    sections = [{"title": section.title, "template": section.template, **section.load(patient, request.user)}
                for section in all_sections() if can(request.user, section.capability)]
    return render(request, "patients/detail.html", {
        "patient": patient,
        "sections": sections,
        "trail": selectors.audit_trail(patient, request.user),
        "merged_from": patient.merged_from.all().order_by("merged_at"),
        "decisions": patient.duplicate_decisions.select_related("decided_by"),
        "can_see_access_log": can(request.user, "patients.audit"),
    })


@require_capability("patients.edit")
def patient_edit(request, pk):
    patient = get_object_or_404(Patient.objects.select_related("region", "district"), pk=pk)
    if patient.is_merged or patient.is_anonymised:
        messages.error(request, _("This record cannot be edited."))
        return redirect(patient)
    form = PatientForm.for_patient(patient, request.POST or None)
    if request.method == "GET":
        audit.log_access(by=request.user, patient_id=patient.pk, what=gettext_noop("patient edit form"), obj=patient)
    candidates = []
    if request.method == "POST" and form.is_valid():
        try:
            services.update_patient(by=request.user, patient=patient, data=form.patient_data(),
                                    keep_anyway=form.cleaned_data["confirm_new"], reason=form.cleaned_data["reason"])
        except PossibleDuplicates as error:
            candidates = error.candidates
        except DomainError as error:
            add_domain_error(form, error)
            candidates = candidates_again(form, error, exclude=patient)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(patient)
    return render(request, "patients/form.html", {"form": form, "candidates": candidates, "patient": patient,
                                                  "similar": candidates or similar_to(form, exclude=patient)})


@require_POST
@require_capability("patients.deactivate")
def patient_set_active(request, pk):
    patient = get_object_or_404(Patient, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(by=request.user, patient=patient, active=active, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Patient reactivated.") if active else _("Patient deactivated."))
    return redirect(patient)


@require_capability("patients.merge")
def patient_merge(request, pk):
    patient = get_object_or_404(Patient.objects.select_related("region", "district"), pk=pk)
    form = MergeForm(request.POST or None, initial={"other": request.GET.get("other") or None})
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"]
        survivor, merged = (patient, other) if form.cleaned_data["keep"] == "this" else (other, patient)
        try:
            merging.merge(by=request.user, survivor=survivor, merged=merged, reason=form.cleaned_data["reason"],
                          fill_blanks=form.cleaned_data["fill_blanks"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(merged)s was merged into %(survivor)s.")
                             % {"merged": merged.code, "survivor": survivor})
            return redirect(survivor)
    other = None
    other_id = id_from(form.data.get("other") if form.is_bound else request.GET.get("other"))
    if other_id:
        other = Patient.objects.select_related("region", "district").filter(
            pk=other_id, merged_into__isnull=True).exclude(pk=patient.pk).first()
    if request.method == "GET":
        for shown in filter(None, (patient, other)):
            audit.log_access(by=request.user, patient_id=shown.pk,
                             what=gettext_noop("patient merge comparison"), obj=shown)
    return render(request, "patients/merge.html", {
        "patient": patient, "other": other, "form": form,
        "patient_records": count_references(patient) if not patient.is_merged else {},
        "other_records": count_references(other) if other else {},
    })


@require_POST
@require_capability("patients.merge")
def patient_unmerge(request, pk):
    patient = get_object_or_404(Patient, pk=pk)
    try:
        merging.unmerge(by=request.user, merged=patient, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The merge was undone: %(patient)s is a separate record again.")
                         % {"patient": patient.code})
    return redirect(patient)


@require_capability("patients.anonymise")
def patient_anonymise(request, pk):
    patient = get_object_or_404(Patient, pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.anonymise(by=request.user, patient=patient, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The patient was anonymised."))
            return redirect(patient)
    return render(request, "patients/anonymise.html", {"patient": patient, "form": form})


@require_capability("patients.delete")
def patient_delete(request, pk):
    patient = get_object_or_404(Patient, pk=pk)
    form = DeleteForm(request.POST or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_patient(by=request.user, patient=patient, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Patient %(code)s deleted.") % {"code": patient.code})
            return redirect("patients:list")
    references = count_references(patient)
    return render(request, "patients/delete.html", {"patient": patient, "form": form, "references": references})


def the_patient(patient: Patient) -> list[int]:
    return [patient.pk]
