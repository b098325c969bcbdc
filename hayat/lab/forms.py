"""Forms of the laboratory pages: a result (created, viewed and edited in the same form) and a group upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.accounts.models import User
from hayat.clinical.models import Episode
from hayat.core import clock, policy
from hayat.core.formats import format_date, format_period
from hayat.core.forms import StyledForm
from hayat.core.params import id_from
from hayat.lab import files, selectors
from hayat.lab.models import LabResult, LabTestType
from hayat.lab.services import DESCRIPTION_MAX, GroupData, ResultData
from hayat.patients.models import Patient
from hayat.stays.models import Booking

ACCEPT = ",".join([".pdf", ".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".dcm", *files.CONTENT_TYPES])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; each is checked by content in the service, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not uploads:
            if self.required:
                raise forms.ValidationError(_("Choose at least one file."), code="required")
            return []
        return [super(MultipleFileField, self).clean(item, initial) for item in uploads]


def performers():
    return User.objects.filter(is_active=True, role__in=policy.roles_for("lab.manage")).order_by("full_name")


class PerformerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return f"{user.full_name} · {user.get_role_display()}"


class EpisodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, episode) -> str:
        return f"{episode.case_number} · {format_date(episode.registered_at)} · {episode.get_status_display()}"


class BookingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, booking) -> str:
        period = format_period(booking.start_date, booking.end_date)
        return f"{booking.number} · {period} · {booking.get_status_display()}"


class ResultForm(StyledForm, forms.Form):
    test_type = forms.ModelChoiceField(label=_("Test type"), queryset=LabTestType.objects.none())
    performed_by = PerformerChoiceField(label=_("Performed by"), queryset=User.objects.none())
    performed_at = forms.DateTimeField(
        label=_("Performed at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format="%Y-%m-%dT%H:%M"),
    )
    summary = forms.CharField(label=_("Result summary"), widget=forms.Textarea(attrs={"rows": 5}))
    episode = EpisodeChoiceField(label=_("Episode"), queryset=Episode.objects.none(), required=False,
                                 empty_label=_("No episode"))
    booking = BookingChoiceField(label=_("Stay"), queryset=Booking.objects.none(), required=False,
                                 empty_label=_("No stay"))
    seen_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, result: LabResult | None = None, user=None, **kwargs):
        if result is not None:
            kwargs.setdefault("initial", {
                "test_type": result.test_type_id, "performed_by": result.performed_by_id,
                "performed_at": result.performed_at, "summary": result.summary,
                "episode": result.episode_id, "booking": result.booking_id,
                "seen_at": result.updated_at.isoformat(),
            })
        else:
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("performed_at", clock.now())
            if user is not None and policy.can(user, "lab.manage"):
                initial.setdefault("performed_by", user.pk)
        super().__init__(*args, **kwargs)
        self.result = result
        self.fields["performed_at"].widget.attrs["max"] = clock.now().strftime("%Y-%m-%dT%H:%M")
        # An old result keeps showing (and may keep) a test type or performer no longer in use.
        test_types = LabTestType.objects.filter(is_active=True)
        people = performers()
        if result is not None:
            test_types = LabTestType.objects.filter(pk=result.test_type_id) | test_types
            people = User.objects.filter(pk=result.performed_by_id) | people
        self.fields["test_type"].queryset = test_types.distinct().order_by("name")
        self.fields["performed_by"].queryset = people.distinct().order_by("full_name")
        self.limit_links(result.patient_id if result is not None else self.chosen_patient_id())
        if result is None:
            del self.fields["seen_at"]

    def chosen_patient_id(self) -> int | None:
        return None

    def limit_links(self, patient_id: int | None) -> None:
        """Episodes and stays to choose from are the patient's own."""
        self.fields["episode"].queryset = selectors.episodes_of(patient_id)
        self.fields["booking"].queryset = selectors.bookings_of(patient_id)

    def result_data(self) -> ResultData:
        data = self.cleaned_data
        return ResultData(test_type=data["test_type"], summary=data["summary"], performed_by=data["performed_by"],
                          performed_at=data["performed_at"], episode=data.get("episode"),
                          booking=data.get("booking"))


class NewResultForm(ResultForm):
    """A new result: the patient, and optionally the first group of files sent with it."""

    patient = forms.ModelChoiceField(label=_("Patient"), queryset=Patient.objects.filter(is_active=True),
                                     widget=forms.HiddenInput,
                                     error_messages={"required": _("Choose the patient."),
                                                     "invalid_choice": _("Choose an active patient.")})
    description = forms.CharField(label=_("Description of the files"), max_length=DESCRIPTION_MAX, required=False,
                                  help_text=_("Optional now: files can be added later too."))
    files = MultipleFileField(label=_("Files"), required=False)

    field_order = ["patient", "test_type", "performed_by", "performed_at", "summary", "episode", "booking",
                   "description", "files"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggest_links()

    def chosen_patient_id(self) -> int | None:
        raw = self.data.get("patient") if self.is_bound else self.initial.get("patient")
        return id_from(getattr(raw, "pk", raw))

    def suggest_links(self) -> None:
        """A new result belongs, unless the user says otherwise, to the open episode and the current stay."""
        patient_id = self.chosen_patient_id()
        if patient_id and not self.is_bound:
            for name, value in selectors.current_links(patient_id).items():
                if value is not None:
                    self.initial.setdefault(name, value.pk)

    def group_data(self) -> GroupData | None:
        description, uploads = self.cleaned_data.get("description", ""), self.cleaned_data.get("files") or []
        if not uploads and not description.strip():
            return None
        return GroupData(description=description, uploads=uploads)


class GroupForm(StyledForm, forms.Form):
    description = forms.CharField(label=_("Description"), max_length=DESCRIPTION_MAX,
                                  widget=forms.TextInput(attrs={"placeholder": _("e.g. CBC printout, pages 1–2")}))
    files = MultipleFileField(label=_("Files"))

    def group_data(self) -> GroupData:
        return GroupData(description=self.cleaned_data["description"], uploads=self.cleaned_data["files"])


class LabTestTypeForm(StyledForm, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("A short abbreviation, e.g. CBC."))
    name = forms.CharField(label=_("Name"), max_length=120)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


