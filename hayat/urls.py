"""Hayat's URL map: web pages by app, the REST API under /api/, Django admin for Admins."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from hayat.accounts.forms import LoginForm
from hayat.core.params import IdConverter
from hayat.core.policy import SIGNED_IN, require_capability

register_converter(IdConverter, "id")  # before the apps' URL maps use it

urlpatterns = [
    path("", include("hayat.web.urls")),
    path("login/", login_not_required(auth_views.LoginView.as_view(authentication_form=LoginForm,
                                                                   redirect_authenticated_user=True)),
         name="login"),
    path("logout/", require_capability(SIGNED_IN)(auth_views.LogoutView.as_view()), name="logout"),
    path("language/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("hayat.accounts.urls")),
    path("patients/", include("hayat.patients.urls")),
    path("facilities/", include("hayat.facilities.urls")),
    path("catalog/", include("hayat.catalog.urls")),
    path("stays/", include("hayat.stays.urls")),
    path("clinical/", include("hayat.clinical.urls")),
    path("lab/", include("hayat.lab.urls")),
    path("billing/", include("hayat.billing.urls")),
    path("treatment/", include("hayat.treatment.urls")),
    path("ops/", include("hayat.ops.urls")),
    path("reports/", include("hayat.reports.urls")),
    path("backup/", include("hayat.backup.urls")),
    path("documents/", include("hayat.documents.urls")),
    path("messages/", include("hayat.notifications.urls")),
    path("api/", include("hayat.api_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "hayat.web.views.bad_request"
handler403 = "hayat.web.views.permission_denied"
handler404 = "hayat.web.views.page_not_found"
handler500 = "hayat.web.views.server_error"

admin.site.site_header = "Hayat"
