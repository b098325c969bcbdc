"""Texts of messages written by Admin, rendered by a Django template engine that can only show the values given.

The engine has no tag libraries and no loaders: a text may print `{{ value }}`, test it with `{% if %}` and use a
few filters; `{% load %}`, `{% include %}`, `{% extends %}`, `{% url %}` and the like are refused when the text is
saved, and names other than the kind's values are refused too.
"""

from __future__ import annotations

from django import template
from django.template import Context, Engine, TemplateSyntaxError, defaultfilters, defaulttags
from django.template.base import VariableNode
from django.utils.translation import gettext as _

from hayat.core.errors import DomainError

library = template.Library()
library.tag("if", defaulttags.do_if)
for name in ("default", "upper", "lower", "capfirst"):
    library.filter(name, getattr(defaultfilters, name))


class SandboxedEngine(Engine):
    default_builtins: list[str] = []  # Django's own tags (load, include, url, debug...) are not there


ENGINE = SandboxedEngine(loaders=[], libraries={}, autoescape=False, string_if_invalid="")
ENGINE.template_builtins = [library]


class TextRefused(DomainError):
    code = "message_text_refused"


def compile_text(text: str, *, allowed: tuple[str, ...], field: str = "") -> template.Template:
    """The text as a template, or TextRefused naming what it may not use."""
    try:
        compiled = ENGINE.from_string(text)
    except TemplateSyntaxError as error:
        raise TextRefused(_("This text cannot be used: %(error)s") % {"error": error}, field=field) from error
    unknown = sorted({node.filter_expression.var.var for node in compiled.nodelist.get_nodes_by_type(VariableNode)
                      if isinstance(node.filter_expression.var, template.Variable)}
                     - set(allowed), key=str)
    if unknown:
        raise TextRefused(_("Unknown values: %(names)s. Use: %(allowed)s.")
                          % {"names": ", ".join(unknown), "allowed": ", ".join(allowed)}, field=field)
    return compiled


def render_text(text: str, *, values: dict[str, str], allowed: tuple[str, ...]) -> str:
    """Renders `text` with nothing but `values` (plain strings, so no attribute leads anywhere)."""
    compiled = compile_text(text, allowed=allowed)
    return compiled.render(Context({name: str(values.get(name, "")) for name in allowed}, autoescape=False)).strip()
