"""What makes a kind of document: where it comes from, who may print it, whose record it shows, how it is composed,
and (for the documents that are issued and kept) the facts whose change makes a new version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from hayat.documents.layout import Sheet


@dataclass(frozen=True)
class Kind:
    slug: str
    label: Promise
    # stored in English in the access log, shown in the reader's language there (gettext_noop)
    access_label: str
    capability: str
    queryset: Callable[[], QuerySet]
    patient_ids: Callable[[Any], list[int]]
    compose: Callable[[Any], Sheet]
    # Issued documents only: the facts (language-free, JSON-able) a version is made of, its number, and whether
    # the record is final enough to issue (before that, a print is a draft and nothing is kept).
    facts: Callable[[Any], dict] | None = None
    number: Callable[[Any, int], str] | None = None
    is_final: Callable[[Any], bool] = lambda obj: True

    @property
    def issuable(self) -> bool:
        return self.facts is not None

    def get(self, pk: int) -> Model:
        return self.queryset().get(pk=pk)
