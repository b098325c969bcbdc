"""Form pieces every app shares: Bootstrap styling and showing a domain error next to its field."""

from __future__ import annotations

from django import forms

from hayat.core.errors import DomainError, FieldsRefused


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
