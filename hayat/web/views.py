"""The dashboard, saved searches of the list pages and the error pages (JSON in the API's common format under
/api/)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views import defaults
from django.views.decorators.http import require_POST

from hayat.core import audit
from hayat.core.api import is_api_request, json_error
from hayat.core.errors import DomainError
from hayat.core.policy import SIGNED_IN, require_capability
from hayat.core.ratelimits import expensive
from hayat.web import palette, services
from hayat.web.dashboard import panels_for
from hayat.web.forms import SaveSearchForm
from hayat.web.models import SavedSearch, SearchPage


@require_capability(SIGNED_IN)
def dashboard(request):
    return render(request, "web/dashboard.html", {"panels": panels_for(request.user)})


@require_capability(SIGNED_IN)
@expensive
def jump(request):
    """The command palette's answer (Ctrl+K): pages and records matching the typed text, the patients among them
    logged as read. Without htmx it is a page of its own, so the palette works without its script too."""
    query = request.GET.get("q", "")[:100]
    groups = palette.jumps(request.user, query)
    audit.log_rows_access(by=request.user, rows=[jump for group in groups for jump in group.jumps],
                          what=gettext_noop("command palette"), patient_ids_of=lambda jump: jump.patient_ids)
    context = {"groups": groups, "query": query.strip()}
    if request.htmx:
        return render(request, "web/_palette_results.html", context)
    return render(request, "web/jump.html", context)


@require_capability(SIGNED_IN)
@require_POST
def saved_search_save(request):
    """Keeps the filters of a list page under a name and opens the page with them (the service checks that
    the person may see that page)."""
    form = SaveSearchForm(request.POST)
    page = request.POST.get("page") if request.POST.get("page") in SearchPage.values else "web:dashboard"
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect(page)
    try:
        search = services.save_search(by=request.user, page=form.cleaned_data["page"], name=form.cleaned_data["name"],
                                      query=form.cleaned_data["query"], shared=form.cleaned_data["shared"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(page)
    messages.success(request, _("Search “%(name)s” saved.") % {"name": search.name})
    return redirect(search.get_absolute_url())


@require_capability(SIGNED_IN)
@require_POST
def saved_search_delete(request, pk):
    search = get_object_or_404(SavedSearch, pk=pk)
    try:
        services.delete_search(by=request.user, search=search)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Search “%(name)s” removed.") % {"name": search.name})
    return redirect(search.page)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if is_api_request(request):
        return json_error(_("The request could not be understood."), "bad_request", 400)
    return defaults.bad_request(request, exception)


def too_large(request):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (files aside, which have their own limits): 413 naming the limit."""
    message = _("The request is larger than the %(limit)s the server accepts.") % {
        "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    if is_api_request(request):
        return json_error(message, "request_too_large", 413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


def permission_denied(request, exception=None):
    if is_api_request(request):
        return json_error(_("You do not have permission to perform this action."), "permission_denied", 403)
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    if is_api_request(request):
        return json_error(_("Not found."), "not_found", 404)
    return render(request, "404.html", status=404)


def server_error(request):
    """Renders without the request's context: whatever broke (database, middleware) may break that too."""
    if is_api_request(request):
        return json_error(_("Something went wrong on the server. Nothing was half-saved; please try again."),
                          "server_error", 500)
    return HttpResponseServerError(loader.get_template("500.html").render())
