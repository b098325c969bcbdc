"""Bills of stays and episodes, their items, the history of their status, and the money that moved.

Money rules held by the database on every engine: amounts are Decimal with two places, a bill's
balance is its items total less its paid total, totals and payments are never negative, a bill belongs
to exactly one booking or one episode, and a derived item (a guest line's tariff, a bed assignment's
time) exists once per bill through its `source_key`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hayat.core.charging import ChargeUnit
from hayat.core.models import Stamped, StatusChange
from hayat.core.money import MAX_DIGITS, money_field

ZERO = Decimal("0")
HALF_CENT = Decimal("0.005")


class BillStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CALCULATED = "calculated", _("Calculated")
    INVOICED = "invoiced", _("Invoiced")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")


def signed_money(verbose_name: str, **kwargs) -> models.DecimalField:
    """An amount that may be negative (a balance in the patient's favour, a correcting item)."""
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(verbose_name, max_digits=MAX_DIGITS, decimal_places=2, **kwargs)


class OrganisationKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    INSURER = "insurer", _("Insurer")
    OTHER = "other", _("Other")


class Organisation(Stamped):
    """A payer that is not a patient: an employer or an insurer that pays some guests' or a patient's bill."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=OrganisationKind.choices,
                            default=OrganisationKind.EMPLOYER)
    tax_number = models.CharField(_("tax number"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True,
                               help_text=_("A person, a phone or an e-mail for the invoices."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("paying organisation")
        verbose_name_plural = _("paying organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="organisation_has_name"),
            models.CheckConstraint(condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Bill(Stamped):
    """What one payer owes for a booking or an episode.

    An episode has one bill. A booking has one bill per payer (docs/adr/0012): `payer_key` names it ("all" for
    the one payer of every guest, "guest:<patient id>" for a guest paying their own, "org:<organisation id>" for
    an organisation), unique per booking. The bill is made out to `patient`, or to `organisation` when one pays.
    """

    number = models.CharField(_("bill number"), max_length=20, unique=True, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="bills",
                                verbose_name=_("patient"))
    booking = models.ForeignKey("stays.Booking", on_delete=models.PROTECT, related_name="bills", null=True,
                                blank=True, verbose_name=_("booking"))
    payer_key = models.CharField(max_length=30, null=True, blank=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bills", null=True,
                                     blank=True, editable=False, verbose_name=_("paid by"))
    episode = models.OneToOneField("clinical.Episode", on_delete=models.PROTECT, related_name="bill", null=True,
                                   blank=True, verbose_name=_("episode"))
    status = models.CharField(_("status"), max_length=20, choices=BillStatus.choices, default=BillStatus.PENDING,
                              editable=False)
    items_total = money_field(_("total"), editable=False)
    paid_total = money_field(_("paid"), editable=False)
    balance = signed_money(_("balance due"), editable=False)
    # On the hospital clock (hayat.core.clock), like the bill's history; created_at is the server's own time.
    opened_at = models.DateTimeField(_("opened"), editable=False)

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["status", "opened_at"], name="bill_status_opened"),
            models.Index(fields=["patient", "opened_at"], name="bill_patient_opened"),
            # the bill list and /api/bills/ read the newest first and stop after a page
            models.Index(fields=["opened_at", "id"], name="bill_opened"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(booking__isnull=False, episode__isnull=True)
                | Q(booking__isnull=True, episode__isnull=False),
                name="bill_for_one_booking_or_episode",
            ),
            models.CheckConstraint(condition=Q(status__in=BillStatus.values), name="bill_status_valid"),
            models.CheckConstraint(condition=Q(items_total__gte=0), name="bill_items_total_not_negative"),
            models.CheckConstraint(condition=Q(paid_total__gte=0), name="bill_paid_total_not_negative"),
            # Half a cent either way: SQLite stores decimals as binary floats, so equality could fail there.
            models.CheckConstraint(condition=Q(balance__gt=F("items_total") - F("paid_total") - HALF_CENT)
                                   & Q(balance__lt=F("items_total") - F("paid_total") + HALF_CENT),
                                   name="bill_balance_is_total_less_paid"),
            models.CheckConstraint(condition=~Q(number=""), name="bill_number_not_empty"),
            models.UniqueConstraint(fields=["booking", "payer_key"], name="bill_once_per_booking_payer"),
            models.CheckConstraint(condition=Q(booking__isnull=True, payer_key__isnull=True)
                                   | Q(booking__isnull=False, payer_key__isnull=False),
                                   name="bill_of_booking_names_payer"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("billing:bill_detail", kwargs={"pk": self.pk})

    @property
    def source(self):
        """The booking or the episode this bill is for."""
        return self.booking if self.booking_id else self.episode

    @property
    def is_void(self) -> bool:
        return self.status == BillStatus.VOID

    @property
    def payer_name(self) -> str:
        """Who the bill is made out to: the organisation that pays it, or its patient."""
        return self.organisation.name if self.organisation_id else self.patient.full_name


class BillGuest(models.Model):
    """Which of its booking's bills a guest's lines (tariff, sessions, services) are charged to."""

    booking = models.ForeignKey("stays.Booking", on_delete=models.CASCADE, related_name="bill_guests",
                                verbose_name=_("booking"))
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("guest"))
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="guests", verbose_name=_("bill"))

    class Meta:
        verbose_name = _("guest's bill")
        verbose_name_plural = _("guests' bills")
        constraints = [models.UniqueConstraint(fields=["booking", "patient"], name="bill_guest_once_per_booking")]

    def __str__(self) -> str:
        return f"{self.patient_id} → {self.bill_id}"


class BillStatusChange(StatusChange):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("bill"))

    class Meta(StatusChange.Meta):
        verbose_name = _("bill status change")
        verbose_name_plural = _("bill status changes")
        indexes = [models.Index(fields=["bill", "at"], name="bill_status_change_at")]
        constraints = [
            models.CheckConstraint(condition=Q(to_status__in=BillStatus.values), name="bill_change_to_status_valid"),
            models.CheckConstraint(condition=Q(from_status="") | Q(from_status__in=BillStatus.values),
                                   name="bill_change_from_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"

    @property
    def from_label(self) -> str:
        return BillStatus(self.from_status).label if self.from_status else ""

    @property
    def to_label(self) -> str:
        return BillStatus(self.to_status).label


class ItemKind(models.TextChoices):
    TARIFF = "tariff", _("Tariff")
    SERVICE = "service", _("Service")
    EXCEEDED_SESSION = "exceeded_session", _("Sessions beyond the tariff")
    BED_TIME = "bed_time", _("Bed time")
    TIMED_SERVICE = "timed_service", _("Services charged by time")
    MEDICATION = "medication", _("Medication")
    LAB_TEST = "lab_test", _("Lab test")
    MANUAL = "manual", _("Manual item")


# Written by the system from facts (guest lines, sessions, bed assignments), never typed in.
DERIVED_KINDS = frozenset({ItemKind.TARIFF, ItemKind.EXCEEDED_SESSION, ItemKind.BED_TIME, ItemKind.TIMED_SERVICE})
# Lines charged by time: their quantity grows until the bed or the service is left (hayat.core.charging).
TIMED_KINDS = frozenset({ItemKind.BED_TIME, ItemKind.TIMED_SERVICE})
# Added by a person at the desk.
ADDED_KINDS = (ItemKind.SERVICE, ItemKind.MEDICATION, ItemKind.LAB_TEST, ItemKind.MANUAL)


class BillItem(models.Model):
    """One line of a bill: quantity × unit price = amount (rounded once, by round_money).

    Derived lines carry a `source_key` ("stay-line:<id>", "bed:<assignment id>", ...) unique per bill, so
    writing them again updates the same line. A bed-time line's quantity grows until its assignment ends;
    `is_final` then says the last figure is written. Once a bill is invoiced no line is removed or edited
    by hand: a correction is a manual line with the opposite amount that points at the line it corrects.
    """

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="items", verbose_name=_("bill"))
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = signed_money(_("unit price"))
    amount = signed_money(_("amount"), editable=False)
    reason = models.TextField(_("reason"), blank=True)
    source_key = models.CharField(max_length=80, null=True, blank=True, editable=False)
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+", null=True,
                                blank=True, verbose_name=_("service"))
    bed_assignment = models.ForeignKey("clinical.BedAssignment", on_delete=models.PROTECT,
                                       related_name="bill_items", null=True, blank=True,
                                       verbose_name=_("bed assignment"))
    timed_use = models.ForeignKey("clinical.TimedUse", on_delete=models.PROTECT, related_name="bill_items", null=True,
                                  blank=True, verbose_name=_("service charged by time"))
    unit = models.CharField(_("charged per"), max_length=10, choices=ChargeUnit.choices, blank=True, editable=False,
                            help_text=_("For a line charged by time: the unit its quantity counts."))
    is_final = models.BooleanField(_("final"), default=True)
    corrects = models.OneToOneField("self", on_delete=models.PROTECT, related_name="correction", null=True,
                                    blank=True, verbose_name=_("corrects"))
    added_at = models.DateTimeField(_("added"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                 blank=True, verbose_name=_("added by"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("bill item")
        verbose_name_plural = _("bill items")
        ordering = ["bill", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "source_key"], name="bill_item_source_once_per_bill"),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="bill_item_kind_valid"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="bill_item_quantity_not_negative"),
            models.CheckConstraint(condition=Q(kind=ItemKind.MANUAL) | Q(unit_price__gte=0),
                                   name="bill_item_only_manual_may_be_negative"),
            models.CheckConstraint(condition=~Q(kind=ItemKind.MANUAL) | ~Q(reason=""),
                                   name="bill_item_manual_has_reason"),
            models.CheckConstraint(condition=Q(corrects__isnull=True) | Q(kind=ItemKind.MANUAL),
                                   name="bill_item_correction_is_manual"),
            models.CheckConstraint(condition=~Q(description=""), name="bill_item_has_description"),
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.quantity} × {self.unit_price}"

    @property
    def is_derived(self) -> bool:
        return self.kind in DERIVED_KINDS


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    DEPOSIT = "deposit", _("Deposit")
    REFUND = "refund", _("Refund")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    TRANSFER = "transfer", _("Bank transfer")


class Payment(models.Model):
    """Money that changed hands at the cash desk, with its receipt number.

    A payment settles a bill; a deposit goes to the patient's deposit, to be applied to bills later; a
    refund gives money back, from a bill or from the deposit, and exists only through an approved
    refund request. Amounts are always positive: the kind says which way the money went.
    """

    number = models.CharField(_("receipt number"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=PaymentKind.choices)
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.CASH)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="payments",
                                verbose_name=_("patient"))
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments", null=True, blank=True,
                             verbose_name=_("bill"))
    amount = money_field(_("amount"))
    balance_after = signed_money(_("balance after"), null=True, blank=True, editable=False,
                                 help_text=_("The bill's balance, or the deposit left, right after this."))
    booking = models.ForeignKey("stays.Booking", on_delete=models.PROTECT, related_name="payments", null=True,
                                blank=True, verbose_name=_("booking"),
                                help_text=_("The booking a deposit was taken for, or a refund of it given back."))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("teller"))
    at = models.DateTimeField(_("when"), db_index=True)
    cash_day = models.DateField(_("cash day"), editable=False,
                                help_text=_("The teller's day this money counts in: the day it changed hands, or the "
                                            "next open day when that day was already closed."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["received_by", "at"], name="payment_teller_at"),
                   models.Index(fields=["received_by", "cash_day"], name="payment_teller_cash_day")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(kind__in=PaymentKind.values), name="payment_kind_valid"),
            models.CheckConstraint(condition=Q(method__in=PaymentMethod.values), name="payment_method_valid"),
            models.CheckConstraint(
                condition=Q(kind=PaymentKind.PAYMENT, bill__isnull=False)
                | Q(kind=PaymentKind.DEPOSIT, bill__isnull=True) | Q(kind=PaymentKind.REFUND),
                name="payment_bill_matches_kind",
            ),
            models.CheckConstraint(condition=Q(booking__isnull=True) | ~Q(kind=PaymentKind.PAYMENT),
                                   name="payment_booking_only_for_deposits"),
            models.CheckConstraint(condition=~Q(number=""), name="payment_number_not_empty"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_refund(self) -> bool:
        return self.kind == PaymentKind.REFUND


class DepositApplication(models.Model):
    """Part of a patient's deposit used to pay a bill: no cash moves, the bill's paid total grows."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="deposit_applications",
                                verbose_name=_("patient"))
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="deposit_applications",
                             verbose_name=_("bill"))
    booking = models.ForeignKey("stays.Booking", on_delete=models.PROTECT, related_name="deposit_applications",
                                null=True, blank=True, verbose_name=_("booking"),
                                help_text=_("Set when the deposit applied was taken for this booking."))
    amount = money_field(_("amount"))
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("by"))

    class Meta:
        verbose_name = _("deposit applied to a bill")
        verbose_name_plural = _("deposits applied to bills")
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_application_positive")]

    def __str__(self) -> str:
        return f"{self.bill_id}: {self.amount}"


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class RefundRequest(models.Model):
    """A teller asks to give money back (from a bill's payments or from the deposit); an Admin decides.

    Approval writes the refund payment in the same transaction, so an approved request always has one.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="refund_requests",
                                verbose_name=_("patient"))
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="refund_requests", null=True,
                             blank=True, verbose_name=_("bill"),
                             help_text=_("Empty when the refund comes from the patient's deposit."))
    booking = models.ForeignKey("stays.Booking", on_delete=models.PROTECT, related_name="refund_requests", null=True,
                                blank=True, verbose_name=_("booking"),
                                help_text=_("The cancelled booking this refund gives money back for."))
    amount = money_field(_("amount"))
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.CASH)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=RefundStatus.choices,
                              default=RefundStatus.REQUESTED, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested"), db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="refund_request", null=True,
                                   blank=True, editable=False, verbose_name=_("refund payment"))

    class Meta:
        verbose_name = _("refund request")
        verbose_name_plural = _("refund requests")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="refund_status_requested")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=RefundStatus.values), name="refund_status_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="refund_has_reason"),
            models.CheckConstraint(
                condition=Q(status=RefundStatus.APPROVED, payment__isnull=False)
                | (~Q(status=RefundStatus.APPROVED) & Q(payment__isnull=True)),
                name="refund_approved_has_payment",
            ),
            models.CheckConstraint(
                condition=Q(status=RefundStatus.REQUESTED, decided_at__isnull=True)
                | (~Q(status=RefundStatus.REQUESTED) & Q(decided_at__isnull=False)),
                name="refund_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id}: {self.amount} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == RefundStatus.REQUESTED


class DayClose(models.Model):
    """A teller's closed cash day (Z-report): the totals as they stood, the cash counted, the difference.

    Once a day is closed no money is added to it: what a teller takes later counts in their next day.
    """

    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("teller"))
    day = models.DateField(_("day"))
    payments = money_field(_("payments"))
    deposits = money_field(_("deposits"))
    refunds = money_field(_("refunds paid"))
    cash_in = money_field(_("cash in"))
    card_in = signed_money(_("card"))
    transfer_in = signed_money(_("bank transfer"))
    expected_cash = signed_money(_("expected cash"))
    counted_cash = money_field(_("counted cash"))
    difference = signed_money(_("difference"))
    note = models.TextField(_("note"), blank=True)
    receipts = models.PositiveIntegerField(_("receipts"), default=0)
    closed_at = models.DateTimeField(_("closed"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("closed by"))

    class Meta:
        verbose_name = _("closed cash day")
        verbose_name_plural = _("closed cash days")
        ordering = ["-day", "teller_id"]
        constraints = [
            models.UniqueConstraint(fields=["teller", "day"], name="day_close_once_per_teller_and_day"),
            models.CheckConstraint(condition=Q(difference__gt=F("counted_cash") - F("expected_cash") - HALF_CENT)
                                   & Q(difference__lt=F("counted_cash") - F("expected_cash") + HALF_CENT),
                                   name="day_close_difference_is_counted_less_expected"),
            models.CheckConstraint(condition=Q(difference=0) | ~Q(note=""), name="day_close_difference_has_note"),
            models.CheckConstraint(condition=Q(counted_cash__gte=0), name="day_close_counted_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.teller_id} {self.day}"

    def get_absolute_url(self) -> str:
        return reverse("billing:day_close_detail", kwargs={"pk": self.pk})
