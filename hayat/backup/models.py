"""The history of backups: one row per archive, rebuilt from the archives' manifests after a restore.

The row holds no foreign key: it is left out of the archives and outlives restores (hayat.backup.folder).
The schedule of the daily backup is set by an Admin (BackupSchedule); until then the settings give it.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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


KEEP_DAILY_AT_MOST, KEEP_WEEKLY_AT_MOST = 365, 520


class BackupSchedule(models.Model):
    """When the daily backup is made and how many scheduled backups are kept (a single row, set by an Admin)."""

    # True on the one row; unique, so a second row is refused on every engine
    singleton = models.BooleanField(default=True, unique=True, editable=False)
    time = models.TimeField(_("time of day"), help_text=_("Hospital time after which the day's backup is made."))
    keep_daily = models.PositiveSmallIntegerField(
        _("daily backups kept"), validators=[MinValueValidator(1), MaxValueValidator(KEEP_DAILY_AT_MOST)],
        help_text=_("The newest scheduled backups kept, one per day."))
    keep_weekly = models.PositiveSmallIntegerField(
        _("weekly backups kept"), validators=[MaxValueValidator(KEEP_WEEKLY_AT_MOST)],
        help_text=_("Before those, one backup a week is kept for this many weeks."))
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)
    updated_by = models.CharField(_("updated by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("backup schedule")
        verbose_name_plural = _("backup schedule")
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=True), name="backup_schedule_single_row"),
            models.CheckConstraint(condition=models.Q(keep_daily__gte=1, keep_daily__lte=KEEP_DAILY_AT_MOST),
                                   name="backup_schedule_keep_daily_range"),
            models.CheckConstraint(condition=models.Q(keep_weekly__lte=KEEP_WEEKLY_AT_MOST),
                                   name="backup_schedule_keep_weekly_range"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%H:%M}, {self.keep_daily} + {self.keep_weekly}"

    @classmethod
    def current(cls) -> BackupSchedule:
        """The saved schedule, or the one of the settings (HAYAT_BACKUP_TIME, _KEEP_DAILY, _KEEP_WEEKLY)."""
        return cls.objects.first() or cls(
            time=time.fromisoformat(settings.HAYAT_BACKUP_TIME), keep_daily=settings.HAYAT_BACKUP_KEEP_DAILY,
            keep_weekly=settings.HAYAT_BACKUP_KEEP_WEEKLY)
