"""Patient identity: who a person is, where they live, how to reach them, and the keys that find them fast.

Other apps point at `Patient` with `on_delete=PROTECT`. A merged patient stays as a row whose
`merged_into` names the survivor, so old links and printed codes still lead somewhere.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hayat.core import clock
from hayat.core.models import Stamped


class Region(models.Model):
    """A first-level division of a country (a viloyat in Uzbekistan, a province in the Philippines)."""

    country = models.CharField(_("country"), max_length=2)
    name = models.CharField(_("name"), max_length=120)
    name_local = models.CharField(_("local name"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["country", "name"]
        constraints = [models.UniqueConstraint(fields=["country", "name"], name="region_unique_per_country")]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts",
                               verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=120)
    name_local = models.CharField(_("local name"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="district_unique_per_region")]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class CivilStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    WIDOWED = "widowed", _("Widowed")
    SEPARATED = "separated", _("Separated")
    DIVORCED = "divorced", _("Divorced")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    ID_CARD = "id_card", _("National ID card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    DRIVER_LICENCE = "driver_licence", _("Driver's licence")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    OTHER = "other", _("Other document")


GESTATIONAL_WEEKS_MIN = 20
GESTATIONAL_WEEKS_MAX = 45


def full_name(last_name: str, first_name: str, middle_name: str) -> str:
    """Surname, first name and patronymic, as a patient is named everywhere (for rows read without the model too)."""
    return " ".join(part for part in (last_name, first_name, middle_name) if part)


class Patient(Stamped):
    code = models.CharField(_("patient code"), max_length=5, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=80)
    middle_name = models.CharField(_("middle name"), max_length=80, blank=True,
                                   help_text=_("Patronymic or middle name."))
    last_name = models.CharField(_("last name"), max_length=80)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN)
    gestational_age_weeks = models.PositiveSmallIntegerField(
        _("gestational age at birth (weeks)"), null=True, blank=True,
        help_text=_("Only for infants under two years, where it matters for care."),
    )
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True, db_index=True)
    home_phone = models.CharField(_("home phone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("region"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("district"))
    country = models.CharField(_("country"), max_length=2, blank=True)
    nationality = models.CharField(_("nationality"), max_length=80, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=120, blank=True)
    civil_status = models.CharField(_("civil status"), max_length=12, choices=CivilStatus.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    religion = models.CharField(_("religion"), max_length=80, blank=True)
    document_type = models.CharField(_("identity document"), max_length=20, choices=DocumentType.choices,
                                     blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=40, blank=True)
    philhealth_number = models.CharField(_("PhilHealth number"), max_length=20, blank=True)
    hmo_name = models.CharField(_("HMO"), max_length=120, blank=True)
    hmo_number = models.CharField(_("HMO member number"), max_length=40, blank=True)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=150, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    # Search keys, derived from the fields above on every save (see hayat.patients.names): lowercase,
    # transliterated to one Latin spelling, so Юсупов, Yusupov and Iusupov share a key.
    last_name_key = models.CharField(max_length=80, blank=True, editable=False, db_index=True)
    first_name_key = models.CharField(max_length=80, blank=True, editable=False, db_index=True)
    middle_name_key = models.CharField(max_length=80, blank=True, editable=False, db_index=True)
    search_text = models.CharField(max_length=250, blank=True, editable=False)
    phone_digits = models.CharField(max_length=50, blank=True, editable=False)
    # The digits of each phone reversed, so "the last digits" is an indexed prefix on every engine.
    mobile_tail = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    home_phone_tail = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    # The document number with Cyrillic look-alike letters read as Latin (see validation.document_key).
    document_key = models.CharField(max_length=40, blank=True, editable=False, db_index=True)

    history = HistoricalRecords(
        excluded_fields=["last_name_key", "first_name_key", "middle_name_key", "search_text", "phone_digits",
                         "mobile_tail", "home_phone_tail", "document_key"],
    )

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name_key", "first_name_key", "birth_date"], name="patient_name_dob"),
            # the duplicate check's "same first name, nearest last names" pool reads it in order
            models.Index(fields=["first_name_key", "last_name_key"], name="patient_first_last"),
            # a name search reads the first matches of a patronymic in name order (selectors.name_candidates)
            models.Index(fields=["middle_name_key", "last_name_key"], name="patient_middle_last"),
            # a name search of several words reads a first name and a patronymic together (selectors.word_pair_arms)
            models.Index(fields=["first_name_key", "middle_name_key"], name="patient_first_middle"),
            models.Index(fields=["birth_date"], name="patient_birth_date"),
            models.Index(fields=["created_at"], name="patient_created_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(gender__in=Gender.values), name="patient_gender_valid"),
            models.CheckConstraint(condition=Q(civil_status="") | Q(civil_status__in=CivilStatus.values),
                                   name="patient_civil_status_valid"),
            models.CheckConstraint(condition=Q(document_type="") | Q(document_type__in=DocumentType.values),
                                   name="patient_document_type_valid"),
            models.CheckConstraint(condition=~Q(code=""), name="patient_code_not_empty"),
            models.CheckConstraint(
                condition=Q(gestational_age_weeks__isnull=True)
                | Q(gestational_age_weeks__gte=GESTATIONAL_WEEKS_MIN, gestational_age_weeks__lte=GESTATIONAL_WEEKS_MAX),
                name="patient_gestational_age_range",
            ),
            # "not merged into itself" is checked by the merge service: MariaDB refuses CHECKs on id.
            models.CheckConstraint(condition=Q(merged_into__isnull=True) | Q(is_active=False),
                                   name="patient_merged_is_inactive"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("patients:detail", kwargs={"pk": self.pk})

    @property
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_name, self.middle_name)

    @property
    def age(self) -> int | None:
        return age_on(self.birth_date, clock.today())

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def status(self) -> str:
        if self.is_merged:
            return "merged"
        if self.is_anonymised:
            return "anonymised"
        return "active" if self.is_active else "inactive"

    @classmethod
    def from_db(cls, db, field_names, values):
        patient = super().from_db(db, field_names, values)
        patient.saved_name_keys = name_keys_of(patient) if set(NAME_KEY_FIELDS) <= set(field_names) else None
        return patient

    def save(self, *args, **kwargs):
        from hayat.patients import vocabulary
        from hayat.patients.names import fill_search_keys

        before = self.name_keys_in_database()
        fill_search_keys(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | set(SEARCH_KEY_FIELDS)
        super().save(*args, **kwargs)
        self.saved_name_keys = name_keys_of(self)
        vocabulary.change(before, self.saved_name_keys)

    def delete(self, *args, **kwargs):
        from hayat.patients import vocabulary

        before = self.name_keys_in_database()
        deleted = super().delete(*args, **kwargs)
        vocabulary.change(before, ())
        return deleted

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.saved_name_keys = None  # read again on the next save

    def name_keys_in_database(self) -> tuple[str, ...]:
        """The name keys the row holds now (the vocabulary counts them): as loaded, or read when they were not."""
        if self._state.adding:
            return ()
        saved = getattr(self, "saved_name_keys", None)
        if saved is None:
            saved = Patient.objects.filter(pk=self.pk).values_list(*NAME_KEY_FIELDS).first() or ()
        return saved


NAME_KEY_FIELDS = ("last_name_key", "first_name_key", "middle_name_key")
SEARCH_KEY_FIELDS = ("last_name_key", "first_name_key", "middle_name_key", "search_text", "phone_digits",
                     "mobile_tail", "home_phone_tail", "document_key")


def name_keys_of(patient: Patient) -> tuple[str, ...]:
    return tuple(getattr(patient, field) for field in NAME_KEY_FIELDS)


class NameWord(models.Model):
    """A word of the registry's names (a name key of a last, first or middle name) and how many name fields hold it:
    the vocabulary "did you mean" searches instead of the patients (see vocabulary.py)."""

    key = models.CharField(max_length=80, unique=True)
    patients = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} ({self.patients})"


def age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class DuplicateDecision(models.Model):
    """A user's answer to "this looks like an existing patient": create (or keep) anyway, and why."""

    class Context(models.TextChoices):
        CREATE = "create", _("Registration")
        EDIT = "edit", _("Edit")

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="duplicate_decisions",
                                verbose_name=_("patient"))
    context = models.CharField(_("when"), max_length=8, choices=Context.choices)
    candidate_ids = models.JSONField(_("possible duplicates"), default=list)
    reason = models.TextField(_("reason"))
    decided_at = models.DateTimeField(_("decided"))
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))

    class Meta:
        verbose_name = _("duplicate decision")
        verbose_name_plural = _("duplicate decisions")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="duplicate_decision_has_reason"),
            models.CheckConstraint(condition=Q(context__in=["create", "edit"]),
                                   name="duplicate_decision_context_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id}: {self.reason[:40]}"
