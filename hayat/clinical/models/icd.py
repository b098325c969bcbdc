"""ICD-10 codes, the word index that makes them searchable, and the code → department mapping."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IcdSource(models.TextChoices):
    ICD10CM = "icd10cm", _("ICD-10-CM")
    WHO = "who", _("WHO ICD-10")
    LOCAL = "local", _("Local list")


class IcdCode(models.Model):
    """One code a patient's diagnosis can carry (categories and subcategories, not chapters or blocks)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    title = models.CharField(_("title"), max_length=400)
    chapter = models.CharField(_("chapter"), max_length=10, blank=True)
    block = models.CharField(_("block"), max_length=10, blank=True)
    is_billable = models.BooleanField(
        _("billable"), default=True, help_text=_("A leaf code, specific enough to be reported and billed."))
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=10, choices=IcdSource.choices, default=IcdSource.ICD10CM)
    is_common = models.BooleanField(
        _("common"), default=False, help_text=_("Often diagnosed: listed first among codes that match as well."))

    class Meta:
        verbose_name = _("ICD-10 code")
        verbose_name_plural = _("ICD-10 codes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="icd_code_not_empty"),
            models.CheckConstraint(condition=Q(source__in=IcdSource.values), name="icd_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class IcdTitleKind(models.TextChoices):
    TITLE = "title", _("Title")
    SYNONYM = "synonym", _("Synonym")


class IcdTitle(models.Model):
    """A code's title in another language (imported from a licensed source, whose name is kept), or a
    synonym a doctor may type ("community acquired pneumonia" for J18.9). Both feed the word index."""

    code = models.ForeignKey(IcdCode, on_delete=models.CASCADE, related_name="titles", verbose_name=_("code"))
    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(_("kind"), max_length=10, choices=IcdTitleKind.choices, default=IcdTitleKind.TITLE)
    title = models.CharField(_("title"), max_length=400)
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("The licensed list the title comes from, as its licence asks."))

    class Meta:
        verbose_name = _("ICD-10 title in another language")
        verbose_name_plural = _("ICD-10 titles in other languages")
        constraints = [
            models.UniqueConstraint(fields=["code", "language", "kind", "title"], name="icd_title_unique"),
            models.CheckConstraint(condition=Q(kind__in=IcdTitleKind.values), name="icd_title_kind_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="icd_title_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.code_id} [{self.language}] {self.title}"


class IcdWord(models.Model):
    """One word of a code's title (lower case), so a search by words is an index range scan."""

    word = models.CharField(max_length=40, db_index=True)
    code = models.ForeignKey(IcdCode, on_delete=models.CASCADE, related_name="words")

    class Meta:
        verbose_name = _("ICD-10 title word")
        verbose_name_plural = _("ICD-10 title words")

    def __str__(self) -> str:
        return self.word


class IcdDepartmentMapping(models.Model):
    """Codes from `first` to `last` (a prefix range such as I00–I99, or one prefix such as I21) belong to
    a department. Where several mappings cover a code, the narrowest one wins."""

    first = models.CharField(_("from code"), max_length=10)
    last = models.CharField(_("to code"), max_length=10)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="icd_mappings", verbose_name=_("department"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("created by"))

    class Meta:
        verbose_name = _("ICD-10 department mapping")
        verbose_name_plural = _("ICD-10 department mappings")
        ordering = ["first", "last"]
        constraints = [
            models.UniqueConstraint(fields=["first", "last"], name="icd_mapping_range_unique"),
            models.CheckConstraint(condition=Q(first__lte=models.F("last")), name="icd_mapping_range_ordered"),
            models.CheckConstraint(condition=~Q(first=""), name="icd_mapping_first_not_empty"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.first if self.first == self.last else f"{self.first}–{self.last}"

    def covers(self, code: str) -> bool:
        """True when `code` lies in the range: I21.4 is covered by I00–I99, by I20–I25 and by I21."""
        return self.first <= code and code[: len(self.last)] <= self.last

    @property
    def specificity(self) -> int:
        """How narrow the range is: the length of what `first` and `last` have in common (I00–I99 → 1)."""
        shared = 0
        for left, right in zip(self.first, self.last, strict=False):
            if left != right:
                break
            shared += 1
        return shared
