"""The dashboard and the error pages (JSON in the API's common format under /api/)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults

from hayat.core.api import is_api_request, json_error
from hayat.core.policy import SIGNED_IN, require_capability
from hayat.web.dashboard import panels_for


@require_capability(SIGNED_IN)
def dashboard(request):
    return render(request, "web/dashboard.html", {"panels": panels_for(request.user)})


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
