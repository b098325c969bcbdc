"""Staff accounts: login by user_id, one role, a department, specialisations for doctors, an avatar."""

from __future__ import annotations

import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import (
    UNUSABLE_PASSWORD_PREFIX,
    UNUSABLE_PASSWORD_SUFFIX_LENGTH,
    identify_hasher,
    make_password,
)
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hayat.core.roles import Role
from hayat.core.uploads import IMAGE_TYPES

AVATAR_EXTENSIONS = {image_type.extension for image_type in IMAGE_TYPES.values()}

# What a person types to log in: stored in lower case, so that the plain unique index (case-sensitive on
# SQLite and PostgreSQL, case-insensitive under MariaDB's collation) refuses "Nurse" next to "nurse".
user_id_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{2,39}\Z",
    _("A user ID has 3 to 40 characters: letters a-z, digits, dots, dashes and underscores, "
      "and starts with a letter or a digit."),
    code="invalid_user_id",
)


def normalised_user_id(user_id: str) -> str:
    return str(user_id or "").strip().lower()


class Specialisation(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("specialisation")
        verbose_name_plural = _("specialisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.CharField(_("code"), max_length=20, unique=True)
    specialisation = models.ForeignKey(
        Specialisation, on_delete=models.PROTECT, null=True, blank=True, related_name="departments",
        verbose_name=_("specialisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet):
    """Bulk writes store user IDs and passwords as save() does: lower case, and hashed."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for user in objs:
            user.prepare_for_storage()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        for user in objs:
            user.prepare_for_storage()
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if isinstance(kwargs.get("user_id"), str):
            kwargs["user_id"] = normalised_user_id(kwargs["user_id"])
        if isinstance(kwargs.get("password"), str):
            kwargs["password"] = stored_password(kwargs["password"])
        return super().update(**kwargs)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, user_id: str, password: str | None = None, **fields) -> User:
        user_id_validator(str(user_id or "").strip())
        user = self.model(user_id=normalised_user_id(user_id), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, user_id: str, password: str | None = None, **fields) -> User:
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("full_name", user_id)
        return self.create_user(user_id, password, **fields)

    def get_by_natural_key(self, user_id: str) -> User:
        return self.get(user_id=normalised_user_id(user_id))


def avatar_path(user: User, filename: str) -> str:
    """A fresh name for every picture; the caller names the file after the format read from its content."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in AVATAR_EXTENSIONS:
        extension = "img"
    return f"avatars/{user.pk or 'new'}-{secrets.token_hex(8)}.{extension}"


class User(AbstractBaseUser):
    user_id = models.CharField(
        _("user ID"), max_length=40, unique=True, validators=[user_id_validator],
        help_text=_("What the person types to log in, e.g. nurse.karimova or 10452."),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="staff",
        verbose_name=_("department"),
    )
    specialisations = models.ManyToManyField(
        Specialisation, blank=True, related_name="doctors", verbose_name=_("specialisations")
    )
    avatar = models.ImageField(_("profile picture"), upload_to=avatar_path, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("created"), auto_now_add=True)
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("Set when an administrator resets the password: the user chooses their own at the next login."))
    # Raised to revoke every API token of the user at once (hayat.accounts.tokens).
    token_version = models.PositiveIntegerField(_("token version"), default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "user_id"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(condition=~Q(user_id=""), name="user_id_not_empty"),
            models.CheckConstraint(condition=Q(user_id=Lower("user_id")), name="user_id_lower_case"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.user_id})"

    def save(self, *args, **kwargs):
        self.prepare_for_storage()
        # A login only stamps last_login: that is not a change worth a history row.
        only_login = set(kwargs.get("update_fields") or ()) == {"last_login"}
        if only_login:
            self.skip_history_when_saving = True
        try:
            super().save(*args, **kwargs)
        finally:
            if only_login:
                del self.skip_history_when_saving

    def prepare_for_storage(self) -> None:
        """Whatever door a user comes in by (form, API, admin, shell, fixture, bulk), the user ID is stored
        in lower case and the password as a hash."""
        self.user_id = normalised_user_id(self.user_id)
        if is_plain_password(self.password):
            self.set_password(self.password)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        words = self.name_words()
        return words[0] if words else self.user_id

    def name_words(self) -> list[str]:
        """The words of the full name without a title such as "Dr." or "Prof." (a word ending in a full stop)."""
        words = self.full_name.split()
        return [word for word in words if not word.endswith(".")] or words

    @property
    def is_staff(self) -> bool:
        """Only Admins enter Django's admin site (job schedules, raw tables)."""
        return self.is_active and self.role == Role.ADMIN

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm: str, obj=None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff

    @property
    def is_doctor(self) -> bool:
        return self.role == Role.DOCTOR

    @property
    def initials(self) -> str:
        return "".join(word[0] for word in self.name_words()[:2]).upper() or self.user_id[:2].upper()


def stored_password(value: str) -> str:
    return make_password(value) if is_plain_password(value) else value


def is_plain_password(value: str) -> bool:
    """Not a hash and not the unusable-password marker: plain text that must be hashed before it is stored."""
    return bool(value) and not is_unusable_marker(value) and not is_hash(value)


def is_unusable_marker(value: str) -> bool:
    """What Django stores for "no password": "!" and 40 random letters and digits (a bare "!" before Django 1.6).
    A typed "!secret" is plain text: kept as it is, it would sit readable in the database."""
    suffix = value.removeprefix(UNUSABLE_PASSWORD_PREFIX)
    random_suffix = len(suffix) == UNUSABLE_PASSWORD_SUFFIX_LENGTH and suffix.isascii() and suffix.isalnum()
    return suffix != value and (suffix == "" or random_suffix)


def is_hash(value: str) -> bool:
    try:
        identify_hasher(value)
    except ValueError:
        return False
    return True
