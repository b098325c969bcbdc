"""The API's JSON parser: DRF's, refusing a document nested deeper than any Hayat input with 400 (a document
nested a thousand levels deep would otherwise end in a RecursionError, a server error)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

MAX_JSON_DEPTH = 32


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep() from None
        if depth_of(data) > MAX_JSON_DEPTH:
            raise too_deep()
        return data


def too_deep() -> exceptions.ParseError:
    return exceptions.ParseError(_("The JSON document is nested more than %(depth)d levels deep.")
                                 % {"depth": MAX_JSON_DEPTH})


def depth_of(data) -> int:
    """How deeply lists and objects nest in parsed JSON, counted without recursion."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_JSON_DEPTH:
                pending.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
    return deepest
