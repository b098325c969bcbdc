"""Form pieces every app shares: Bootstrap styling, showing a domain error next to its field, and a date typed
in the reader's numeric form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.core.errors import DomainError, FieldsRefused
from hayat.core.params import SaneDateField

# formats.NUMERIC_DATE as strptime reads it; ISO dates stay accepted for what a browser or a script sends.
TYPED_DATE = "%d.%m.%Y"
TYPED_DATE_FORMATS = (TYPED_DATE, "%Y-%m-%d")


class StyledForm:
    """Gives every widget Bootstrap's classes, so templates can render `{{ field }}` as is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    if isinstance(error, FieldsRefused):
        for name in error.fields:
            form.add_error(name if name in form.fields else None, error.message)
        return
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class TypedDateInput(forms.DateInput):
    """A date typed as 06.12.2026 whatever the browser's language (a native date field writes 12/06/2026 in an
    American browser); web/masks.js adds the dots as the digits come."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"data-mask": "date", "inputmode": "numeric", "autocomplete": "off", "maxlength": "10",
                          "placeholder": _("dd.mm.yyyy"), **(attrs or {})}, format=TYPED_DATE)


class TypedDateField(SaneDateField):
    """A date of the calendar Hayat accepts, typed in the reader's numeric form; the server alone decides."""

    widget = TypedDateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", TYPED_DATE_FORMATS)
        super().__init__(**kwargs)
