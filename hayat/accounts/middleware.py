"""A user whose password an administrator reset chooses their own before anything else (the profile page)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# What stays reachable meanwhile: the page to change it, signing out, the language, files the page needs.
ALLOWED_PREFIXES = ("/static/", "/language/", "/logout/", "/api/")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            profile = reverse("accounts:profile")
            if request.path != profile and not request.path.startswith(ALLOWED_PREFIXES):
                messages.warning(request, _("Your password was reset by an administrator: choose your own now."))
                return redirect(profile)
        return self.get_response(request)
