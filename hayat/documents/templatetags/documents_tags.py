"""Template pieces of documents that other apps' pages include: the print menu of a record."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import reverse

from hayat.core.policy import can
from hayat.documents.kinds import KINDS

register = template.Library()


@dataclass(frozen=True)
class PrintLink:
    label: str
    url: str
    slug: str


@register.simple_tag
def print_links(user, slugs: str, record) -> list[PrintLink]:
    """{% print_links user "invoice receipt" bill as links %}: the documents of `record` this user may print."""
    if record is None or record.pk is None:
        return []
    return [PrintLink(str(kind.label), reverse(f"documents:{kind.slug.replace('-', '_')}", kwargs={"pk": record.pk}),
                      kind.slug)
            for kind in (KINDS[slug] for slug in slugs.split()) if can(user, kind.capability)]


@register.simple_tag
def document_languages() -> list[tuple[str, str]]:
    return settings.LANGUAGES
