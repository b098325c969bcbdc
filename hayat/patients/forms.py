"""Forms of the patient pages: registration (full and quick), search filters, merge and the privacy actions.

Field rules are not written here: `clean()` asks hayat.patients.validation, the same rules the services
and the API apply, and shows every refused value next to its field.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hayat.core.forms import StyledForm, TypedDateField
from hayat.core.params import SaneDateField, id_from
from hayat.patients import phones, validation
from hayat.patients.models import CivilStatus, District, DocumentType, Gender, Patient, Region
from hayat.patients.selectors import PatientFilters
from hayat.patients.validation import PatientData

QUICK_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "gender", "mobile")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# Fields that belong to one country's health system: shown only where the hospital is in that country.
COUNTRY_FIELDS = {"PH": ("philhealth_number", "hmo_name", "hmo_number")}


def country_choices():
    return [("", "—"), *validation.country_choices()]


class PatientForm(StyledForm, forms.Form):
    """The full registration and edit form; `fields_shown` trims it to the quick registration."""

    last_name = forms.CharField(label=_("Last name"), max_length=80)
    first_name = forms.CharField(label=_("First name"), max_length=80)
    middle_name = forms.CharField(label=_("Middle name / patronymic"), max_length=80, required=False)
    birth_date = TypedDateField(label=_("Date of birth"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    gestational_age_weeks = forms.IntegerField(
        label=_("Gestational age at birth (weeks)"), required=False, min_value=0, max_value=60,
        help_text=_("Infants under two years only."),
    )
    mobile = forms.CharField(label=_("Mobile phone"), max_length=30, required=False,
                             widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    home_phone = forms.CharField(label=_("Home phone"), max_length=30, required=False,
                                 widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    email = forms.CharField(label=_("Email"), max_length=254, required=False,
                            widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}))
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False, empty_label="—")
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.all(), required=False,
                                      empty_label="—")
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    nationality = forms.CharField(label=_("Nationality"), max_length=80, required=False)
    birth_place = forms.CharField(label=_("Place of birth"), max_length=120, required=False)
    civil_status = forms.ChoiceField(label=_("Civil status"), choices=[("", "—"), *CivilStatus.choices],
                                     required=False)
    occupation = forms.CharField(label=_("Occupation"), max_length=120, required=False)
    religion = forms.CharField(label=_("Religion"), max_length=80, required=False)
    document_type = forms.ChoiceField(label=_("Identity document"), choices=[("", "—"), *DocumentType.choices],
                                      required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    tax_id = forms.CharField(label=_("Tax ID"), max_length=60, required=False)
    philhealth_number = forms.CharField(label=_("PhilHealth number"), max_length=30, required=False)
    hmo_name = forms.CharField(label=_("HMO"), max_length=120, required=False)
    hmo_number = forms.CharField(label=_("HMO member number"), max_length=60, required=False)
    emergency_contact_name = forms.CharField(label=_("Emergency contact"), max_length=150, required=False)
    emergency_contact_phone = forms.CharField(label=_("Emergency contact phone"), max_length=30, required=False,
                                              widget=forms.TextInput(attrs={"type": "tel"}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # The answer to the duplicate check: shown only when candidates were found.
    confirm_new = forms.BooleanField(label=_("This is a different person: save anyway"), required=False)
    reason = forms.CharField(label=_("Why is this a different person?"), max_length=500, required=False)

    GROUPS = (
        (_("Identity"), ("last_name", "first_name", "middle_name", "birth_date", "gender", "gestational_age_weeks")),
        (_("Contact"), ("mobile", "home_phone", "email", "country", "region", "district", "address")),
        (_("Background"), ("nationality", "birth_place", "civil_status", "occupation", "religion")),
        (_("Documents and insurance"), ("document_type", "document_number", "tax_id", "philhealth_number",
                                        "hmo_name", "hmo_number")),
        (_("Emergency contact and notes"), ("emergency_contact_name", "emergency_contact_phone", "notes")),
    )

    def __init__(self, *args, fields_shown: tuple[str, ...] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if fields_shown is not None:
            for name in list(self.fields):
                if name not in fields_shown and name not in {"confirm_new", "reason"}:
                    del self.fields[name]
        self.follow_the_hospitals_country()
        region = self.region_value()
        if "district" in self.fields:
            self.fields["district"].queryset = (District.objects.filter(region_id=region) if region
                                                else District.objects.none())
        for name in ("last_name", "first_name"):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = "off"

    recorded: PatientData | None = None  # the patient as stored, when the form edits one

    @classmethod
    def for_patient(cls, patient: Patient, data=None) -> PatientForm:
        initial = {name: getattr(patient, name) for name in PatientData.field_names()}
        initial["region"], initial["district"] = patient.region_id, patient.district_id
        form = cls(data, initial=initial)
        form.recorded = PatientData.from_patient(patient)
        return form

    def follow_the_hospitals_country(self) -> None:
        """Phone examples, regions and insurance fields of the country the hospital is in (HAYAT_PHONE_REGION);
        another country's fields stay only on a record that already holds them."""
        country = phones.default_region()
        for name in ("mobile", "home_phone", "emergency_contact_phone"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"placeholder": phones.example(), **phones.mask_attributes()})
        if "region" in self.fields and Region.objects.filter(country=country).exists():
            chosen = self.region_value()
            self.fields["region"].queryset = Region.objects.filter(Q(country=country) | Q(pk=chosen))
        for field_country, names in COUNTRY_FIELDS.items():
            if field_country == country:
                continue
            for name in names:
                if name in self.fields and not (self.data.get(self.add_prefix(name)) or self.initial.get(name)):
                    del self.fields[name]

    def region_value(self) -> int | None:
        raw = self.data.get(self.add_prefix("region")) if self.is_bound else self.initial.get("region")
        return id_from(getattr(raw, "pk", raw))

    def groups(self):
        """(title, [bound fields]) for the template, skipping fields not on this form."""
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.GROUPS]

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in PatientData.field_names() if name in self.fields}
        data = PatientData(**{"first_name": "", "last_name": "", **{k: v for k, v in values.items() if v is not None}})
        if "gestational_age_weeks" in values:
            data.gestational_age_weeks = values["gestational_age_weeks"]
        if "birth_date" in values:
            data.birth_date = values["birth_date"]
        normalised, errors = validation.check(data, self.recorded)
        for field, message in errors.items():
            target = field if field in self.fields else None
            if target is None or target not in self.errors:
                self.add_error(target, message)
        self.normalised = normalised
        return cleaned

    def patient_data(self, base: PatientData | None = None) -> PatientData:
        """The cleaned values; fields not on this form keep their values from `base` (an edit) or stay blank."""
        if base is None:
            return self.normalised
        shown = {name: getattr(self.normalised, name) for name in PatientData.field_names() if name in self.fields}
        return PatientData(**{**vars(base), **shown})


class QuickPatientForm(PatientForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, fields_shown=QUICK_FIELDS, **kwargs)

    GROUPS = ((_("Quick registration"), QUICK_FIELDS),)


class SearchForm(StyledForm, forms.Form):
    YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]
    STATUSES = [("", _("Active and inactive")), ("active", _("Active")), ("inactive", _("Inactive")),
                ("merged", _("Merged")), ("all", _("All, merged included"))]

    q = forms.CharField(label=_("Search"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", _("Any")), *Gender.choices], required=False)
    age_min = forms.IntegerField(label=_("Age from"), min_value=0, max_value=150, required=False)
    age_max = forms.IntegerField(label=_("Age to"), min_value=0, max_value=150, required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False,
                                    empty_label=_("Any"))
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False,
                                      empty_label=_("Any"))
    registered_from = SaneDateField(label=_("Registered from"), required=False, widget=DateInput())
    registered_to = SaneDateField(label=_("Registered until"), required=False, widget=DateInput())
    active_stay = forms.ChoiceField(label=_("Staying now"), choices=YES_NO, required=False)
    last_visit_from = SaneDateField(label=_("Last visit from"), required=False, widget=DateInput())
    last_visit_to = SaneDateField(label=_("Last visit until"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region = id_from(self.data.get("region"))
        if region:
            self.fields["district"].queryset = District.objects.filter(region_id=region)
        else:
            self.fields["district"].error_messages["invalid_choice"] = _("Choose the region first, then its district.")
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("age_min"), cleaned.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The upper age must not be below the lower one."))
        start, end = cleaned.get("registered_from"), cleaned.get("registered_to")
        if start and end and start > end:
            self.add_error("registered_to", _("The end date must not be before the start date."))
        start, end = cleaned.get("last_visit_from"), cleaned.get("last_visit_to")
        if start and end and start > end:
            self.add_error("last_visit_to", _("The end date must not be before the start date."))
        return cleaned

    def query(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("q", "")

    def filters(self) -> PatientFilters:
        """The valid filters; an invalid one is left out (its message shows next to it), the others still apply."""
        self.is_valid()
        data = self.cleaned_data
        region, district = data.get("region"), data.get("district")
        return PatientFilters(
            gender=data.get("gender", ""), age_min=data.get("age_min"), age_max=data.get("age_max"),
            region=region.pk if region else None, district=district.pk if district else None,
            registered_from=data.get("registered_from"), registered_to=data.get("registered_to"),
            active_stay={"yes": True, "no": False}.get(data.get("active_stay", "")),
            last_visit_from=data.get("last_visit_from"), last_visit_to=data.get("last_visit_to"),
            status=data.get("status", ""),
        )

    def has_advanced(self) -> bool:
        return any(self.data.get(name) for name in self.fields if name != "q")


class MergeForm(StyledForm, forms.Form):
    other = forms.ModelChoiceField(
        label=_("The other record of this person"), widget=forms.HiddenInput,
        queryset=Patient.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True),
        error_messages={"required": _("Pick the other record first.")},
    )
    keep = forms.ChoiceField(label=_("Which record stays"), widget=forms.RadioSelect,
                             choices=[("this", _("This record")), ("other", _("The other record"))], initial="this")
    fill_blanks = forms.BooleanField(label=_("Fill empty fields of the surviving record from the other one"),
                                     required=False, initial=True)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DeleteForm(ReasonForm):
    confirm_code = forms.CharField(label=_("Type the patient code to confirm"), max_length=5)

    def __init__(self, *args, patient: Patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_confirm_code(self):
        value = self.cleaned_data["confirm_code"].strip().upper()
        if value != self.patient.code:
            raise forms.ValidationError(_("That is not this patient's code."))
        return value
