"""Bed assignments: which bed an episode's patient lies in, from when to when, at which hourly rate.

Billing derives bed time from these facts (start, end, rate). The "open key" columns hold the bed, the
episode and the patient only while the assignment is open and are NULL once it ends; plain unique indexes
on them allow one open assignment per bed, per episode and per patient on every engine (NULLs never
collide, and MariaDB would silently ignore a conditional unique constraint).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hayat.core.money import money_field


class AssignmentEnd(models.TextChoices):
    TRANSFER = "transfer", _("Transferred to another bed")
    DISCHARGE = "discharge", _("Discharged")


class BedAssignment(models.Model):
    episode = models.ForeignKey("clinical.Episode", on_delete=models.PROTECT, related_name="bed_assignments",
                                verbose_name=_("episode"))
    bed = models.ForeignKey("facilities.Bed", on_delete=models.PROTECT, related_name="clinical_assignments",
                            verbose_name=_("bed"))
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    hourly_rate = money_field(_("hourly rate"), help_text=_("The room's rate when the assignment began."))
    ended_reason = models.CharField(_("ended by"), max_length=10, choices=AssignmentEnd.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("assigned by"))
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 null=True, blank=True, verbose_name=_("ended by"))
    open_bed = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    open_episode = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    # The episode's patient, written with the other open keys (a CHECK cannot look into the episode row). A key
    # to Patient, so that merging two records moves it along with the rest of the patient's rows.
    open_patient = models.OneToOneField("patients.Patient", on_delete=models.PROTECT, null=True, blank=True,
                                        editable=False, db_column="open_patient",
                                        related_name="open_bed_assignment")

    class Meta:
        verbose_name = _("bed assignment")
        verbose_name_plural = _("bed assignments")
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["episode", "started_at"], name="assignment_episode_start"),
            models.Index(fields=["bed", "started_at"], name="assignment_bed_start"),
            models.Index(fields=["started_at", "ended_at"], name="assignment_period"),
        ]
        constraints = [
            models.CheckConstraint(
                # The isnull tests matter: a CHECK whose comparison meets NULL passes.
                condition=Q(ended_at__isnull=True, open_bed__isnull=False, open_episode__isnull=False,
                            open_bed=F("bed"), open_episode=F("episode"), ended_reason="")
                | Q(ended_at__isnull=False, open_bed__isnull=True, open_episode__isnull=True) & ~Q(ended_reason=""),
                name="assignment_open_keys_match"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True, open_patient__isnull=False)
                                   | Q(ended_at__isnull=False, open_patient__isnull=True),
                                   name="assignment_open_patient_while_open"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                                   name="assignment_ends_after_start"),
            models.CheckConstraint(condition=Q(hourly_rate__gte=0), name="assignment_rate_not_negative"),
            models.CheckConstraint(condition=Q(ended_reason="") | Q(ended_reason__in=AssignmentEnd.values),
                                   name="assignment_ended_reason_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.episode_id} → {self.bed_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
