"""The letterhead every document is printed on, each patient's language for documents, and the documents issued.

An issued document (an invoice, a hospital discharge summary) is kept as the very bytes handed out, with its
number and SHA-256, so a reprint is identical. When what it says changes (a bill gets an item, a diagnosis is
amended), printing it again issues a new version that names the one it replaces.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class Letterhead(models.Model):
    """The facility's heading, footer and house texts, set once by an Admin (a single row)."""

    # True on the one row; unique, so a second row is refused on every engine (MariaDB allows no CHECK on the id)
    singleton = models.BooleanField(default=True, unique=True, editable=False)

    name_en = models.CharField(_("facility name in English"), max_length=150, blank=True)
    name_ru = models.CharField(_("facility name in Russian"), max_length=150, blank=True)
    name_uz = models.CharField(_("facility name in Uzbek"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=40, blank=True)
    logo = models.FileField(_("logo"), max_length=200, blank=True)
    footer = models.CharField(_("footer text"), max_length=300, blank=True)
    signature_lines = models.TextField(
        _("signature lines"), blank=True,
        help_text=_("One per line, e.g. 'Chief physician'. Summaries end with a line to sign for each."))
    house_rules = models.TextField(_("house rules"), blank=True, help_text=_("Printed in the welcome packet."))
    meal_times = models.TextField(_("meal times"), blank=True,
                                  help_text=_("One per line, e.g. 'Breakfast 08:00–09:00'."))
    tax_name = models.CharField(_("tax name"), max_length=30, blank=True, help_text=_("e.g. VAT; empty: no tax."))
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2, default=Decimal("0"),
                                   validators=[MinValueValidator(0), MaxValueValidator(100)],
                                   help_text=_("Included in the prices; invoices show the tax part."))
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, verbose_name=_("updated by"))

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterhead")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="letterhead_single_row"),
            models.CheckConstraint(condition=Q(tax_rate__gte=0, tax_rate__lte=100), name="letterhead_tax_rate_range"),
        ]

    def __str__(self) -> str:
        return self.name_for("en")

    @classmethod
    def current(cls) -> Letterhead:
        """The letterhead in force; an empty, unsaved one before an Admin has set it."""
        return cls.objects.first() or cls()

    def name_for(self, language: str) -> str:
        return getattr(self, f"name_{language}", "") or self.name_en or "Hayat"

    @property
    def signatures(self) -> list[str]:
        return [line.strip() for line in self.signature_lines.splitlines() if line.strip()]

    @property
    def has_tax(self) -> bool:
        return bool(self.tax_name) and self.tax_rate > 0


class DocumentLanguage(models.Model):
    """The language a patient reads: their documents print in it unless the reader picks another."""

    patient = models.OneToOneField("patients.Patient", on_delete=models.CASCADE, related_name="document_language",
                                   verbose_name=_("patient"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("patient's language for documents")
        verbose_name_plural = _("patients' languages for documents")
        constraints = [models.CheckConstraint(condition=Q(language__in=LANGUAGE_CODES),
                                              name="document_language_valid")]

    def __str__(self) -> str:
        return f"{self.patient_id}: {self.language}"


class IssuedDocument(models.Model):
    """One language copy of one version of an issued document, kept byte for byte.

    `fingerprint` is the SHA-256 of what the document says (its facts, whatever the language); a print whose
    facts differ from the latest version's issues the next version, which `replaces` that one.
    """

    kind = models.CharField(_("kind"), max_length=30)
    source_id = models.BigIntegerField(_("source"))
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    number = models.CharField(_("document number"), max_length=40)
    fingerprint = models.CharField(max_length=64, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    pdf = models.BinaryField(editable=False)
    replaces = models.ForeignKey("self", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                 verbose_name=_("replaces"))
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="issued_documents",
                                verbose_name=_("patient"))
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["patient", "issued_at"], name="issued_document_patient")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id", "version", "language"],
                                    name="issued_document_copy_once"),
            models.CheckConstraint(condition=Q(version__gte=1), name="issued_document_version_positive"),
            models.CheckConstraint(condition=Q(language__in=LANGUAGE_CODES), name="issued_document_language_valid"),
        ]

    def __str__(self) -> str:
        return self.number
