"""Every change to a staff account: one use case per function, audited, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hayat.accounts.models import Department, Specialisation, User, normalised_user_id, user_id_validator
from hayat.accounts.tokens import revoke_tokens
from hayat.core import audit, policy
from hayat.core.errors import DomainError
from hayat.core.roles import Role
from hayat.core.uploads import clean_image

AVATAR_MAX_SIDE = 512  # pixels; pictures are shown at 24 to 64
PROFILE_FIELDS = ("user_id", "full_name", "role", "department", "phone", "is_active")


@dataclass
class UserData:
    user_id: str
    full_name: str
    role: str
    department: Department | None = None
    phone: str = ""
    specialisations: list[Specialisation] = field(default_factory=list)


@transaction.atomic
def create_user(*, by: User, data: UserData, password: str) -> User:
    """Creates an active account with a hashed, validated password."""
    policy.ensure(by, "users.manage")
    check_role(data.role)
    check_department(data.department, current=None)
    user = User(user_id=clean_user_id(data.user_id), full_name=data.full_name.strip(), role=data.role,
                department=data.department, phone=data.phone.strip())
    check_password(password, user)
    user.set_password(password)
    save_unique(user)
    user.specialisations.set(data.specialisations if data.role == Role.DOCTOR else [])
    audit.record("user.create", by=by, obj=user, changes={"role": [None, user.role]})
    return user


@transaction.atomic
def update_user(*, by: User, user: User, data: UserData) -> User:
    policy.ensure(by, "users.manage")
    check_role(data.role)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = audit.snapshot(user, PROFILE_FIELDS)
    check_own_account(by=by, user=user, role=data.role, active=user.is_active)
    check_department(data.department, current=user.department)
    if data.role != user.role:
        revoke_tokens(user)
    user.user_id, user.full_name, user.role = clean_user_id(data.user_id), data.full_name.strip(), data.role
    user.department, user.phone = data.department, data.phone.strip()
    save_unique(user)
    user.specialisations.set(data.specialisations if data.role == Role.DOCTOR else [])
    audit.record("user.update", by=by, obj=user,
                 changes=audit.changes_between(before, audit.snapshot(user, PROFILE_FIELDS)))
    return user


@transaction.atomic
def set_active(*, by: User, user: User, active: bool) -> User:
    """Deactivated users cannot log in; their records and history stay."""
    policy.ensure(by, "users.manage")
    user = User.objects.select_for_update().get(pk=user.pk)
    check_own_account(by=by, user=user, role=user.role, active=active)
    if user.is_active != active:
        user.is_active = active
        revoke_tokens(user)
        user.save(update_fields=["is_active", "token_version"])
        audit.record("user.activate" if active else "user.deactivate", by=by, obj=user)
    return user


@transaction.atomic
def save_from_admin(*, by: User, user: User) -> User:
    """Saves what Django's admin changed on an account (name, role, department, phone, active), audited."""
    policy.ensure(by, "users.manage")
    check_role(user.role)
    stored = User.objects.select_for_update().get(pk=user.pk)
    check_own_account(by=by, user=stored, role=user.role, active=user.is_active)
    check_department(user.department, current=stored.department)
    before = audit.snapshot(stored, PROFILE_FIELDS)
    user.token_version = stored.token_version
    if (user.role, user.is_active) != (stored.role, stored.is_active):
        revoke_tokens(user)
    user.save()
    audit.record("user.admin_change", by=by, obj=user,
                 changes=audit.changes_between(before, audit.snapshot(user, PROFILE_FIELDS)))
    return user


@transaction.atomic
def reset_password(*, by: User, user: User, new_password: str, change_at_next_login: bool = True) -> User:
    """Sets a password an administrator tells the user in person; by default the user must replace it with
    their own at the next login, so nobody else keeps knowing it."""
    policy.ensure(by, "users.manage")
    user = User.objects.select_for_update().get(pk=user.pk)
    check_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = change_at_next_login and user.pk != by.pk
    revoke_tokens(user)
    user.save(update_fields=["password", "must_change_password", "token_version"])
    audit.record("user.reset_password", by=by, obj=user,
                 changes={"must_change_password": [None, user.must_change_password]})
    return user


@transaction.atomic
def change_own_password(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise DomainError(_("The current password is not correct."), field="old_password")
    check_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    revoke_tokens(user)
    user.save(update_fields=["password", "must_change_password", "token_version"])
    audit.record("user.change_password", by=user, obj=user)
    return user


@transaction.atomic
def set_avatar(*, by: User, user: User, upload) -> User:
    """Stores a profile picture after checking that it really is a picture, within the size limit.

    What is stored is the picture as Pillow wrote it again, under a generated name whose extension
    comes from the format read from the content: the uploaded name (say `a.html`) plays no part.
    """
    if by.pk != user.pk:
        policy.ensure(by, "users.manage")
    try:
        picture = clean_image(upload, max_bytes=settings.HAYAT_AVATAR_MAX_BYTES, max_side=AVATAR_MAX_SIDE)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="avatar") from error
    user = User.objects.select_for_update().get(pk=user.pk)
    old_name = user.avatar.name
    user.avatar.save(f"avatar.{picture.type.extension}", ContentFile(picture.content), save=False)
    user.save(update_fields=["avatar"])
    if old_name:
        storage = user.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    audit.record("user.avatar", by=by, obj=user)
    return user


def clean_user_id(user_id: str) -> str:
    """The user ID as stored and looked up: lower case, from a small set of characters."""
    try:
        user_id_validator(str(user_id or "").strip())
    except ValidationError as error:
        raise DomainError(error.messages[0], field="user_id") from error
    return normalised_user_id(user_id)


def check_own_account(*, by: User, user: User, role: str, active: bool) -> None:
    """Admins cannot demote or deactivate themselves, so that someone is always left to manage accounts."""
    if user.pk != by.pk:
        return
    if role != Role.ADMIN:
        raise DomainError(_("You cannot take the Admin role away from yourself."), field="role")
    if not active:
        raise DomainError(_("You cannot deactivate your own account."), field="is_active")


def check_department(department: Department | None, *, current: Department | None) -> None:
    """Nobody joins a deactivated department; those already in it may stay."""
    if department is not None and not department.is_active and department != current:
        raise DomainError(_("The department %(department)s is no longer active.") % {"department": department},
                          field="department")


def check_role(role: str) -> None:
    if role not in Role.values:
        raise DomainError(_("Unknown role %(role)s.") % {"role": role}, field="role")


def check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from error


def save_unique(user: User) -> None:
    if User.objects.filter(user_id=user.user_id).exclude(pk=user.pk).exists():
        raise DomainError(_("The user ID %(user_id)s is taken.") % {"user_id": user.user_id}, field="user_id")
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise DomainError(_("The user ID %(user_id)s is taken.") % {"user_id": user.user_id},
                          field="user_id") from error
