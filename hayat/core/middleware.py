"""Project-wide middleware: default deny for web pages, and the request context for auditing."""

from django.contrib.auth.middleware import LoginRequiredMiddleware

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
