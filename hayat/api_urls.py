"""The REST API: one router for every app, JWT login by user_id, the OpenAPI schema and its docs page."""

from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import DefaultRouter
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from hayat.accounts import api as accounts_api
from hayat.accounts.lockout import LockedOut
from hayat.core.policy import SIGNED_IN


class LoginView(TokenObtainPairView):
    """Exchanges {"user_id", "password"} for an access and a refresh token.

    A locked user ID gets 429 with code "locked_out", so a program can tell it from a wrong password (401).
    """

    permission_classes = ()

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except AuthenticationFailed:
            if getattr(request, "axes_locked_out", False):  # set by django-axes on this request
                raise LockedOut() from None
            raise


class RefreshView(TokenRefreshView):
    permission_classes = ()


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema (YAML unless `?format=json`); its errors are JSON like every other API error."""

    capabilities = {"GET": SIGNED_IN}

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return response


class DocsView(SpectacularSwaggerSplitView):
    """The interactive docs page: a browser that is not signed in is sent to the login page first. Its set-up
    script comes from the same address (`?script`), not inline, as the Content-Security-Policy wants."""

    capabilities = {"GET": SIGNED_IN}

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated | AuthenticationFailed):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


router = DefaultRouter()
router.include_root_view = False
router.register("users", accounts_api.UserViewSet, basename="user")

urlpatterns = [
    path("auth/token/", LoginView.as_view(), name="api-token"),
    path("auth/token/refresh/", RefreshView.as_view(), name="api-token-refresh"),
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
    path("", include("hayat.patients.api_urls")),
    path("", include("hayat.facilities.api_urls")),
    path("", include("hayat.catalog.api_urls")),
    path("", include("hayat.stays.api_urls")),
    path("", include("hayat.clinical.api_urls")),
    path("", include("hayat.lab.api_urls")),
    path("", include("hayat.billing.api_urls")),
    path("", include("hayat.treatment.api_urls")),
    path("", include("hayat.backup.api_urls")),
    path("", include("hayat.documents.api_urls")),
    path("", include("hayat.notifications.api_urls")),
]
