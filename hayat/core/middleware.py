"""Project-wide middleware: default deny for web pages, the request context for auditing, response headers."""

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers

from hayat.core import context


class WebLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every web page needs a signed-in user unless marked public.

    The API is left to DRF, which authenticates JWT as well as sessions and answers 401 instead of
    redirecting to the login page.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.set_current(context.RequestContext(ip=client_ip(request), path=request.path[:300]))
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


def client_ip(request) -> str | None:
    # hayat.core.proxies.TrustedProxyMiddleware has already put the client's address behind a trusted proxy here.
    return request.META.get("REMOTE_ADDR") or None


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
    "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
    "frame-ancestors 'self'",
])


class ResponseHeadersMiddleware:
    """Headers every dynamic answer needs (static files are served before this, by whitenoise):

    - `Cache-Control: no-store`: pages and API answers show patient data, which must stay out of browser and
      proxy caches (and out of the back button after logging out), unless a view chose its own caching;
    - `Vary: HX-Request`: an htmx request gets a partial of the same address, so a cache or the browser's
      history must never hand the partial out as the full page;
    - `Content-Security-Policy`: scripts only from this site's files (no inline script or handler anywhere),
      so injected markup cannot run. Inline styles stay allowed (htmx's indicator style, Swagger UI's page).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        patch_vary_headers(response, ["HX-Request"])
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
