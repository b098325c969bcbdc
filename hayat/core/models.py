"""Shared kernel tables: the audit trail, the patient access log, and numbering sequences.

The audit tables hold no foreign keys on purpose: deleting or anonymising live data must never
break the history of what was done to it. They are append-only (database triggers, hayat.core.append_only)
and sealed: each row carries a keyed seal of its content, and AuditChainLink chains the rows in the order
they were sealed (hayat.core.audit_chain, docs/adr/0004-sealed-audit-trail.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    model = models.CharField(_("record type"), max_length=80, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    patient_id = models.BigIntegerField(_("patient id"), null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    # What anonymising may rewrite (changes, note) is sealed through this digest, taken when the row was written.
    detail_digest = models.CharField(_("digest of changes and note"), max_length=64, blank=True)
    nonce = models.CharField(_("nonce"), max_length=32, unique=True, null=True, editable=False)
    seal = models.CharField(_("seal"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"]), models.Index(fields=["actor_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    def save(self, *args, **kwargs) -> None:
        from hayat.core.audit_chain import stamp

        if self._state.adding and not self.seal:
            stamp(self)
        super().save(*args, **kwargs)


class AccessLogEntry(models.Model):
    """One read of a patient's record: who opened what, when and from where."""

    at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor = models.CharField(_("actor"), max_length=150, blank=True)
    patient_id = models.BigIntegerField(_("patient id"), db_index=True)
    what = models.CharField(_("what was opened"), max_length=120)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    nonce = models.CharField(_("nonce"), max_length=32, unique=True, null=True, editable=False)
    seal = models.CharField(_("seal"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("patient access")
        verbose_name_plural = _("patient access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient_id", "at"]), models.Index(fields=["actor_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.what} #{self.patient_id}"

    def save(self, *args, **kwargs) -> None:
        from hayat.core.audit_chain import stamp

        if self._state.adding and not self.seal:
            stamp(self)
        super().save(*args, **kwargs)


class AuditChainLink(models.Model):
    """One sealed row of the audit trail or the access log, chained to the link before it: `link` is the keyed
    hash of the previous link and this row's seal, so a changed, removed or reordered row breaks the chain."""

    class Kind(models.TextChoices):
        EVENT = "e", _("audit event")
        ACCESS = "a", _("patient access")

    seq = models.BigIntegerField(_("position"), primary_key=True)
    kind = models.CharField(_("table"), max_length=1, choices=Kind.choices)
    row_id = models.BigIntegerField(_("row"))
    row_seal = models.CharField(_("row seal"), max_length=64)
    link = models.CharField(_("link"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed"))

    class Meta:
        verbose_name = _("audit chain link")
        verbose_name_plural = _("audit chain")
        constraints = [models.UniqueConstraint(fields=["kind", "row_id"], name="audit_chain_row_once")]

    def __str__(self) -> str:
        return f"{self.seq} {self.kind}#{self.row_id}"


class Sequence(models.Model):
    """A counter per key (e.g. BK-20261121): the row lock makes numbers unique under concurrency."""

    key = models.CharField(max_length=64, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class StatusChange(models.Model):
    """Base of every lifecycle's history: who moved a record from which status to which, and why."""

    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"),
        null=True, blank=True,
    )
    from_status = models.CharField(_("from"), max_length=32, blank=True)
    to_status = models.CharField(_("to"), max_length=32)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class Stamped(models.Model):
    """Who created and last changed a record, and when."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("updated by"),
    )

    class Meta:
        abstract = True


class IdempotencyRecord(models.Model):
    """One submission of a form or API call that creates money or a billable record, and the answer it got.

    The unique (user, key) pair makes a duplicate submission fail on insert, so of two racing duplicates
    exactly one runs; the other is answered with the stored response (see hayat.core.idempotency).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=100)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    created_at = models.DateTimeField(_("created"), db_index=True)
    status_code = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    content_type = models.CharField(_("response type"), max_length=100, blank=True)
    location = models.CharField(_("redirect to"), max_length=500, blank=True)
    body = models.TextField(_("response body"), blank=True)
    is_api_data = models.BooleanField(_("body is API data"), default=False)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_submission_per_user_and_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class RateWindow(models.Model):
    """Requests counted in one fixed window of a rate limit (hayat.core.ratelimits): "api:user:7" in the minute
    that ends at `ends_at` (Unix seconds). Every app server counts here with one atomic statement."""

    key = models.CharField(_("limit and caller"), max_length=200, primary_key=True)
    hits = models.PositiveIntegerField(_("requests"))
    ends_at = models.BigIntegerField(_("window ends"), db_index=True)

    class Meta:
        verbose_name = _("rate-limit window")
        verbose_name_plural = _("rate-limit windows")

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
