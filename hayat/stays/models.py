"""Bookings of the sanatorium: the booking, its guest lines (who sleeps where, on which tariff, for which
period), the history of its status, and the booking wizard's server-side drafts.

A guest line covers one period. A guest who changes room or tariff in the middle of a stay gets a new
line from that day and the old one is closed, so prices and occupancy stay exact per period.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hayat.clinical.vitals import MEASURES
from hayat.core import clock
from hayat.core.models import Stamped, StatusChange
from hayat.core.money import money_field, round_money


class BookingStatus(models.TextChoices):
    RESERVATION = "reservation", _("Reservation")
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Checked in")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DISCHARGED = "discharged", _("Discharged")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")
    EXPIRED = "expired", _("Expired")


# Bookings whose guests occupy their rooms, beds and dates.
HOLDING = frozenset({
    BookingStatus.RESERVATION, BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN,
    BookingStatus.IN_PROGRESS, BookingStatus.COMPLETED, BookingStatus.DISCHARGED,
})
# Bookings that gave their places back.
RELEASED = frozenset({BookingStatus.CANCELLED, BookingStatus.NO_SHOW, BookingStatus.EXPIRED})
# Bookings that are over: no more changes to dates or guests.
FINISHED = frozenset({BookingStatus.COMPLETED, BookingStatus.DISCHARGED, *RELEASED})
# Guests are in the house: the start date is a fact and cannot move.
IN_HOUSE = frozenset({BookingStatus.CHECKED_IN, BookingStatus.IN_PROGRESS})
# Not yet arrived: what reception watches as upcoming check-ins.
EXPECTED = frozenset({BookingStatus.RESERVATION, BookingStatus.PENDING, BookingStatus.CONFIRMED})
# The guests came: in the house now or gone after their stay.
STAYED = frozenset({*IN_HOUSE, BookingStatus.COMPLETED, BookingStatus.DISCHARGED})


class BookingSource(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    WEBSITE = "website", _("Website")
    REFERRAL = "referral", _("Doctor's referral")
    AGENCY = "agency", _("Travel agency")
    CORPORATE = "corporate", _("Company contract")
    INSURANCE = "insurance", _("Insurance")
    OTHER = "other", _("Other")


class Booking(Stamped):
    number = models.CharField(_("booking number"), max_length=20, unique=True, editable=False)
    start_date = models.DateField(_("arrival"))
    end_date = models.DateField(_("departure"), help_text=_("The day the guests leave; it is not a night."))
    status = models.CharField(_("status"), max_length=20, choices=BookingStatus.choices,
                              default=BookingStatus.PENDING, editable=False)
    source = models.CharField(_("source"), max_length=20, choices=BookingSource.choices,
                              default=BookingSource.WALK_IN)
    referral = models.CharField(_("referred by"), max_length=200, blank=True,
                                help_text=_("Referring doctor, clinic, agency or company."))
    notes = models.TextField(_("notes"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    refund_amount = money_field(_("refund"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    hold_until = models.DateTimeField(_("held until"), null=True, blank=True, db_index=True,
                                      help_text=_("A reservation without a deposit expires then."))
    deposit_recorded_at = models.DateTimeField(_("deposit recorded"), null=True, blank=True)
    deposit_note = models.CharField(_("deposit"), max_length=200, blank=True)
    bill_per_guest = models.BooleanField(
        _("a bill per guest"), default=False, editable=False,
        help_text=_("Each guest pays their own bill; otherwise one payer pays for every guest."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["start_date", "end_date"], name="booking_dates"),
            models.Index(fields=["status", "start_date"], name="booking_status_start"),
            models.Index(fields=["end_date"], name="booking_end"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="booking_ends_after_start"),
            models.CheckConstraint(condition=Q(status__in=BookingStatus.values), name="booking_status_valid"),
            models.CheckConstraint(condition=Q(source__in=BookingSource.values), name="booking_source_valid"),
            models.CheckConstraint(condition=Q(refund_amount__gte=0), name="booking_refund_not_negative"),
            models.CheckConstraint(condition=~Q(number=""), name="booking_number_not_empty"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("stays:booking_detail", kwargs={"pk": self.pk})

    @property
    def nights(self) -> int:
        return (self.end_date - self.start_date).days

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def is_in_house(self) -> bool:
        return self.status in IN_HOUSE

    def current_lines(self) -> list[GuestLine]:
        """The open guest lines, from prefetched `lines` when they were prefetched."""
        return [line for line in self.lines.all() if line.is_open]

    def kept_lines(self) -> list[GuestLine]:
        """Every line not removed from the booking (open and closed periods), for prices and the calendar."""
        return [line for line in self.lines.all() if line.removed_at is None]

    @property
    def guest_count(self) -> int:
        return len({line.patient_id for line in self.current_lines()})

    @property
    def total(self) -> Decimal:
        return round_money(sum((line.total for line in self.kept_lines()), Decimal("0")))


class BookingStatusChange(StatusChange):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="status_changes",
                                verbose_name=_("booking"))

    class Meta(StatusChange.Meta):
        verbose_name = _("booking status change")
        verbose_name_plural = _("booking status changes")
        indexes = [models.Index(fields=["booking", "at"], name="booking_status_change_at")]
        constraints = [
            models.CheckConstraint(condition=Q(to_status__in=BookingStatus.values),
                                   name="booking_change_to_status_valid"),
            models.CheckConstraint(condition=Q(from_status="") | Q(from_status__in=BookingStatus.values),
                                   name="booking_change_from_status_valid"),
        ]


class GuestLine(Stamped):
    """One guest of a booking for one period: patient, room (and bed), tariff, and the agreed price per day.

    `holds_place` says whether the line occupies its room, bed and dates: it is cleared when the line is
    removed or the booking is cancelled or a no-show.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="lines",
                                verbose_name=_("booking"))
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="booking_lines",
                                verbose_name=_("patient"))
    room = models.ForeignKey("facilities.Room", on_delete=models.PROTECT, related_name="booking_lines",
                             verbose_name=_("room"))
    bed = models.ForeignKey("facilities.Bed", on_delete=models.PROTECT, related_name="booking_lines",
                            null=True, blank=True, verbose_name=_("bed"))
    tariff = models.ForeignKey("catalog.Tariff", on_delete=models.PROTECT, related_name="booking_lines",
                               verbose_name=_("tariff"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    price_per_day = money_field(_("price per day"))
    is_open = models.BooleanField(_("current"), default=True)
    holds_place = models.BooleanField(_("holds a place"), default=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["booking", "start_date", "id"]
        indexes = [
            models.Index(fields=["room", "start_date", "end_date"], name="guest_line_room_dates"),
            models.Index(fields=["patient", "start_date"], name="guest_line_patient_start"),
            models.Index(fields=["bed", "start_date"], name="guest_line_bed_start"),
            # "who holds a place in this window" (availability, the calendar's ward rooms): the lines that end after
            # the window starts are the few current and future ones, whatever the years of history behind them
            models.Index(fields=["end_date", "start_date"], name="guest_line_end_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="guest_line_ends_after_start"),
            models.CheckConstraint(condition=Q(price_per_day__gte=0), name="guest_line_price_not_negative"),
            models.CheckConstraint(condition=Q(removed_at__isnull=True) | Q(is_open=False, holds_place=False),
                                   name="guest_line_removed_is_closed"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.patient_id} {self.start_date}–{self.end_date}"

    @property
    def nights(self) -> int:
        return (self.end_date - self.start_date).days

    @property
    def total(self) -> Decimal:
        return round_money(self.price_per_day * self.nights)

    def covers(self, day: date) -> bool:
        return self.start_date <= day < self.end_date


class WizardDraft(models.Model):
    """The booking wizard's state, kept on the server: the browser only ever sends choices, re-checked here.

    `slots` holds one entry per guest: {"room": id, "bed": id or null, "patient": id or null,
    "tariff": id or null}.
    """

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(db_index=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    guest_count = models.PositiveSmallIntegerField(default=1)
    slots = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED)
    source = models.CharField(max_length=20, choices=BookingSource.choices, default=BookingSource.WALK_IN)
    referral = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = _("booking draft")
        verbose_name_plural = _("booking drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return str(self.token)

    def save(self, *args, **kwargs) -> None:
        # Drafts expire by the hospital clock, which tests move; auto_now would follow the wall clock instead.
        self.updated_at = clock.now()
        self.created_at = self.created_at or self.updated_at
        super().save(*args, **kwargs)

    @property
    def nights(self) -> int:
        if self.start_date is None or self.end_date is None:
            return 0
        return (self.end_date - self.start_date).days

    def slot(self, index: int) -> dict:
        slots = list(self.slots or [])
        return slots[index] if index < len(slots) else {}


# --- check-in and illness histories -------------------------------------------------------------------------


class RoomCondition(models.TextChoices):
    READY = "ready", _("Clean and ready")
    REMARKS = "remarks", _("Accepted with remarks")


class CheckIn(models.Model):
    """What the desk confirmed when the guests of a booking arrived. Every confirmation is required."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="check_in",
                                   verbose_name=_("booking"))
    at = models.DateTimeField(_("checked in"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("checked in by"))
    identity_checked = models.BooleanField(_("identity documents checked"))
    rules_explained = models.BooleanField(_("house rules explained"))
    consent_signed = models.BooleanField(_("consent to treatment signed"))
    room_condition = models.CharField(_("room condition"), max_length=10, choices=RoomCondition.choices)
    room_notes = models.TextField(_("remarks on the room"), blank=True)
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("assigned doctor"))
    # The guest's signature under the consent, drawn on the check-in page: a PNG written again by Pillow
    # (hayat.stays.checkin.check_signature), or empty when the consent was signed on paper.
    signature = models.BinaryField(_("guest's signature"), blank=True, default=b"", editable=False)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.CheckConstraint(condition=Q(identity_checked=True, rules_explained=True, consent_signed=True),
                                   name="check_in_confirmations_given"),
            models.CheckConstraint(condition=Q(room_condition__in=RoomCondition.values),
                                   name="check_in_room_condition_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} @ {self.at:%Y-%m-%d %H:%M}"


class IllnessKind(models.TextChoices):
    STATIONARY = "stationary", _("Stationary")
    AMBULATORY = "ambulatory", _("Ambulatory")


class IllnessState(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class IllnessHistory(Stamped):
    """The medical record of one guest's stay: opened at check-in, closed at check-out.

    Arrival vitals and complaints are what the desk noted at check-in; the doctor and nurses care for
    the guest during the stay.
    """

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="illness_histories",
                                verbose_name=_("booking"))
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="illness_histories",
                                verbose_name=_("patient"))
    kind = models.CharField(_("type"), max_length=12, choices=IllnessKind.choices, default=IllnessKind.STATIONARY)
    state = models.CharField(_("state"), max_length=12, choices=IllnessState.choices,
                             default=IllnessState.REGISTRATION, editable=False)
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("doctor"))
    nurses = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True,
                                    verbose_name=_("nurses"))
    complaints = models.TextField(_("complaints on arrival"), blank=True)
    systolic = models.PositiveSmallIntegerField(_("blood pressure, systolic"), null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(_("blood pressure, diastolic"), null=True, blank=True)
    pulse = models.PositiveSmallIntegerField(_("pulse"), null=True, blank=True)
    temperature = models.DecimalField(_("temperature"), max_digits=3, decimal_places=1, null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    sick_leave = models.BooleanField(_("sick leave"), default=False,
                                     help_text=_("The guest is on sick leave from work for the stay."))
    profession = models.CharField(_("profession"), max_length=120, blank=True)
    occupational_hazards = models.TextField(_("occupational hazards"), blank=True)
    tags = models.CharField(_("tags"), max_length=200, blank=True, help_text=_("Words separated by commas."))
    initial_diagnosis = models.ForeignKey("clinical.IcdCode", on_delete=models.PROTECT, related_name="+", null=True,
                                          blank=True, verbose_name=_("initial diagnosis"))
    arrival_diagnosis = models.ForeignKey("clinical.IcdCode", on_delete=models.PROTECT, related_name="+", null=True,
                                          blank=True, verbose_name=_("diagnosis on arrival"))
    final_diagnosis = models.ForeignKey("clinical.IcdCode", on_delete=models.PROTECT, related_name="+", null=True,
                                        blank=True, verbose_name=_("final diagnosis"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(excluded_fields=["nurses"])

    class Meta:
        verbose_name = _("illness history")
        verbose_name_plural = _("illness histories")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"], name="illness_state_created")]
        constraints = [
            models.UniqueConstraint(fields=["booking", "patient"], name="illness_history_once_per_guest"),
            models.CheckConstraint(condition=Q(kind__in=IllnessKind.values), name="illness_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=IllnessState.values), name="illness_state_valid"),
            models.CheckConstraint(condition=~Q(state=IllnessState.CLOSED) | Q(closed_at__isnull=False),
                                   name="illness_closed_has_date"),
            models.CheckConstraint(condition=Q(systolic__isnull=True) | Q(systolic__gte=40, systolic__lte=300),
                                   name="illness_systolic_range"),
            models.CheckConstraint(condition=Q(diastolic__isnull=True) | Q(diastolic__gte=20, diastolic__lte=200),
                                   name="illness_diastolic_range"),
            models.CheckConstraint(condition=Q(pulse__isnull=True) | Q(pulse__gte=20, pulse__lte=250),
                                   name="illness_pulse_range"),
            models.CheckConstraint(condition=Q(temperature__isnull=True)
                                   | Q(temperature__gte=30, temperature__lte=45), name="illness_temperature_range"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("stays:illness_detail", kwargs={"pk": self.pk})


class IllnessStateChange(StatusChange):
    illness_history = models.ForeignKey(IllnessHistory, on_delete=models.CASCADE, related_name="state_changes",
                                        verbose_name=_("illness history"))

    class Meta(StatusChange.Meta):
        verbose_name = _("illness history state change")
        verbose_name_plural = _("illness history state changes")
        constraints = [
            models.CheckConstraint(condition=Q(to_status__in=IllnessState.values),
                                   name="illness_change_to_state_valid"),
            models.CheckConstraint(condition=Q(from_status="") | Q(from_status__in=IllnessState.values),
                                   name="illness_change_from_state_valid"),
        ]

    @property
    def from_label(self) -> str:
        return IllnessState(self.from_status).label if self.from_status else ""

    @property
    def to_label(self) -> str:
        return IllnessState(self.to_status).label


# --- the medical record of a stay: first examination, diary, epicrisis --------------------------------------


# Readings a doctor or nurse notes on the stay; their plausible ranges are the clinical vitals' (one table).
VITAL_FIELDS = ("systolic", "diastolic", "pulse", "temperature", "respiration", "oxygen_saturation", "weight_kg")


def vital_range(name: str) -> models.CheckConstraint:
    spec = MEASURES[name]
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": spec.low, f"{name}__lte": spec.high}),
        name=f"%(class)s_{name}_range")


class VitalReadings(models.Model):
    """The vital signs of a first examination or a diary entry."""

    systolic = models.PositiveSmallIntegerField(_("blood pressure, systolic"), null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(_("blood pressure, diastolic"), null=True, blank=True)
    pulse = models.PositiveSmallIntegerField(_("pulse"), null=True, blank=True)
    temperature = models.DecimalField(_("temperature"), max_digits=3, decimal_places=1, null=True, blank=True)
    respiration = models.PositiveSmallIntegerField(_("respiration"), null=True, blank=True)
    oxygen_saturation = models.PositiveSmallIntegerField(_("oxygen saturation"), null=True, blank=True)
    weight_kg = models.DecimalField(_("weight"), max_digits=4, decimal_places=1, null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [vital_range(name) for name in VITAL_FIELDS]

    def readings(self) -> dict:
        return {name: getattr(self, name) for name in VITAL_FIELDS}


class FirstExamination(VitalReadings):
    """The doctor's first examination of the guest; written once and corrected in place, its history kept."""

    illness_history = models.OneToOneField(IllnessHistory, on_delete=models.PROTECT, related_name="examination",
                                           verbose_name=_("illness history"))
    complaints = models.TextField(_("complaints"))
    anamnesis = models.TextField(_("anamnesis"), blank=True)
    objective_status = models.TextField(_("objective status"), blank=True)
    examined_at = models.DateTimeField(_("examined"))
    examined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("examined by"))
    history = HistoricalRecords()

    class Meta(VitalReadings.Meta):
        verbose_name = _("first examination")
        verbose_name_plural = _("first examinations")

    def __str__(self) -> str:
        return f"{self.illness_history_id}: {self.examined_at:%Y-%m-%d}"


class DiaryEntry(VitalReadings):
    """A note of the doctor or a nurse on one day of the stay. Never edited: a correction is a new entry."""

    illness_history = models.ForeignKey(IllnessHistory, on_delete=models.PROTECT, related_name="diary",
                                        verbose_name=_("illness history"))
    day = models.DateField(_("date"))
    text = models.TextField(_("text"), blank=True)
    written_at = models.DateTimeField(_("written"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    history = HistoricalRecords()

    class Meta(VitalReadings.Meta):
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        ordering = ["-day", "-written_at", "-id"]
        indexes = [models.Index(fields=["illness_history", "day"], name="diary_history_day")]

    def __str__(self) -> str:
        return f"{self.illness_history_id}: {self.day:%Y-%m-%d}"


class Epicrisis(models.Model):
    """The doctor's closing summary of the stay, printed in the check-out summary."""

    illness_history = models.OneToOneField(IllnessHistory, on_delete=models.PROTECT, related_name="epicrisis",
                                           verbose_name=_("illness history"))
    course = models.TextField(_("course of the stay"))
    procedures = models.TextField(_("procedures received"), blank=True)
    results = models.TextField(_("results"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    sick_leave_from = models.DateField(_("sick leave from"), null=True, blank=True)
    sick_leave_to = models.DateField(_("sick leave to"), null=True, blank=True)
    written_at = models.DateTimeField(_("written"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("written by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("epicrisis")
        verbose_name_plural = _("epicrises")
        constraints = [
            models.CheckConstraint(condition=Q(sick_leave_from__isnull=True, sick_leave_to__isnull=True)
                                   | Q(sick_leave_from__isnull=False, sick_leave_to__isnull=False,
                                       sick_leave_from__lte=F("sick_leave_to")),
                                   name="epicrisis_sick_leave_period"),
        ]

    def __str__(self) -> str:
        return f"{self.illness_history_id}: {self.written_at:%Y-%m-%d}"


# --- sessions and services ---------------------------------------------------------------------------------


class SessionAllowance(models.Model):
    """Sessions of a service included for one guest of a booking, copied from the guest's tariff.

    The copy keeps what was sold: a later edit of the tariff in the catalogue does not change a stay.
    A mid-stay change of tariff re-copies it from the new tariff; the sessions already used count on.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="session_allowances",
                                verbose_name=_("booking"))
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("patient"))
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("service"))
    tariff = models.ForeignKey("catalog.Tariff", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("from tariff"))
    included = models.PositiveSmallIntegerField(_("included sessions"))

    class Meta:
        verbose_name = _("included sessions")
        verbose_name_plural = _("included sessions")
        ordering = ["booking", "patient", "service__name"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "patient", "service"], name="session_allowance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id}/{self.patient_id}: {self.service_id} × {self.included}"


class UsageKind(models.TextChoices):
    SESSION = "session", _("Included session")
    EXTRA = "extra", _("Extra service")


class ServiceUsage(models.Model):
    """A service a guest received: a session of the tariff (billable beyond the included number) or an
    extra service (always billable). Facts, never edited: the bill derives its lines from them.

    A usage recorded by mistake is undone by its recorder for a few minutes (`hayat.stays.sessions.undo_usage`):
    it stays as it was, marked reversed (who, when), counts no more, and its bill line gets a correcting line.
    """

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="service_usages",
                                verbose_name=_("booking"))
    line = models.ForeignKey(GuestLine, on_delete=models.PROTECT, related_name="service_usages",
                             verbose_name=_("guest"))
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("patient"))
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("service"))
    kind = models.CharField(_("kind"), max_length=10, choices=UsageKind.choices)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    used_on = models.DateField(_("date"))
    unit_price = money_field(_("unit price"))
    billable = models.BooleanField(_("billable"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    reversed_at = models.DateTimeField(_("undone"), null=True, blank=True)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True, verbose_name=_("undone by"))

    class Meta:
        verbose_name = _("service usage")
        verbose_name_plural = _("service usages")
        ordering = ["used_on", "id"]
        indexes = [models.Index(fields=["booking", "patient", "service"], name="usage_booking_guest_service")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=UsageKind.values), name="usage_kind_valid"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="usage_quantity_positive"),
            models.CheckConstraint(condition=~Q(kind=UsageKind.SESSION) | Q(quantity=1),
                                   name="usage_session_is_one"),
            models.CheckConstraint(condition=~Q(kind=UsageKind.EXTRA) | Q(billable=True),
                                   name="usage_extra_is_billable"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="usage_price_not_negative"),
            models.CheckConstraint(condition=Q(reversed_at__isnull=True, reversed_by__isnull=True)
                                   | Q(reversed_at__isnull=False, reversed_by__isnull=False),
                                   name="usage_reversal_says_who_and_when"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.service_id} × {self.quantity} on {self.used_on}"

    @property
    def amount(self) -> Decimal:
        return round_money(self.unit_price * self.quantity) if self.billable else Decimal("0")

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None


# --- waitlist --------------------------------------------------------------------------------------------------


class WaitlistPriority(models.IntegerChoices):
    HIGH = 1, _("High")
    NORMAL = 2, _("Normal")
    LOW = 3, _("Low")


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    NOTIFIED = "notified", _("Offered a place")
    TO_CALL = "to_call", _("Place free: call the patient")
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


# Entries still waiting for a place or offered one (by message, or to be called by the desk).
OPEN_WAITLIST = frozenset({WaitlistStatus.WAITING, WaitlistStatus.NOTIFIED, WaitlistStatus.TO_CALL})


class WaitlistEntry(Stamped):
    """A patient waiting for a place: dates, room type (any when empty), guests and priority."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="waitlist_entries",
                                verbose_name=_("patient"))
    start_date = models.DateField(_("arrival"))
    end_date = models.DateField(_("departure"))
    room_type = models.ForeignKey("facilities.RoomType", on_delete=models.PROTECT, related_name="+", null=True,
                                  blank=True, verbose_name=_("room type"))
    guests = models.PositiveSmallIntegerField(_("guests"), default=1)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=WaitlistPriority.choices,
                                                default=WaitlistPriority.NORMAL)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=WaitlistStatus.choices,
                              default=WaitlistStatus.WAITING, editable=False)
    notified_at = models.DateTimeField(_("offered"), null=True, blank=True)
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="waitlist_entry", null=True,
                                   blank=True, verbose_name=_("booking"))

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist")
        ordering = ["priority", "created_at", "id"]
        indexes = [models.Index(fields=["status", "start_date"], name="waitlist_status_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="waitlist_ends_after_start"),
            models.CheckConstraint(condition=Q(guests__gte=1, guests__lte=20), name="waitlist_guests_range"),
            models.CheckConstraint(condition=Q(priority__in=WaitlistPriority.values), name="waitlist_priority_valid"),
            models.CheckConstraint(condition=Q(status__in=WaitlistStatus.values), name="waitlist_status_valid"),
            models.CheckConstraint(condition=~Q(status=WaitlistStatus.BOOKED) | Q(booking__isnull=False),
                                   name="waitlist_booked_has_booking"),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id}: {self.start_date}–{self.end_date}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_WAITLIST
