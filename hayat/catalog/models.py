"""Service types, services with prices, tariffs (treatment packages) and the tariff × room-type price grid."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hayat.core.charging import ChargePolicyFields, policy_constraints
from hayat.core.money import money_field
from hayat.facilities.models import RoomType


class ServiceType(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(ChargePolicyFields):
    """A service of the catalogue: charged per session, or by time (oxygen, a ventilator, a monitor, an incubator)
    under its charge policy, its price then being that of one unit."""

    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="services",
                                     verbose_name=_("service type"))
    name = models.CharField(_("name"), max_length=160, unique=True)
    code = models.CharField(_("code"), max_length=20, unique=True, null=True, blank=True,
                            help_text=_("Optional short code used on bills and schedules."))
    description = models.TextField(_("description"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30,
                                                        validators=[MinValueValidator(1), MaxValueValidator(1440)])
    price = money_field(_("price"), help_text=_("Per session, also charged for sessions beyond a tariff's; per unit "
                                                "of time for a service charged by time."))
    charged_by_time = models.BooleanField(_("charged by time"), default=False,
                                          help_text=_("Started and stopped on an inpatient's episode; it accrues like "
                                                      "bed time."))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="service_price_not_negative"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=1440),
                                   name="service_duration_range"),
            *policy_constraints("service"),
        ]

    def __str__(self) -> str:
        return self.name


class SessionBasis(models.TextChoices):
    PACKAGE = "package", _("A fixed package for the course")
    PER_DAY = "per_day", _("Per day of the stay")


# The longest course a tariff may name, in days.
MAX_COURSE_DAYS = 365


class Tariff(models.Model):
    """A treatment package: the services it includes, with sessions per service, and a price per room type.

    Its sessions are either a package for a course of `length_days` (a shorter stay gets a prorated share) or a
    number per day of the stay (hayat.catalog.courses.included_sessions).
    """

    name = models.CharField(_("name"), max_length=160, unique=True)
    code = models.CharField(_("code"), max_length=20, unique=True)
    description = models.TextField(_("description"), blank=True)
    sessions_basis = models.CharField(_("sessions are"), max_length=10, choices=SessionBasis.choices,
                                      default=SessionBasis.PACKAGE)
    length_days = models.PositiveSmallIntegerField(
        _("course length in days"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_COURSE_DAYS)],
        help_text=_("The nights the course is made for; a shorter stay gets a prorated share of a package's "
                    "sessions, and booking it is warned about. Empty: any length."))
    is_active = models.BooleanField(_("active"), default=True)
    services = models.ManyToManyField(Service, through="TariffService", related_name="tariffs",
                                      verbose_name=_("included services"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="tariff_code_not_empty"),
            models.CheckConstraint(condition=Q(sessions_basis__in=SessionBasis.values), name="tariff_basis_valid"),
            models.CheckConstraint(condition=Q(length_days__isnull=True)
                                   | Q(length_days__gte=1, length_days__lte=MAX_COURSE_DAYS),
                                   name="tariff_length_in_range"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:tariff_detail", args=[self.pk])


class TariffService(models.Model):
    """A service included in a tariff, with the number of sessions a guest may use during the course (or each
    day of the stay, by the tariff's basis)."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="included",
                               verbose_name=_("tariff"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="included_in",
                                verbose_name=_("service"))
    sessions = models.PositiveSmallIntegerField(_("sessions"), default=1,
                                                validators=[MinValueValidator(1), MaxValueValidator(500)])

    class Meta:
        verbose_name = _("included service")
        verbose_name_plural = _("included services")
        ordering = ["tariff_id", "service__name"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "service"], name="tariff_service_once",
                                    violation_error_message=_("This service is already included in the tariff.")),
            models.CheckConstraint(condition=Q(sessions__gte=1) & Q(sessions__lte=500), name="tariff_sessions_range"),
        ]

    def __str__(self) -> str:
        return f"{self.service} × {self.sessions}"


class TariffPrice(models.Model):
    """The price per guest and day of a tariff in a room type; without one, the room's base price applies."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="prices", verbose_name=_("tariff"))
    room_type = models.ForeignKey(RoomType, on_delete=models.PROTECT, related_name="tariff_prices",
                                  verbose_name=_("room type"))
    price = money_field(_("price per day"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tariff price")
        verbose_name_plural = _("tariff prices")
        ordering = ["tariff_id", "room_type__name"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "room_type"], name="tariff_price_once_per_room_type",
                                    violation_error_message=_("This tariff already has a price for that room type.")),
            models.CheckConstraint(condition=Q(price__gte=0), name="tariff_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.tariff_id} / {self.room_type_id}: {self.price}"
