"""Episodes (one admission or visit of a patient), their status history, vitals and coded diagnoses."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hayat.core.models import Stamped, StatusChange


class EpisodeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    READY_FOR_CODING = "ready_for_coding", _("Ready for coding")
    ADMITTED = "admitted", _("Admitted")
    OUTPATIENT = "outpatient", _("Outpatient")
    DISCHARGED = "discharged", _("Discharged")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses in which an episode is still open: a patient has at most one such episode.
OPEN_STATUSES = (EpisodeStatus.PENDING, EpisodeStatus.READY_FOR_CODING, EpisodeStatus.ADMITTED,
                 EpisodeStatus.OUTPATIENT)
# Statuses in which the doctor's decision is made: physician and admission type are always set.
DECIDED_STATUSES = (EpisodeStatus.READY_FOR_CODING, EpisodeStatus.ADMITTED, EpisodeStatus.OUTPATIENT,
                    EpisodeStatus.DISCHARGED)


class IntendedAdmission(models.TextChoices):
    INPATIENT = "inpatient", _("Inpatient")
    OUTPATIENT = "outpatient", _("Outpatient")
    UNDECIDED = "undecided", _("Undecided")


class AdmissionType(models.TextChoices):
    INPATIENT = "inpatient", _("Inpatient")
    OUTPATIENT = "outpatient", _("Outpatient")


class Disposition(models.TextChoices):
    DISCHARGED = "discharged", _("Discharged")
    TRANSFERRED = "transferred", _("Transferred to another facility")
    HAMA = "hama", _("Home against medical advice (HAMA)")
    ABSCONDED = "absconded", _("Absconded")


class DischargeResult(models.TextChoices):
    RECOVERED = "recovered", _("Recovered")
    IMPROVED = "improved", _("Improved")
    UNIMPROVED = "unimproved", _("Unimproved")
    DIED_WITHIN_48H = "died_within_48h", _("Died within 48 hours")
    DIED_AFTER_48H = "died_after_48h", _("Died after 48 hours")


def choice_or_blank(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{field: ""}) | Q(**{f"{field}__in": choices.values})


class Episode(Stamped):
    """One admission or outpatient visit. The patient's identity lives in patients.Patient; a returning
    patient gets a new episode with its own numbers, and all of them stay linked to the one patient."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="episodes",
                                verbose_name=_("patient"))
    case_number = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    hospital_case_number = models.CharField(_("hospital case number"), max_length=20, unique=True,
                                            editable=False)
    status = models.CharField(_("status"), max_length=20, choices=EpisodeStatus.choices,
                              default=EpisodeStatus.PENDING, db_index=True)
    registered_at = models.DateTimeField(_("registered"), db_index=True)

    # Reception
    intended_admission_type = models.CharField(
        _("intended admission"), max_length=12, choices=IntendedAdmission.choices,
        default=IntendedAdmission.UNDECIDED, help_text=_("What the patient comes for; the doctor decides."))
    reason_for_visit = models.TextField(_("reason for visit"), help_text=_("In the patient's own words."))
    insurance_philhealth_number = models.CharField(_("PhilHealth number"), max_length=20, blank=True)
    insurance_hmo_name = models.CharField(_("HMO"), max_length=120, blank=True)
    insurance_hmo_number = models.CharField(_("HMO member number"), max_length=40, blank=True)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=150, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=20, blank=True)

    # Clinical documentation
    chief_complaint = models.TextField(_("chief complaint"), blank=True)
    present_illness = models.TextField(_("history of present illness"), blank=True)
    physical_examination = models.TextField(_("physical examination"), blank=True)
    principal_diagnosis = models.TextField(_("principal diagnosis"), blank=True)
    other_diagnoses = models.TextField(_("other diagnoses"), blank=True)
    treatment_plan = models.TextField(_("treatment plan and orders"), blank=True)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="episodes",
        verbose_name=_("department"), help_text=_("Follows the principal ICD-10 code's mapping."))
    attending_physician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="attending_episodes", verbose_name=_("attending physician"))
    physician_override_reason = models.TextField(
        _("reason for a physician outside the department"), blank=True)
    admission_type = models.CharField(_("admission"), max_length=12, choices=AdmissionType.choices, blank=True)

    # Coding
    coded_at = models.DateTimeField(_("coded"), null=True, blank=True)
    coded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("coded by"))
    admitted_at = models.DateTimeField(_("admitted"), null=True, blank=True)

    # Discharge
    disposition = models.CharField(_("disposition"), max_length=12, choices=Disposition.choices, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=DischargeResult.choices, blank=True)
    discharged_at = models.DateTimeField(_("discharged"), null=True, blank=True)
    discharge_note = models.TextField(_("discharge summary"), blank=True)

    # The patient while the episode is open, NULL once it is discharged or cancelled: its plain unique index
    # allows one open episode per patient on every engine. The database computes it, so it follows every
    # write of status or patient (a patient merge included) and can never disagree with them.
    open_patient = models.GeneratedField(
        expression=Case(When(status__in=OPEN_STATUSES, then=F("patient")), default=None),
        output_field=models.BigIntegerField(null=True), db_persist=True, unique=True)

    history = HistoricalRecords(excluded_fields=["open_patient"])

    class Meta:
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "status"], name="episode_patient_status"),
            models.Index(fields=["status", "registered_at"], name="episode_status_registered"),
            models.Index(fields=["attending_physician", "status"], name="episode_physician_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=EpisodeStatus.values), name="episode_status_valid"),
            models.CheckConstraint(condition=Q(intended_admission_type__in=IntendedAdmission.values),
                                   name="episode_intended_admission_valid"),
            models.CheckConstraint(condition=choice_or_blank("admission_type", AdmissionType),
                                   name="episode_admission_type_valid"),
            models.CheckConstraint(condition=choice_or_blank("disposition", Disposition),
                                   name="episode_disposition_valid"),
            models.CheckConstraint(condition=choice_or_blank("result", DischargeResult),
                                   name="episode_result_valid"),
            models.CheckConstraint(condition=~Q(case_number="") & ~Q(hospital_case_number=""),
                                   name="episode_numbers_not_empty"),
            models.CheckConstraint(
                condition=~Q(status__in=DECIDED_STATUSES)
                | Q(attending_physician__isnull=False) & ~Q(admission_type=""),
                name="episode_decided_has_physician_and_admission"),
            models.CheckConstraint(condition=~Q(status=EpisodeStatus.ADMITTED) | Q(admission_type="inpatient"),
                                   name="episode_admitted_is_inpatient"),
            models.CheckConstraint(condition=~Q(status=EpisodeStatus.OUTPATIENT) | Q(admission_type="outpatient"),
                                   name="episode_outpatient_is_outpatient"),
            models.CheckConstraint(
                condition=~Q(status=EpisodeStatus.DISCHARGED)
                | Q(discharged_at__isnull=False) & ~Q(disposition="") & ~Q(result=""),
                name="episode_discharge_complete"),
            models.CheckConstraint(condition=Q(discharged_at__isnull=True) | Q(discharged_at__gte=F("registered_at")),
                                   name="episode_discharged_after_registered"),
        ]

    def __str__(self) -> str:
        return self.case_number

    def get_absolute_url(self) -> str:
        return reverse("clinical:episode_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def length_of_stay_days(self) -> int | None:
        """Whole days from admission to discharge (or to now while admitted)."""
        from hayat.core import clock

        if self.admitted_at is None:
            return None
        return max(0, ((self.discharged_at or clock.now()) - self.admitted_at).days)


class EpisodeStatusChange(StatusChange):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="status_changes",
                                verbose_name=_("episode"))

    class Meta(StatusChange.Meta):
        verbose_name = _("episode status change")
        verbose_name_plural = _("episode status changes")
        constraints = [
            models.CheckConstraint(condition=Q(to_status__in=EpisodeStatus.values), name="episode_change_to_valid"),
            models.CheckConstraint(condition=Q(from_status="") | Q(from_status__in=EpisodeStatus.values),
                                   name="episode_change_from_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return EpisodeStatus(self.to_status).label


class Vitals(models.Model):
    """One set of vital signs taken at one moment; rows are only added, never edited."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="vitals",
                                verbose_name=_("episode"))
    taken_at = models.DateTimeField(_("taken"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    systolic = models.PositiveSmallIntegerField(_("BP systolic (mmHg)"), null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(_("BP diastolic (mmHg)"), null=True, blank=True)
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1, null=True, blank=True)
    pulse = models.PositiveSmallIntegerField(_("pulse (/min)"), null=True, blank=True)
    respiration = models.PositiveSmallIntegerField(_("respiration (/min)"), null=True, blank=True)
    oxygen_saturation = models.PositiveSmallIntegerField(_("SpO₂ (%)"), null=True, blank=True)
    height_cm = models.DecimalField(_("height (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=4, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("vital signs")
        verbose_name_plural = _("vital signs")
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["episode", "taken_at"], name="vitals_episode_taken")]
        constraints = [
            # The plausible ranges of hayat.clinical.vitals, as the last line of defence.
            models.CheckConstraint(condition=Q(systolic__isnull=True) | Q(systolic__gte=40, systolic__lte=300),
                                   name="vitals_systolic_range"),
            models.CheckConstraint(condition=Q(diastolic__isnull=True) | Q(diastolic__gte=20, diastolic__lte=200),
                                   name="vitals_diastolic_range"),
            models.CheckConstraint(
                condition=Q(systolic__isnull=True) | Q(diastolic__isnull=True) | Q(systolic__gt=F("diastolic")),
                name="vitals_systolic_above_diastolic"),
            models.CheckConstraint(condition=Q(temperature__isnull=True) | Q(temperature__gte=25, temperature__lte=45),
                                   name="vitals_temperature_range"),
            models.CheckConstraint(condition=Q(pulse__isnull=True) | Q(pulse__gte=20, pulse__lte=300),
                                   name="vitals_pulse_range"),
            models.CheckConstraint(condition=Q(respiration__isnull=True) | Q(respiration__gte=4, respiration__lte=80),
                                   name="vitals_respiration_range"),
            models.CheckConstraint(
                condition=Q(oxygen_saturation__isnull=True) | Q(oxygen_saturation__gte=50, oxygen_saturation__lte=100),
                name="vitals_oxygen_saturation_range"),
            models.CheckConstraint(condition=Q(height_cm__isnull=True) | Q(height_cm__gte=20, height_cm__lte=260),
                                   name="vitals_height_range"),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__gte=Decimal("0.3"), weight_kg__lte=400),
                name="vitals_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.episode_id} {self.taken_at:%Y-%m-%d %H:%M}"

    @property
    def blood_pressure(self) -> str:
        if self.systolic is None and self.diastolic is None:
            return ""
        return f"{self.systolic or '–'}/{self.diastolic or '–'}"

    @property
    def bmi(self):
        """Body-mass index, one decimal, when height and weight are both known."""
        if not self.height_cm or not self.weight_kg:
            return None
        metres = Decimal(self.height_cm) / 100
        return (Decimal(self.weight_kg) / (metres * metres)).quantize(Decimal("0.1"))


class DiagnosisRank(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    SECONDARY = "secondary", _("Secondary")


class DiagnosisAction(models.TextChoices):
    ADDED = "added", _("Added")
    REPLACED = "replaced", _("Replaced")
    REMOVED = "removed", _("Removed")


class EpisodeDiagnosis(models.Model):
    """One entry of an episode's ICD-10 coding. Never edited: a change is a new row that `amends` the old
    one (replaced by another code, or removed), so the chart shows what was coded when, by whom and why."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="diagnoses",
                                verbose_name=_("episode"))
    icd_code = models.ForeignKey("clinical.IcdCode", on_delete=models.PROTECT, related_name="diagnoses",
                                 verbose_name=_("ICD-10 code"))
    rank = models.CharField(_("rank"), max_length=10, choices=DiagnosisRank.choices)
    action = models.CharField(_("change"), max_length=10, choices=DiagnosisAction.choices,
                              default=DiagnosisAction.ADDED)
    amends = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="amended_by", verbose_name=_("amends"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    entered_at = models.DateTimeField(_("entered"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("entered by"))

    class Meta:
        verbose_name = _("episode diagnosis")
        verbose_name_plural = _("episode diagnoses")
        ordering = ["entered_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(rank__in=DiagnosisRank.values), name="diagnosis_rank_valid"),
            models.CheckConstraint(condition=Q(action__in=DiagnosisAction.values), name="diagnosis_action_valid"),
            models.CheckConstraint(condition=Q(action=DiagnosisAction.ADDED, amends__isnull=True)
                                   | ~Q(action=DiagnosisAction.ADDED) & Q(amends__isnull=False),
                                   name="diagnosis_amendment_points_back"),
        ]

    def __str__(self) -> str:
        return f"{self.icd_code_id} ({self.rank})"
