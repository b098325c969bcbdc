"""Admin's pages for the ICD-10 → department mapping: the list, add, change and remove a range."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from hayat.clinical import icd_mappings, selectors
from hayat.clinical.forms import MappingForm
from hayat.clinical.models import IcdDepartmentMapping
from hayat.clinical.views import require_post
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.policy import require_capability


@require_capability("icd.manage_mapping")
def mapping_list(request):
    return render(request, "clinical/mapping_list.html", {
        "mappings": selectors.mappings(), "fallback": selectors.fallback_department(),
        "codes_loaded": selectors.icd_loaded()})


@require_capability("icd.manage_mapping")
def mapping_create(request):
    form = MappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mapping = icd_mappings.create_mapping(by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(range)s now maps to %(department)s.")
                             % {"range": mapping.label, "department": mapping.department})
            return redirect("clinical:mapping_list")
    return render(request, "clinical/mapping_form.html", {"form": form})


@require_capability("icd.manage_mapping")
def mapping_edit(request, pk):
    mapping = get_object_or_404(IcdDepartmentMapping, pk=pk)
    initial = {"first": mapping.first, "last": mapping.last, "department": mapping.department_id,
               "note": mapping.note}
    form = MappingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            icd_mappings.update_mapping(by=request.user, mapping=mapping, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("clinical:mapping_list")
    return render(request, "clinical/mapping_form.html", {"form": form, "mapping": mapping})


@require_post
@require_capability("icd.manage_mapping")
def mapping_delete(request, pk):
    mapping = get_object_or_404(IcdDepartmentMapping, pk=pk)
    icd_mappings.delete_mapping(by=request.user, mapping=mapping)
    messages.success(request, _("The mapping of %(range)s is removed.") % {"range": mapping.label})
    return redirect("clinical:mapping_list")
