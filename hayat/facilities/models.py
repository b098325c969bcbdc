"""Buildings, wards, room types, rooms, beds and maintenance periods: the places where guests and patients stay.

A room's capacity always equals the number of its active beds: services change both together (see
services.py), so "free places" can be counted by beds everywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hayat.accounts.models import Department
from hayat.core.charging import ChargePolicyFields, policy_constraints
from hayat.core.models import StatusChange
from hayat.core.money import money_field


class Building(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True, help_text=_("Short label, e.g. A or MAIN."))
    name = models.CharField(_("name"), max_length=120, unique=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=~Q(code=""), name="building_code_not_empty")]

    def __str__(self) -> str:
        return self.name


class Amenity(models.Model):
    """Something a room offers (air conditioning, balcony, oxygen outlet), shown on the room and filterable."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    icon = models.CharField(_("icon"), max_length=40, blank=True,
                            help_text=_("A Font Awesome icon name without the fa- prefix, e.g. wifi or tv."))

    class Meta:
        verbose_name = _("amenity")
        verbose_name_plural = _("amenities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """A department's ward in the hospital: its rooms and beds belong to that department."""

    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="wards",
                                   verbose_name=_("department"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="wards",
                                 verbose_name=_("building"))
    floor = models.SmallIntegerField(_("floor"), default=1,
                                     validators=[MinValueValidator(-5), MaxValueValidator(200)])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="ward_name_unique_per_department",
                                    violation_error_message=_("This department already has a ward of that name.")),
            models.CheckConstraint(condition=Q(floor__gte=-5) & Q(floor__lte=200), name="ward_floor_range"),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.name}"


class RoomUse(models.TextChoices):
    SANATORIUM = "sanatorium", _("Sanatorium stays")
    HOSPITAL = "hospital", _("Hospital beds")


class RoomType(ChargePolicyFields):
    """A kind of room; its use says whether its rooms are booked as sanatorium stays or used as hospital beds,
    its charge policy how hospital bed time in its rooms is counted (hayat.core.charging)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    use = models.CharField(_("used for"), max_length=12, choices=RoomUse.choices, default=RoomUse.SANATORIUM,
                           help_text=_("Only rooms for sanatorium stays are offered when booking."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("room type")
        verbose_name_plural = _("room types")
        ordering = ["name"]
        constraints = [*policy_constraints("room_type"),
                       models.CheckConstraint(condition=Q(use__in=RoomUse.values), name="room_type_use_valid")]

    @property
    def is_for_stays(self) -> bool:
        return self.use == RoomUse.SANATORIUM

    def __str__(self) -> str:
        return self.name


# The most places one room may have: what the forms offer and what the database accepts.
MAX_CAPACITY = 50


class Room(models.Model):
    name = models.CharField(_("name"), max_length=40, help_text=_("The number or name on the door, e.g. 204."))
    room_type = models.ForeignKey(RoomType, on_delete=models.PROTECT, related_name="rooms",
                                  verbose_name=_("room type"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="rooms",
                                 verbose_name=_("building"))
    floor = models.SmallIntegerField(_("floor"), default=1,
                                     validators=[MinValueValidator(-5), MaxValueValidator(200)])
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, related_name="rooms", null=True, blank=True, verbose_name=_("ward"),
        help_text=_("Hospital rooms belong to a ward; sanatorium rooms do not."))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1,
                                                validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
                                                help_text=_("Places in the room; always equal to its active beds."))
    amenities = models.ManyToManyField(Amenity, blank=True, related_name="rooms", verbose_name=_("amenities"))
    base_price = money_field(
        _("base price per day"),
        help_text=_("Per guest and day, used when the guest's tariff has no price for this room type."))
    hourly_rate = money_field(_("bed-time rate"), help_text=_("Per bed and charged unit of the room type's policy "
                                                              "(an hour unless set otherwise), for hospital bed time."))
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(m2m_fields=[amenities])

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["building__code", "floor", "name"]
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="room_name_unique_per_building",
                                    violation_error_message=_("This building already has a room of that name.")),
            models.CheckConstraint(condition=Q(capacity__gte=1) & Q(capacity__lte=MAX_CAPACITY),
                                   name="room_capacity_range"),
            models.CheckConstraint(condition=Q(base_price__gte=0), name="room_base_price_not_negative"),
            models.CheckConstraint(condition=Q(hourly_rate__gte=0), name="room_hourly_rate_not_negative"),
            models.CheckConstraint(condition=Q(floor__gte=-5) & Q(floor__lte=200), name="room_floor_range"),
            models.CheckConstraint(condition=~Q(name=""), name="room_name_not_empty"),
        ]
        indexes = [models.Index(fields=["room_type", "is_active"])]

    def __str__(self) -> str:
        # The building's code tells apart two rooms 101 when it is already loaded; never a query for a label.
        if Room._meta.get_field("building").is_cached(self):
            return f"{self.building.code}-{self.name}"
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("facilities:room_detail", args=[self.pk])


class Bed(models.Model):
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="beds", verbose_name=_("room"))
    number = models.CharField(_("number"), max_length=10)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["room_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["room", "number"], name="bed_number_unique_per_room",
                                    violation_error_message=_("This room already has a bed with that number.")),
            models.CheckConstraint(condition=~Q(number=""), name="bed_number_not_empty"),
        ]

    def __str__(self) -> str:
        return _("Bed %(number)s") % {"number": self.number}


class MaintenanceKind(models.TextChoices):
    CLEANING = "cleaning", _("Cleaning")
    DISINFECTION = "disinfection", _("Disinfection")
    REPAIR = "repair", _("Repair")
    RENOVATION = "renovation", _("Renovation")
    INSPECTION = "inspection", _("Inspection")


class MaintenanceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# Only these take a room or bed out of availability.
BLOCKING_STATUSES = (MaintenanceStatus.SCHEDULED, MaintenanceStatus.IN_PROGRESS)


class Maintenance(models.Model):
    """A period when a room (bed empty) or one bed (bed set) cannot be used."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="maintenance", verbose_name=_("room"))
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="maintenance", null=True, blank=True,
                            verbose_name=_("bed"), help_text=_("Leave empty when the whole room is closed."))
    kind = models.CharField(_("type"), max_length=20, choices=MaintenanceKind.choices)
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=20, choices=MaintenanceStatus.choices,
                              default=MaintenanceStatus.SCHEDULED)
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("performed by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("maintenance")
        verbose_name_plural = _("maintenance")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="maintenance_end_after_start",
                                   violation_error_message=_("The end must be after the start.")),
            models.CheckConstraint(condition=Q(status__in=MaintenanceStatus.values), name="maintenance_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=MaintenanceKind.values), name="maintenance_kind_valid"),
        ]
        indexes = [models.Index(fields=["status", "start", "end"]), models.Index(fields=["room", "start"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("facilities:maintenance_edit", args=[self.pk])

    @property
    def is_blocking(self) -> bool:
        return self.status in BLOCKING_STATUSES


class MaintenanceStatusChange(StatusChange):
    maintenance = models.ForeignKey(Maintenance, on_delete=models.CASCADE, related_name="status_changes",
                                    verbose_name=_("maintenance"))

    class Meta(StatusChange.Meta):
        verbose_name = _("maintenance status change")
        verbose_name_plural = _("maintenance status changes")
        constraints = [
            models.CheckConstraint(condition=Q(to_status__in=MaintenanceStatus.values),
                                   name="maintenance_change_status_valid"),
        ]

    @property
    def to_label(self) -> str:
        return MaintenanceStatus(self.to_status).label
