"""Treatment rooms (cabinets), therapists, their hours, the hospital's closed hours, prescriptions of a guest's
stay and the sessions planned from them (docs/adr/0016)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hayat.core.models import Stamped

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]
MOST_CAPACITY = 100
MOST_BUFFER = 120


class Cabinet(Stamped):
    """A treatment room: how many guests it takes at once (a pool 10, a massage room 1), the services given in it
    and the minutes it needs between two sessions (cleaning, changing)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MOST_CAPACITY)],
        help_text=_("Guests treated at the same time."))
    buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer (minutes)"), default=0, validators=[MaxValueValidator(MOST_BUFFER)],
        help_text=_("Minutes kept free after each session."))
    services = models.ManyToManyField("catalog.Service", related_name="+", blank=True, verbose_name=_("services"))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[services])

    class Meta:
        verbose_name = _("treatment room")
        verbose_name_plural = _("treatment rooms")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1) & Q(capacity__lte=MOST_CAPACITY),
                                   name="cabinet_capacity_range"),
            models.CheckConstraint(condition=Q(buffer_minutes__lte=MOST_BUFFER), name="cabinet_buffer_range"),
        ]

    def __str__(self) -> str:
        return self.name


class Therapist(Stamped):
    """A member of staff who gives procedures, and which ones."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="therapist",
                                verbose_name=_("staff member"))
    services = models.ManyToManyField("catalog.Service", related_name="+", blank=True, verbose_name=_("services"))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[services])

    class Meta:
        verbose_name = _("therapist")
        verbose_name_plural = _("therapists")
        ordering = ["user__full_name", "id"]

    def __str__(self) -> str:
        return self.user.full_name or self.user.user_id


class HoursKind(models.TextChoices):
    WORK = "work", _("working hours")
    BREAK = "break", _("break")


class Hours(models.Model):
    """Working hours or a break of a cabinet or a therapist on one weekday."""

    cabinet = models.ForeignKey(Cabinet, on_delete=models.CASCADE, related_name="hours", null=True, blank=True,
                                verbose_name=_("treatment room"))
    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="hours", null=True, blank=True,
                                  verbose_name=_("therapist"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    kind = models.CharField(_("kind"), max_length=5, choices=HoursKind.choices, default=HoursKind.WORK)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("hours")
        verbose_name_plural = _("hours")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(cabinet__isnull=True) ^ Q(therapist__isnull=True),
                                   name="hours_of_one_resource"),
            models.CheckConstraint(condition=Q(starts__lt=models.F("ends")), name="hours_start_before_end"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class ClosedHours(models.Model):
    """Hours of every day when no procedure is given in the whole hospital: quiet hours, meal times."""

    name = models.CharField(_("name"), max_length=80)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("closed hours")
        verbose_name_plural = _("closed hours")
        ordering = ["starts"]
        constraints = [models.CheckConstraint(condition=Q(starts__lt=models.F("ends")),
                                              name="closed_hours_start_before_end")]

    def __str__(self) -> str:
        return f"{self.name} {self.starts:%H:%M}–{self.ends:%H:%M}"


class TreatmentRules(models.Model):
    """The hospital's one row of treatment rules, kept by Admin."""

    no_show_uses_session = models.BooleanField(
        _("a missed session counts as used"), default=False,
        help_text=_("When set, a guest who does not come uses up one of the included sessions."))

    class Meta:
        verbose_name = _("treatment rules")
        verbose_name_plural = _("treatment rules")

    def __str__(self) -> str:
        return str(_("Treatment rules"))

    @classmethod
    def current(cls) -> TreatmentRules:
        return cls.objects.order_by("pk").first() or cls()


class Frequency(models.TextChoices):
    DAILY = "daily", _("daily")
    EVERY_OTHER_DAY = "other", _("every other day")
    WEEKDAYS = "weekdays", _("on given weekdays")


class DayPart(models.TextChoices):
    ANY = "any", _("any time")
    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")
    EVENING = "evening", _("evening")


class Prescription(Stamped):
    """A procedure the doctor prescribes to a guest of a stay: how many sessions, how often, at what time of day."""

    booking = models.ForeignKey("stays.Booking", on_delete=models.PROTECT, related_name="prescriptions",
                                verbose_name=_("booking"))
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="prescriptions",
                                verbose_name=_("guest"))
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("procedure"))
    count = models.PositiveSmallIntegerField(_("sessions"), validators=[MinValueValidator(1), MaxValueValidator(99)])
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    weekdays = models.CharField(_("weekdays"), max_length=7, blank=True,
                                help_text=_("For given weekdays: their numbers, Monday 0 to Sunday 6."))
    day_part = models.CharField(_("preferred time"), max_length=9, choices=DayPart.choices, default=DayPart.ANY)
    note = models.CharField(_("note"), max_length=300, blank=True)
    from_tariff = models.BooleanField(_("proposed from the tariff"), default=False,
                                      help_text=_("Follows the guest's tariff when it changes."))
    prescribed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("prescribed by"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prescription")
        verbose_name_plural = _("prescriptions")
        ordering = ["booking", "patient", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1) & Q(count__lte=99), name="prescription_count_range"),
        ]

    def __str__(self) -> str:
        return f"{self.service} × {self.count}"

    @property
    def weekday_numbers(self) -> list[int]:
        return sorted({int(digit) for digit in self.weekdays if digit.isdigit() and int(digit) <= 6})


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("done")
    NO_SHOW = "no_show", _("did not come")
    CANCELLED = "cancelled", _("cancelled")


# Sessions that hold their place in the timetable.
HOLDING = (SessionStatus.PLANNED, SessionStatus.DONE, SessionStatus.NO_SHOW)


class PlannedSession(models.Model):
    """One session of a prescription, placed in a cabinet (and with a therapist) on a day and time."""

    prescription = models.ForeignKey(Prescription, on_delete=models.PROTECT, related_name="sessions",
                                     verbose_name=_("prescription"))
    booking = models.ForeignKey("stays.Booking", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("booking"))
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("guest"))
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("procedure"))
    cabinet = models.ForeignKey(Cabinet, on_delete=models.PROTECT, related_name="sessions",
                                verbose_name=_("treatment room"))
    therapist = models.ForeignKey(Therapist, on_delete=models.PROTECT, related_name="sessions", null=True,
                                  blank=True, verbose_name=_("therapist"))
    day = models.DateField(_("day"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    held_until = models.TimeField(_("room free from"), help_text=_("The end and the room's buffer."))
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices,
                              default=SessionStatus.PLANNED)
    usage = models.OneToOneField("stays.ServiceUsage", on_delete=models.PROTECT, related_name="+", null=True,
                                 blank=True, verbose_name=_("recorded session"))
    marked_at = models.DateTimeField(_("marked"), null=True, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                  blank=True, verbose_name=_("marked by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planned session")
        verbose_name_plural = _("planned sessions")
        ordering = ["day", "starts", "id"]
        indexes = [
            models.Index(fields=["cabinet", "day"], name="session_cabinet_day"),
            models.Index(fields=["therapist", "day"], name="session_therapist_day"),
            models.Index(fields=["booking", "day"], name="session_booking_day"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=models.F("ends")) & Q(ends__lte=models.F("held_until")),
                                   name="session_times_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.day} {self.starts:%H:%M}"

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.day, self.starts))
