"""One rule for text typed into any field, page or API: no invisible control characters.

Control characters (Unicode category Cc: bell, escape, NUL, ...) and the invisible bidirectional controls
(which can make "Ali" display as something else) are refused with a clear message; tab and line breaks are
allowed only in multi-line fields (a textarea on a page; an API text field without a length limit).
`install()` (called once when the core app is ready) adds the rule to every Django form CharField and every
DRF CharField, subclasses included, so no form or serializer can forget it.
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_CONTROLS = frozenset("\t\n\r")


def forbidden_character(value: str, *, multi_line: bool) -> str | None:
    """The first character the rule refuses, or None."""
    for character in value:
        if character in LINE_CONTROLS and multi_line:
            continue
        if character in BIDI_CONTROLS or unicodedata.category(character) == "Cc":
            return character
    return None


@deconstructible
class PlainTextValidator:
    message = _("Remove the invisible control character %(code)s from this text.")
    code = "control_character"

    def __init__(self, *, multi_line: bool = False):
        self.multi_line = multi_line

    def __call__(self, value) -> None:
        if isinstance(value, str) and (character := forbidden_character(value, multi_line=self.multi_line)):
            raise ValidationError(self.message, code=self.code, params={"code": f"U+{ord(character):04X}"})

    def __eq__(self, other) -> bool:
        return isinstance(other, PlainTextValidator) and other.multi_line == self.multi_line


def install() -> None:
    original_form_init, original_serializer_init = forms.CharField.__init__, serializers.CharField.__init__

    def form_field_init(self, *args, **kwargs):
        original_form_init(self, *args, **kwargs)
        self.validators.append(PlainTextValidator(multi_line=isinstance(self.widget, forms.Textarea)))

    def serializer_field_init(self, *args, **kwargs):
        original_serializer_init(self, *args, **kwargs)
        self.validators.append(PlainTextValidator(multi_line=self.max_length is None))

    forms.CharField.__init__, serializers.CharField.__init__ = form_field_init, serializer_field_init
