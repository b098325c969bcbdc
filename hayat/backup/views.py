"""Backup pages for Admin: the history with a backup button, progress, download, verify and restore."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hayat.backup import folder, maintenance, selectors, services
from hayat.backup.forms import BackupForm, RestoreForm, ScheduleForm
from hayat.backup.models import Backup, BackupSchedule
from hayat.core import audit
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.policy import require_capability


@require_capability("ops.backup")
def backup_list(request):
    form = BackupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.start_backup(by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The backup has started; its progress shows below."))
        return redirect("backup:list")
    page = Paginator(selectors.history(), 25).get_page(request.GET.get("page"))
    return render(request, "backup/list.html", {"form": form, "page": page, "folder": folder.backup_dir(),
                                                "schedule": BackupSchedule.current()})


@require_capability("ops.backup")
def backup_schedule(request):
    current = BackupSchedule.current()
    form = ScheduleForm(request.POST or None, initial={"time": current.time, "keep_daily": current.keep_daily,
                                                      "keep_weekly": current.keep_weekly})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_schedule(by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The backup schedule is saved."))
            return redirect("backup:list")
    return render(request, "backup/schedule.html", {"form": form, "schedule": current})


@require_capability("ops.backup")
def backup_row(request, pk):
    """The row of one backup, polled by the list while it is written or verified."""
    return render(request, "backup/_row.html", {"backup": get_object_or_404(Backup, pk=pk)})


@require_capability("ops.backup")
def backup_download(request, pk):
    backup = get_object_or_404(Backup, pk=pk)
    try:
        path = services.archive_path(backup)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("backup:list")
    audit.record("backup.download", by=request.user, obj=backup)
    return FileResponse(path.open("rb"), as_attachment=True, filename=backup.file_name)


@require_POST
@require_capability("ops.backup")
def backup_verify(request, pk):
    try:
        services.start_verify(backup=get_object_or_404(Backup, pk=pk), by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Verification has started."))
    return redirect("backup:list")


@require_capability("ops.backup")
def backup_restore(request, pk):
    backup = get_object_or_404(Backup, pk=pk)
    form = RestoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.start_restore(backup=backup, by=request.user, confirmation=form.cleaned_data["confirmation"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("backup:restore_status")
    return render(request, "backup/restore_confirm.html", {"backup": backup, "form": form})


@require_capability("ops.backup")
def restore_status(request):
    template = "backup/_restore_progress.html" if request.htmx else "backup/restore_status.html"
    response = render(request, template, {"restore": maintenance.state() if maintenance.active() else None,
                                          "recent": selectors.recent_restores()})
    response["Vary"] = "HX-Request"
    return response
