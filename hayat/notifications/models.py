"""The outbox of messages to patients, the texts they are written from, and what Admin and each patient chose.

A message is a row written in the transaction of the event that causes it, unique per event and channel, so it
is sent once however often the event is seen; the worker claims due rows and records what the gateway answered
(docs/adr/0017).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    BOOKING_CONFIRMED = "booking_confirmed", _("Booking confirmation")
    ARRIVAL_REMINDER = "arrival_reminder", _("Reminder before arrival")
    RESERVATION_EXPIRING = "reservation_expiring", _("Reservation about to expire")
    PAYMENT_REMINDER = "payment_reminder", _("Payment reminder")
    FOLLOW_UP = "follow_up", _("Follow-up after the stay")
    WAITLIST_OFFER = "waitlist_offer", _("Waitlist offer")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class State(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Message(models.Model):
    """One message to one patient by one channel, from the moment it is queued until it is sent or given up."""

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # What caused it ("booking:12:patient:40:booking_confirmed"): with the channel, it is sent once.
    event_key = models.CharField(_("event"), max_length=120, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("patient"))
    recipient = models.CharField(_("recipient"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    # A printed document sent with an e-mail, as "<document kind slug>:<record id>", rendered when it is sent.
    attachment = models.CharField(_("attachment"), max_length=60, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED,
                             editable=False)
    created_at = models.DateTimeField(_("queued"), editable=False)
    due_at = models.DateTimeField(_("next attempt"), editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    answer = models.TextField(_("gateway's answer"), blank=True, editable=False)
    # A worker's claim: until `claimed_until`, only the holder of `claim_token` sends the message.
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, editable=False, verbose_name=_("resent or cancelled by"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="message_due"),
            models.Index(fields=["patient", "created_at"], name="message_patient"),
            models.Index(fields=["created_at", "id"], name="message_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event_key", "channel"], name="message_once_per_event_and_channel"),
            models.CheckConstraint(condition=Q(state__in=State.values), name="message_state_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="message_channel_valid"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="message_kind_valid"),
            models.CheckConstraint(condition=~Q(state=State.SENT) | Q(sent_at__isnull=False),
                                   name="message_sent_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"


class KindSetting(models.Model):
    """Admin's choice for one kind of message: whether it is sent, and when (days or hours, see `kinds.TIMING`)."""

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, unique=True)
    enabled = models.BooleanField(_("sent"), default=True)
    timing = models.PositiveSmallIntegerField(_("timing"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, verbose_name=_("updated by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kind of message")
        verbose_name_plural = _("kinds of message")
        constraints = [models.CheckConstraint(condition=Q(kind__in=Kind.values), name="kind_setting_kind_valid"),
                       models.CheckConstraint(condition=Q(timing__lte=365), name="kind_setting_timing_range")]

    def __str__(self) -> str:
        return self.get_kind_display()


class MessageTemplate(models.Model):
    """Admin's wording of one kind in one language; without a row the shipped default is used."""

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("e-mail subject"), max_length=200)
    email_body = models.TextField(_("e-mail text"))
    sms_body = models.TextField(_("SMS text"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, verbose_name=_("updated by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [models.UniqueConstraint(fields=["kind", "language"], name="one_template_per_kind_language"),
                       models.CheckConstraint(condition=Q(kind__in=Kind.values), name="template_kind_valid")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class QuietHours(models.Model):
    """The one row of the hospital's quiet hours (local time): a message falling due inside them waits until they
    end. `start` after `end` spans midnight; no row, or equal times, means none."""

    start = models.TimeField(_("quiet from"))
    end = models.TimeField(_("quiet until"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, verbose_name=_("updated by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quiet hours")
        verbose_name_plural = _("quiet hours")

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


class Preference(models.Model):
    """How a patient wants to hear from the hospital, and whether at all; every change kept with its author.

    Messages about the patient's own stays and bills go unless the patient opted out; follow-ups after a stay
    only with consent.
    """

    patient = models.OneToOneField("patients.Patient", on_delete=models.PROTECT, related_name="message_preference",
                                   verbose_name=_("patient"))
    channel = models.CharField(_("preferred channel"), max_length=8, choices=Channel.choices, blank=True,
                               help_text=_("Empty: SMS when the patient has a mobile, else e-mail."))
    language = models.CharField(_("language of messages"), max_length=8, choices=settings.LANGUAGES, blank=True,
                                help_text=_("Empty: the patient's language for documents."))
    consent = models.BooleanField(_("agrees to follow-ups"), default=False)
    opted_out = models.BooleanField(_("asked for no messages"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, verbose_name=_("updated by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message preference")
        verbose_name_plural = _("message preferences")
        constraints = [models.CheckConstraint(condition=Q(channel__in=["", *Channel.values]),
                                              name="preference_channel_valid")]

    def __str__(self) -> str:
        return str(self.patient)
