"""Laboratory pages: the result list with live search, a result in view or edit mode, its album of
attachment groups, and the permission-checked, access-logged file downloads."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from hayat.core import audit
from hayat.core.counting import EstimatingPaginator
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.params import SaneDateField, id_from
from hayat.core.policy import can, require_capability
from hayat.lab import files, selectors, services
from hayat.lab.forms import GroupForm, LabTestTypeForm, NewResultForm, ResultForm
from hayat.lab.models import Attachment, AttachmentGroup, LabResult, LabTestType
from hayat.patients.models import Patient

PAGE_SIZE = 25
THUMBNAIL_MAX_AGE = 24 * 60 * 60


def require_record_capability(capability: str) -> Callable:
    """require_capability for the pages of one lab record: to a user who may not see lab results at all the
    record is invisible (404), so the answer does not tell whether it exists."""

    def decorator(view: Callable) -> Callable:
        checked = require_capability(capability)(view)

        @wraps(checked)  # keeps what require_capability declares, for the permission matrix
        def wrapper(request, *args, **kwargs):
            if not can(request.user, "lab.view"):
                raise Http404
            return checked(request, *args, **kwargs)

        return wrapper

    return decorator


@require_capability("lab.view")
def result_list(request):
    filters = list_filters(request)
    page = EstimatingPaginator(selectors.results(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    audit.log_rows_access(by=request.user, rows=page, what=gettext_noop("lab result list"))
    context = {"page": page, "filters": filters, "query": filters["search"],
               "can_manage": can(request.user, "lab.manage")}
    partial = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    if partial:
        return render(request, "lab/_result_rows.html", context)
    scope = selectors.list_scope(patient_id=filters["patient_id"], episode_id=filters["episode_id"],
                                 booking_id=filters["booking_id"])
    return render(request, "lab/result_list.html", {**context, "test_types": selectors.test_types(), "scope": scope})


def list_filters(request) -> dict:
    def valid(field, value):
        try:
            return field.clean(value) if value else None
        except forms.ValidationError:
            return None

    return {
        "search": request.GET.get("q", "").strip()[:100],
        "test_type_id": id_from(request.GET.get("test_type")),
        "patient_id": id_from(request.GET.get("patient")),
        "episode_id": id_from(request.GET.get("episode")),
        "booking_id": id_from(request.GET.get("booking")),
        "performed_from": valid(SaneDateField(), request.GET.get("from")),
        "performed_to": valid(SaneDateField(), request.GET.get("to")),
    }


@require_capability("lab.manage")
def result_create(request):
    initial = {}
    patient = None
    if patient_id := id_from(request.GET.get("patient")):
        patient = Patient.objects.filter(pk=patient_id, is_active=True).first()
        initial["patient"] = patient
    form = NewResultForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.create_result(by=request.user, patient=form.cleaned_data["patient"],
                                            data=form.result_data(), group=form.group_data())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Lab result %(code)s recorded.") % {"code": result.code})
            return redirect(result)
    if form.is_bound:
        patient = form.cleaned_data.get("patient")
    return render(request, "lab/result_create.html", {"form": form, "patient": patient, **upload_limits()})


@require_capability("lab.manage")
def patient_links(request):
    """The episode and stay choices of the patient just picked on the new-result page."""
    form = NewResultForm(initial={"patient": request.GET.get("patient", "")}, user=request.user)
    return render(request, "lab/_link_fields.html", {"form": form})


@require_record_capability("lab.view")
def result_detail(request, pk):
    result = get_result(pk)
    audit.log_access(by=request.user, patient_id=result.patient_id, what=gettext_noop("lab result"), obj=result)
    editing = request.GET.get("edit") == "1" and can(request.user, "lab.manage")
    form = ResultForm(result=result, user=request.user)
    if request.htmx and request.htmx.target == "result-card":
        return render(request, "lab/_result_card.html", card_context(request, result, form, editing=False))
    return render(request, "lab/result_detail.html", {
        **card_context(request, result, form, editing=editing),
        "group_form": GroupForm(), "history": selectors.history(result), **upload_limits(),
    })


@require_record_capability("lab.manage")
def result_edit(request, pk):
    result = get_result(pk)
    form = ResultForm(request.POST or None, result=result, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_result(by=request.user, result=result, data=form.result_data(),
                                   seen_at=form.cleaned_data.get("seen_at"))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Changes saved."))
                return redirect(result)
            result = get_result(pk)
            response = render(request, "lab/_result_saved.html", {
                **card_context(request, result, ResultForm(result=result), editing=False),
                "history": selectors.history(result), "oob": True,
            })
            return toast(response, _("Changes saved."))
    if not request.htmx:
        return redirect(f"{reverse('lab:result_detail', kwargs={'pk': pk})}?edit=1")
    return render(request, "lab/_result_card.html", card_context(request, result, form, editing=True))


def card_context(request, result: LabResult, form, *, editing: bool) -> dict:
    return {"result": result, "form": form, "editing": editing, "can_manage": can(request.user, "lab.manage")}


@require_record_capability("lab.manage")
def group_add(request, pk):
    result = get_result(pk)
    form = GroupForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.add_group(by=request.user, result=result, group=form.group_data())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            message = _("Added %(count)s file(s) in “%(description)s”.") % {
                "count": group.files.count(), "description": group.description}
            if not request.htmx:
                messages.success(request, message)
                return redirect(result)
            response = album(request, pk, highlight=group.pk)
            trigger_client_event(response, "lab:group-added", {})
            return toast(response, message)
    context = {"result": result, "group_form": form, **upload_limits()}
    return render(request, "lab/_group_form.html" if request.htmx else "lab/group_add.html", context)


@require_POST
@require_record_capability("lab.manage")
def group_delete(request, pk):
    group = get_object_or_404(AttachmentGroup.objects.select_related("result"), pk=pk)
    result_id = group.result_id
    try:
        services.delete_group(by=request.user, group=group)
    except DomainError as error:
        return answer(request, result_id, error.message, level="error")
    return answer(request, result_id, _("Deleted the group “%(description)s” and its files.")
                  % {"description": group.description})


@require_POST
@require_record_capability("lab.manage")
def attachment_delete(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("group"), pk=pk)
    result_id = attachment.group.result_id
    try:
        group_gone = services.delete_attachment(by=request.user, attachment=attachment)
    except DomainError as error:
        return answer(request, result_id, error.message, level="error")
    if group_gone:
        message = _("Deleted %(name)s, the last file of its group; the group is gone too.")
    else:
        message = _("Deleted %(name)s.")
    return answer(request, result_id, message % {"name": attachment.original_name})


@require_record_capability("lab.view")
def attachment_file(request, pk):
    """The file itself, only to users who may see lab results; every download is in the access log."""
    attachment = get_attachment(pk)
    audit.log_access(by=request.user, patient_id=attachment.group.result.patient_id,
                     what=gettext_noop("lab attachment"),
                     obj=attachment)
    kind = attachment.kind
    inline = kind.inline and request.GET.get("download") != "1"
    response = FileResponse(open_stored(attachment.file), content_type=attachment.content_type,
                            as_attachment=not inline, filename=attachment.download_name)
    response["Cache-Control"] = "private, no-store"
    return response


@require_record_capability("lab.view")
def attachment_thumbnail(request, pk):
    attachment = get_attachment(pk)
    if not attachment.thumbnail:
        raise Http404
    audit.log_access(by=request.user, patient_id=attachment.group.result.patient_id,
                     what=gettext_noop("lab attachment thumbnail"), obj=attachment)
    response = FileResponse(open_stored(attachment.thumbnail), content_type="image/jpeg")
    # A stored file never changes (a replacement is a new upload), so the browser may keep it a day.
    response["Cache-Control"] = f"private, max-age={THUMBNAIL_MAX_AGE}, immutable"
    response["ETag"] = f'"{attachment.sha256[:32]}"'
    return response


@require_capability("lab.test_types")
def test_type_list(request):
    return render(request, "lab/test_type_list.html", {"test_types": selectors.test_types(counted=True),
                                                       "form": LabTestTypeForm()})


@require_capability("lab.test_types")
def test_type_create(request):
    form = LabTestTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            test_type = services.create_test_type(by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Test type %(name)s added.") % {"name": test_type.name})
            return redirect("lab:test_type_list")
    return render(request, "lab/test_type_form.html", {"form": form, "creating": True})


@require_capability("lab.test_types")
def test_type_edit(request, pk):
    test_type = get_object_or_404(LabTestType, pk=pk)
    initial = {"code": test_type.code, "name": test_type.name, "is_active": test_type.is_active}
    form = LabTestTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_test_type(by=request.user, test_type=test_type, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("lab:test_type_list")
    return render(request, "lab/test_type_form.html", {"form": form, "test_type": test_type})


# Pieces


def upload_limits() -> dict:
    return {"upload_limit": files.max_bytes(), "files_limit": files.max_files_per_group(),
            "group_limit": files.max_group_bytes()}


def get_result(pk) -> LabResult:
    try:
        return selectors.result_with_album(pk)
    except LabResult.DoesNotExist as error:
        raise Http404 from error


def get_attachment(pk) -> Attachment:
    try:
        return selectors.attachment(pk)
    except Attachment.DoesNotExist as error:
        raise Http404 from error


def open_stored(field):
    try:
        return field.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error


def album(request, result_id: int, highlight: int | None = None):
    result = get_result(result_id)
    response = render(request, "lab/_album.html", {"result": result, "can_manage": can(request.user, "lab.manage"),
                                                   "highlight": highlight})
    retarget(response, "#album")
    return reswap(response, "outerHTML")


def answer(request, result_id: int, message: str, level: str = "success"):
    """After a deletion: the fresh album for htmx, or the result page with a message."""
    if request.htmx:
        return toast(album(request, result_id), message, level)
    getattr(messages, level)(request, message)
    return redirect("lab:result_detail", pk=result_id)


def toast(response, message: str, level: str = "success"):
    return trigger_client_event(response, "toast", {"message": str(message), "level": level})
