"""The history of backups: one row per archive, rebuilt from the archives' manifests after a restore.

The row holds no foreign key: it is left out of the archives and outlives restores (hayat.backup.folder).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BackupKind(models.TextChoices):
    MANUAL = "manual", _("Manual")
    SCHEDULED = "scheduled", _("Scheduled")
    BEFORE_RESTORE = "before_restore", _("Before a restore")


class BackupStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class VerifyStatus(models.TextChoices):
    NOT_VERIFIED = "", _("Not verified")
    RUNNING = "running", _("Verifying")
    VERIFIED = "verified", _("Verified")
    DIFFERS = "differs", _("Differs")


class Backup(models.Model):
    file_name = models.CharField(_("file"), max_length=200, unique=True)
    location = models.CharField(_("folder"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=BackupKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=BackupStatus.choices, default=BackupStatus.RUNNING)
    error = models.TextField(_("error"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    by = models.CharField(_("by"), max_length=150, blank=True)
    started_at = models.DateTimeField(_("started"), db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    size = models.BigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    hayat_version = models.CharField(_("Hayat version"), max_length=40, blank=True)
    engine = models.CharField(_("database engine"), max_length=20, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    verify_status = models.CharField(_("verification"), max_length=10, choices=VerifyStatus.choices, blank=True,
                                     default=VerifyStatus.NOT_VERIFIED)
    verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    verify_problems = models.TextField(_("what differs"), blank=True)
    # The day a scheduled backup stands for: the database lets one scheduled backup exist per day.
    scheduled_for = models.DateField(_("scheduled for"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("backup")
        verbose_name_plural = _("backups")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=BackupKind.values), name="backup_kind_valid"),
            models.CheckConstraint(condition=models.Q(status__in=BackupStatus.values), name="backup_status_valid"),
            models.CheckConstraint(condition=models.Q(verify_status__in=VerifyStatus.values),
                                   name="backup_verify_status_valid"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="backup_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.file_name
