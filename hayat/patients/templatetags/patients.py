"""Template filters for patient data: phone numbers in international format, country names, ages."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hayat.patients import phones, validation

register = template.Library()


@register.filter
def phone(value: str) -> str:
    return phones.display(value)


@register.filter
def country_name(code: str) -> str:
    return validation.country_name(code) if code else ""


@register.filter
def age_label(patient) -> str:
    age = patient.age
    if age is None:
        return _("age unknown")
    return ngettext("%(age)s year", "%(age)s years", age) % {"age": age}
