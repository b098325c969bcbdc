"""Lab results of a patient, and their attachments in groups (albums) kept in upload order."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hayat.core.models import Stamped
from hayat.lab import files

CODE_LENGTH = 6


class LabTestType(models.Model):
    """A kind of test the laboratory performs (complete blood count, urinalysis, chest X-ray ...)."""

    code = models.CharField(_("code"), max_length=20, unique=True,
                            help_text=_("A short abbreviation, e.g. CBC."))
    name = models.CharField(_("name"), max_length=120, unique=True)
    is_active = models.BooleanField(_("active"), default=True,
                                    help_text=_("Inactive types stay on old results but cannot be chosen."))

    class Meta:
        verbose_name = _("test type")
        verbose_name_plural = _("test types")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(code="") & ~Q(name=""), name="lab_test_type_named"),
        ]

    def __str__(self) -> str:
        return self.name


class LabResult(Stamped):
    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="lab_results",
                                verbose_name=_("patient"))
    test_type = models.ForeignKey(LabTestType, on_delete=models.PROTECT, related_name="results",
                                  verbose_name=_("test type"))
    summary = models.TextField(_("result summary"))
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("performed by"))
    performed_at = models.DateTimeField(_("performed at"))
    episode = models.ForeignKey("clinical.Episode", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="lab_results", verbose_name=_("episode"),
                                help_text=_("The admission or visit the test belongs to, if any."))
    booking = models.ForeignKey("stays.Booking", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="lab_results", verbose_name=_("stay"),
                                help_text=_("The sanatorium stay the test belongs to, if any."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lab result")
        verbose_name_plural = _("lab results")
        ordering = ["-performed_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "performed_at"], name="lab_result_patient_time"),
            models.Index(fields=["performed_at"], name="lab_result_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="lab_result_code_not_empty"),
            models.CheckConstraint(condition=~Q(summary=""), name="lab_result_summary_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.test_type}"

    def get_absolute_url(self) -> str:
        return reverse("lab:result_detail", kwargs={"pk": self.pk})

    @property
    def was_changed(self) -> bool:
        return (self.updated_at - self.created_at).total_seconds() >= 1


class AttachmentGroup(models.Model):
    """One upload: a description and the files sent with it, shown together like an album."""

    result = models.ForeignKey(LabResult, on_delete=models.PROTECT, related_name="groups",
                               verbose_name=_("lab result"))
    position = models.PositiveIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=500)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment group")
        verbose_name_plural = _("attachment groups")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["result", "position"], name="lab_group_position_unique"),
            models.CheckConstraint(condition=~Q(description=""), name="lab_group_described"),
        ]

    def __str__(self) -> str:
        return self.description


class Attachment(models.Model):
    """One file of a group. The stored name is generated; the user's name is kept for display only."""

    group = models.ForeignKey(AttachmentGroup, on_delete=models.CASCADE, related_name="files",
                              verbose_name=_("group"))
    position = models.PositiveSmallIntegerField(_("position"))
    file = models.FileField(_("file"), max_length=200)
    thumbnail = models.FileField(_("thumbnail"), max_length=200, blank=True)
    original_name = models.CharField(_("original name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=40, choices=[
        (kind.content_type, kind.label) for kind in files.KINDS.values()
    ])
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "position"], name="lab_attachment_position_unique"),
            models.UniqueConstraint(fields=["file"], name="lab_attachment_file_unique"),
            models.CheckConstraint(condition=Q(content_type__in=files.CONTENT_TYPES),
                                   name="lab_attachment_type_allowed"),
            models.CheckConstraint(condition=Q(size__gt=0), name="lab_attachment_not_empty"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def kind(self) -> files.FileKind:
        return files.kind_of(self.content_type)

    @property
    def download_name(self) -> str:
        return files.download_name(self.original_name, self.kind)
