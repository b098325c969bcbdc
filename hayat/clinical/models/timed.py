"""Time-charged services in use on an inpatient (oxygen, a ventilator, a monitor, an incubator).

Like a bed assignment, a use is a fact (service, start, end, rate) billing derives a growing line from. The
"open key" holds "<episode>:<service>" only while the use runs, under a plain unique index: one running use of a
service per episode on every engine.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hayat.core.money import money_field


class TimedUse(models.Model):
    episode = models.ForeignKey("clinical.Episode", on_delete=models.PROTECT, related_name="timed_uses",
                                verbose_name=_("episode"))
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("service"))
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    rate = money_field(_("rate"), help_text=_("The service's price per unit when the use began."))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("started by"))
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                 blank=True, verbose_name=_("stopped by"))
    open_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    # Set when the start was a mistake undone by the person who made it (hayat.clinical.timed.undo_start): the
    # row stays, counts no more, and billing corrects its line.
    reversed_at = models.DateTimeField(_("undone"), null=True, blank=True)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True, verbose_name=_("undone by"))

    class Meta:
        verbose_name = _("time-charged service in use")
        verbose_name_plural = _("time-charged services in use")
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["episode", "started_at"], name="timed_use_episode_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__isnull=True, open_key__isnull=False)
                                   | Q(ended_at__isnull=False, open_key__isnull=True),
                                   name="timed_use_open_key_while_open"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                                   name="timed_use_ends_after_start"),
            models.CheckConstraint(condition=Q(rate__gte=0), name="timed_use_rate_not_negative"),
            models.CheckConstraint(condition=Q(reversed_at__isnull=True, reversed_by__isnull=True)
                                   | Q(reversed_at__isnull=False, reversed_by__isnull=False, ended_at__isnull=False),
                                   name="timed_use_undone_by_someone_and_ended"),
        ]

    def __str__(self) -> str:
        return f"{self.episode_id}: {self.service_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None
