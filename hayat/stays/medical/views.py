"""Pages of the medical record: one form page per part (record, first examination, diary entry, epicrisis) and
the diagnoses set from the ICD-10 search of the illness history page. The record itself is shown there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from hayat.core import audit
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.policy import require_capability
from hayat.stays import selectors as stay_selectors
from hayat.stays.medical import selectors, services
from hayat.stays.medical.forms import DiagnosisForm, DiaryForm, EpicrisisForm, ExaminationForm, RecordForm
from hayat.stays.models import VITAL_FIELDS, IllnessHistory
from hayat.stays.views import require_post


@dataclass(frozen=True)
class Part:
    """One form page of the record: its form, what it starts from, the service that saves it."""

    title: str
    form_class: type[forms.Form]
    initial: Callable[[IllnessHistory], dict]
    save: Callable[[IllnessHistory, forms.Form, object], object]
    saved: str


def history_or_404(pk: int) -> IllnessHistory:
    try:
        return stay_selectors.illness_history_for_page(pk)
    except IllnessHistory.DoesNotExist as error:
        raise Http404 from error


def record_initial(history: IllnessHistory) -> dict:
    return {name: getattr(history, name) for name in ("sick_leave", "profession", "occupational_hazards", "tags",
                                                      "notes")}


def examination_initial(history: IllnessHistory) -> dict:
    written = getattr(history, "examination", None)
    if written is None:
        return {"complaints": history.complaints, "systolic": history.systolic, "diastolic": history.diastolic,
                "pulse": history.pulse, "temperature": history.temperature}
    return {"complaints": written.complaints, "anamnesis": written.anamnesis,
            "objective_status": written.objective_status, **written.readings()}


def epicrisis_initial(history: IllnessHistory) -> dict:
    written = getattr(history, "epicrisis", None)
    if written is None:
        return {"procedures": selectors.procedures_text(history)}
    return {name: getattr(written, name) for name in EpicrisisForm.base_fields}


RECORD = Part(gettext_lazy("Medical record"), RecordForm, record_initial,
              lambda history, form, by: services.update_record(by=by, history=history, fields=form.fields_object()),
              gettext_lazy("The medical record is saved."))
EXAMINATION = Part(gettext_lazy("First examination"), ExaminationForm, examination_initial,
                   lambda history, form, by: services.write_examination(
                       by=by, history=history, examination=form.examination(), vitals=form.readings()),
                   gettext_lazy("The first examination is saved."))
DIARY = Part(gettext_lazy("Diary entry"), DiaryForm, lambda history: {},
             lambda history, form, by: services.add_diary_entry(
                 by=by, history=history, day=form.cleaned_data["day"], text=form.cleaned_data["text"],
                 vitals=form.readings()),
             gettext_lazy("The diary entry is saved."))
EPICRISIS = Part(gettext_lazy("Epicrisis"), EpicrisisForm, epicrisis_initial,
                 lambda history, form, by: services.write_epicrisis(by=by, history=history, text=form.text()),
                 gettext_lazy("The epicrisis is saved."))


def part_page(request, pk: int, part: Part):
    history = history_or_404(pk)
    audit.log_access(by=request.user, patient_id=history.patient_id, what=gettext_noop("medical record"),
                     obj=history)
    form = part.form_class(request.POST or None, initial=part.initial(history))
    if request.method == "POST" and form.is_valid():
        try:
            part.save(history, form, request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, str(part.saved))
            return redirect(history)
    vitals = [form[name] for name in VITAL_FIELDS] if hasattr(form, "readings") else []
    return render(request, "stays/medical/part_form.html", {
        "history": history, "form": form, "title": part.title, "vitals": vitals,
        "text_fields": [field for field in form.visible_fields() if field.name not in VITAL_FIELDS]})


@require_capability("stays.medical_record")
def record_edit(request, pk):
    return part_page(request, pk, RECORD)


@require_capability("stays.medical_record")
def examination(request, pk):
    return part_page(request, pk, EXAMINATION)


@require_capability("stays.diary")
def diary_new(request, pk):
    return part_page(request, pk, DIARY)


@require_capability("stays.medical_record")
def epicrisis(request, pk):
    return part_page(request, pk, EPICRISIS)


@require_post
@require_capability("stays.medical_record")
def diagnosis(request, pk):
    history = history_or_404(pk)
    form = DiagnosisForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the diagnosis and a code."))
        return redirect(history)
    try:
        services.set_diagnosis(by=request.user, history=history, which=form.cleaned_data["which"],
                               code=form.cleaned_data["code"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The diagnosis is saved."))
    return redirect(history)
