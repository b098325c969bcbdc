"""Web pages for staff accounts: Admin's user management and everyone's own profile."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hayat.accounts import lockout, selectors, services
from hayat.accounts.forms import AvatarForm, NewUserForm, OwnPasswordForm, PasswordResetForm, UserForm
from hayat.accounts.models import User
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.policy import SIGNED_IN, require_capability
from hayat.core.roles import Role
from hayat.core.uploads import stored_image_type


@require_capability("users.manage")
def user_list(request):
    users = selectors.users(search=request.GET.get("q", "").strip(), role=request.GET.get("role", ""),
                            active=request.GET.get("active", ""))
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    template = "accounts/_user_rows.html" if request.htmx else "accounts/user_list.html"
    return render(request, template, {"page": page, "roles": Role.choices})


@require_capability("users.manage")
def user_create(request):
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(by=request.user, data=form.user_data(),
                                        password=form.cleaned_data["password"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Account %(user_id)s created.") % {"user_id": user.user_id})
            return redirect("accounts:user_edit", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@require_capability("users.manage")
def user_edit(request, pk):
    user = get_object_or_404(User, pk=pk)
    form = UserForm.for_user(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(by=request.user, user=user, data=form.user_data())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("accounts:user_edit", pk=user.pk)
    history = user.history.select_related("history_user").order_by("-history_date")[:20]
    return render(request, "accounts/user_form.html", {
        "form": form, "account": user, "password_form": PasswordResetForm(), "history": history,
        "locked_out": lockout.is_locked_out(user),
        "avatar_form": AvatarForm(),
    })


@require_POST
@require_capability("users.manage")
def user_set_active(request, pk):
    user = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(by=request.user, user=user, active=active)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Account activated.") if active else _("Account deactivated."))
    return redirect("accounts:user_edit", pk=user.pk)


@require_POST
@require_capability("users.manage")
def user_lockout(request, pk):
    user = get_object_or_404(User, pk=pk)
    locking = request.POST.get("locked") == "1"
    try:
        if locking:
            lockout.lock_out(by=request.user, user=user)
        else:
            lockout.unlock(by=request.user, user=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Account locked out.") if locking else _("Account unlocked."))
    return redirect("accounts:user_edit", pk=user.pk)


@require_POST
@require_capability("users.manage")
def user_reset_password(request, pk):
    user = get_object_or_404(User, pk=pk)
    form = PasswordResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The password was not changed: type the new password first."))
        return redirect("accounts:user_edit", pk=user.pk)
    try:
        services.reset_password(by=request.user, user=user, new_password=form.cleaned_data["new_password"],
                                change_at_next_login=form.cleaned_data["change_at_next_login"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Password reset. Tell the user their new password in person."))
    return redirect("accounts:user_edit", pk=user.pk)


@require_POST
@require_capability("users.manage")
def user_set_avatar(request, pk):
    """Admin sets a user's profile picture (a photo taken at the desk, for a user who cannot upload one)."""
    user = get_object_or_404(User, pk=pk)
    form = AvatarForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("The picture was not changed: choose a picture file first."))
        return redirect("accounts:user_edit", pk=user.pk)
    try:
        services.set_avatar(by=request.user, user=user, upload=form.cleaned_data["avatar"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Profile picture updated."))
    return redirect("accounts:user_edit", pk=user.pk)


@require_capability(SIGNED_IN)
def profile(request):
    password_form = OwnPasswordForm(request.POST if "change_password" in request.POST else None)
    avatar_form = AvatarForm(request.POST if "upload_avatar" in request.POST else None, request.FILES or None)
    if password_form.is_bound and password_form.is_valid():
        try:
            services.change_own_password(user=request.user, **password_form.cleaned_data)
        except DomainError as error:
            add_domain_error(password_form, error)
        else:
            messages.success(request, _("Your password was changed. Please log in again."))
            return redirect("login")
    if avatar_form.is_bound and avatar_form.is_valid():
        try:
            services.set_avatar(by=request.user, user=request.user, upload=avatar_form.cleaned_data["avatar"])
        except DomainError as error:
            add_domain_error(avatar_form, error)
        else:
            messages.success(request, _("Profile picture updated."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"password_form": password_form, "avatar_form": avatar_form})


@require_capability(SIGNED_IN)
def avatar(request, pk):
    """Serves a profile picture as the image type read from its content, never as what its name suggests."""
    user = get_object_or_404(User, pk=pk)
    image_type = stored_image_type(user.avatar) if user.avatar else None
    if image_type is None:
        raise Http404
    response = FileResponse(user.avatar.open("rb"), content_type=image_type.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
