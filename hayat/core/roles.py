"""The six roles a Hayat user can have."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    RECEPTIONIST = "receptionist", _("Receptionist")
    DOCTOR = "doctor", _("Doctor")
    NURSE = "nurse", _("Nurse")
    TELLER = "teller", _("Teller")
    CODER = "coder", _("Coder")
