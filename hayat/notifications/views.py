"""Pages of the messages: the outbox, Admin's settings and texts (with a preview), and a patient's choices."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from hayat.core import audit
from hayat.core.counting import EstimatingPaginator
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.policy import can, require_capability
from hayat.notifications import selectors, services, texts
from hayat.notifications.forms import (
    KindSettingForm,
    OutboxFilterForm,
    PreferenceForm,
    QuietHoursForm,
    TemplateForm,
)
from hayat.notifications.kinds import WORDINGS
from hayat.notifications.models import Channel, Kind, Message, QuietHours
from hayat.patients.models import Patient

PAGE_SIZE = 25
LANGUAGES = ("en", "ru", "uz")


@require_capability("messages.view")
def outbox(request):
    form = OutboxFilterForm(request.GET or None)
    filters = {name: value for name, value in (form.cleaned_data if form.is_valid() else {}).items() if value}
    page = EstimatingPaginator(selectors.outbox(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    audit.log_rows_access(by=request.user, rows=page, what=gettext_noop("outbox"))
    context = {"form": form, "page": page, "can_send": can(request.user, "messages.send")}
    if request.htmx and request.htmx.target == "outbox-results":
        return render(request, "notifications/_outbox_rows.html", context)
    return render(request, "notifications/outbox.html", context)


@require_POST
@require_capability("messages.send")
def resend(request, pk):
    return change(request, pk, services.resend, _("The message is queued again."))


@require_POST
@require_capability("messages.send")
def cancel(request, pk):
    return change(request, pk, services.cancel, _("The message is cancelled."))


def change(request, pk, use_case, done: str):
    message = get_object_or_404(Message, pk=pk)
    try:
        use_case(by=request.user, message=message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(back if back and safe else "notifications:outbox")


@require_capability("messages.settings")
def settings_page(request):
    """Each kind: on or off and its timing; the quiet hours."""
    quiet = QuietHours.objects.first()
    quiet_form = QuietHoursForm(request.POST if "quiet" in request.POST else None,
                                initial={"start": quiet.start, "end": quiet.end} if quiet else {})
    if request.method == "POST" and "quiet" in request.POST:
        if quiet_form.is_valid():
            services.set_quiet_hours(by=request.user, **quiet_form.cleaned_data)
            messages.success(request, _("The quiet hours are saved."))
            return redirect("notifications:settings")
    rows = [kind_row(request, kind) for kind in Kind.values]
    if request.method == "POST" and "kind" in request.POST and all(not row["form"].errors for row in rows):
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"rows": rows, "quiet_form": quiet_form})


def kind_row(request, kind: str) -> dict:
    setting = texts.setting(kind)
    posted = request.method == "POST" and request.POST.get("kind") == kind
    form = KindSettingForm(request.POST if posted else None, prefix=kind,
                           initial={"enabled": setting.enabled, "timing": setting.timing})
    if posted and form.is_valid():
        try:
            services.set_kind(by=request.user, kind=kind, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(kind)s: saved.") % {"kind": Kind(kind).label})
    return {"kind": kind, "label": Kind(kind).label, "unit": WORDINGS[kind].unit, "form": form}


def kind_or_404(kind: str, language: str) -> None:
    if kind not in Kind.values or language not in LANGUAGES:
        raise Http404


@require_capability("messages.settings")
def templates(request):
    return render(request, "notifications/templates.html", {
        "kinds": [(kind, Kind(kind).label) for kind in Kind.values], "languages": LANGUAGES})


@require_capability("messages.settings")
def template_edit(request, kind, language):
    """Admin's texts of one kind in one language: preview (with sample values) or save; reset to the default."""
    kind_or_404(kind, language)
    current = texts.texts_for(kind, language)
    form = TemplateForm(request.POST or None, initial=vars(current))
    previews = None
    if request.method == "POST" and "reset" in request.POST:
        services.reset_template(by=request.user, kind=kind, language=language)
        messages.success(request, _("The shipped text is used again."))
        return redirect("notifications:template_edit", kind=kind, language=language)
    if request.method == "POST" and form.is_valid():
        data = services.TemplateData(**form.cleaned_data)
        try:
            if "preview" in request.POST:
                previews = [(label, *services.preview(kind=kind, language=language, data=data, channel=channel))
                            for channel, label in Channel.choices]
            else:
                services.save_template(by=request.user, kind=kind, language=language, data=data)
                messages.success(request, _("The text is saved; messages queued from now on use it."))
                return redirect("notifications:template_edit", kind=kind, language=language)
        except DomainError as error:
            add_domain_error(form, error)
    return render(request, "notifications/template_edit.html", {
        "form": form, "kind": kind, "kind_label": Kind(kind).label, "language": language, "previews": previews,
        "variables": WORDINGS[kind].variables, "languages": LANGUAGES})


@require_POST
@require_capability("patients.edit")
def patient_preference(request, patient_pk):
    patient = get_object_or_404(Patient, pk=patient_pk)
    form = PreferenceForm(request.POST)
    if form.is_valid():
        try:
            services.set_preference(by=request.user, patient=patient,
                                    data=services.PreferenceData(**form.cleaned_data))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The patient's choices about messages are saved."))
    else:
        messages.error(request, _("Choose one of the options offered."))
    return redirect(patient)
