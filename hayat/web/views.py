"""The dashboard and the error pages."""

from django.shortcuts import render

from hayat.core.policy import SIGNED_IN, require_capability
from hayat.web.dashboard import panels_for


@require_capability(SIGNED_IN)
def dashboard(request):
    return render(request, "web/dashboard.html", {"panels": panels_for(request.user)})


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
