"""Web pages of documents: each document as PDF (in a chosen language, an issued version on request), the letterhead
page, and a patient's language for documents. Thin: printing.py and services.py decide."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.params import id_from
from hayat.core.policy import require_capability
from hayat.documents import printing, services
from hayat.documents.forms import LetterheadForm, PatientLanguageForm
from hayat.documents.kind import Kind
from hayat.documents.models import Letterhead
from hayat.patients.models import Patient


def pdf_response(printed: printing.Printed) -> HttpResponse:
    response = HttpResponse(printed.pdf, content_type=printing.PDF)
    response["Content-Disposition"] = f'inline; filename="{printed.filename}"'
    response["Content-Language"] = printed.language
    response["Cache-Control"] = "private, no-store"
    if printed.issued is not None:
        response["X-Document-Number"] = printed.issued.number
        response["X-Document-SHA256"] = printed.issued.sha256
    return response


def document_view(kind: Kind) -> Callable:
    """The page of one kind of document: GET /documents/<kind>/<pk>/?language=ru&version=2."""

    @require_capability(kind.capability)
    def view(request, pk):
        obj = get_object_or_404(kind.queryset(), pk=pk)
        try:
            printed = printing.print_document(kind=kind, obj=obj, by=request.user,
                                              language=request.GET.get("language"),
                                              version=id_from(request.GET.get("version")))
        except DomainError as error:
            raise Http404(error.message) from error
        return pdf_response(printed)

    view.__name__ = view.__qualname__ = f"print_{kind.slug.replace('-', '_')}"
    return view


@require_capability("documents.letterhead")
def letterhead(request):
    current = Letterhead.current()
    form = LetterheadForm(request.POST or None, request.FILES or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_letterhead(by=request.user, values=form.cleaned_data, logo=form.cleaned_data["logo"],
                                       remove_logo=form.cleaned_data["remove_logo"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The letterhead is saved; documents print with it from now on."))
            return redirect("documents:letterhead")
    return render(request, "documents/letterhead.html", {"form": form, "letterhead": current})


@require_POST
@require_capability("patients.edit")
def patient_language(request, patient_pk):
    patient = get_object_or_404(Patient, pk=patient_pk)
    form = PatientLanguageForm(request.POST)
    if form.is_valid():
        services.set_patient_language(by=request.user, patient=patient, language=form.cleaned_data["language"])
        messages.success(request, _("The patient's documents print in the language chosen."))
    else:
        messages.error(request, _("Choose one of the languages offered."))
    return redirect(patient)
