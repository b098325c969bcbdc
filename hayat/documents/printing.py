"""Printing a document: in whose language, issuing and keeping the versions that are kept, and logging the read."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import get_language, gettext, override
from django.utils.translation import gettext as _

from hayat.core import audit, clock, policy
from hayat.core.errors import DomainError
from hayat.core.formats import format_datetime
from hayat.documents.kind import Kind
from hayat.documents.layout import Sheet
from hayat.documents.models import LANGUAGE_CODES, DocumentLanguage, IssuedDocument, Letterhead
from hayat.documents.rendering import render

PDF = "application/pdf"


@dataclass(frozen=True)
class Printed:
    pdf: bytes
    filename: str
    language: str
    issued: IssuedDocument | None = None


def language_for(*, patient_id: int | None, requested: str | None = None) -> str:
    """The language asked for; else the patient's language for documents; else the reader's."""
    if requested in LANGUAGE_CODES:
        return requested
    if patient_id is not None:
        stored = DocumentLanguage.objects.filter(patient_id=patient_id).values_list("language", flat=True).first()
        if stored:
            return stored
    reader = (get_language() or "en").split("-")[0]
    return reader if reader in LANGUAGE_CODES else LANGUAGE_CODES[0]


def print_document(*, kind: Kind, obj, by, language: str | None = None, version: int | None = None) -> Printed:
    """The document as PDF, logged as a read of every patient it shows.

    Kinds that are issued come from the kept copy: the latest version while what they say is unchanged, a new
    version when it changed, or the `version` asked for.
    """
    policy.ensure(by, kind.capability)
    patient_ids = kind.patient_ids(obj)
    language = language_for(patient_id=patient_ids[0] if patient_ids else None, requested=language)
    if version is not None:
        issued = stored_version(kind=kind, obj=obj, version=version, language=language)
    elif kind.issuable and kind.is_final(obj):
        issued = issue(kind=kind, obj=obj, by=by, language=language)
    else:
        issued = None
    if issued is not None:
        pdf, language, reference = bytes(issued.pdf), issued.language, issued.number
    else:
        with override(language):
            sheet = kind.compose(obj)
            if kind.issuable:
                sheet.notice = gettext("Draft: not issued yet.")
            pdf = render_sheet(sheet, language=language)
        reference = sheet.reference
    audit.log_access_many(by=by, patient_ids=patient_ids, what=kind.access_label, obj=obj)
    return Printed(pdf=pdf, filename=f"{kind.slug}-{reference}.pdf".replace("/", "-"), language=language,
                   issued=issued)


def render_sheet(sheet: Sheet, *, language: str) -> bytes:
    return render(sheet, letterhead=Letterhead.current(), language=language, page_label=gettext("page"))


def fingerprint(facts: dict) -> str:
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def issue(*, kind: Kind, obj, by, language: str) -> IssuedDocument:
    """The kept copy of what the document says now, in `language`: reprinted byte for byte while nothing changed.

    The source row is locked so two prints at once issue one version.
    """
    # The row alone (no joins: PostgreSQL locks no outer join's nullable side, MariaDB knows no FOR UPDATE OF)
    list(kind.queryset().model.objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
    obj = kind.get(obj.pk)
    current = fingerprint(kind.facts(obj))
    copies = IssuedDocument.objects.filter(kind=kind.slug, source_id=obj.pk)
    latest = copies.order_by("-version", "id").first()
    if latest is not None and latest.fingerprint == current:
        same = copies.filter(version=latest.version, language=language).first()
        if same is not None:
            return same
        version, replaces = latest.version, latest.replaces
    else:
        version, replaces = (latest.version + 1, latest) if latest else (1, None)
    number = kind.number(obj, version)
    now = clock.now()
    with override(language):
        sheet = kind.compose(obj)
        sheet.reference = number
        sheet.notice = issue_notice(version=version, replaces=replaces, at=now)
        pdf = render_sheet(sheet, language=language)
    issued = IssuedDocument.objects.create(
        kind=kind.slug, source_id=obj.pk, version=version, language=language, number=number, fingerprint=current,
        sha256=hashlib.sha256(pdf).hexdigest(), pdf=pdf, replaces=replaces, patient_id=kind.patient_ids(obj)[0],
        issued_at=now, issued_by=by)
    audit.record("documents.issue", by=by, obj=issued, patient_id=issued.patient_id,
                 changes={"number": number, "version": version, "language": language, "sha256": issued.sha256,
                          "replaces": replaces.number if replaces else ""})
    return issued


def issue_notice(*, version: int, replaces: IssuedDocument | None, at) -> str:
    issued = _("Issued %(when)s, version %(version)s.") % {"when": format_datetime(at), "version": version}
    if replaces is None:
        return issued
    return f"{issued} " + _("Replaces %(number)s.") % {"number": replaces.number}


class VersionNotFound(DomainError):
    code = "version_not_found"
    status = 404


def stored_version(*, kind: Kind, obj, version: int, language: str) -> IssuedDocument:
    """A kept version, in `language` when it was issued in it, else in the language it was issued in first."""
    copies = IssuedDocument.objects.filter(kind=kind.slug, source_id=obj.pk, version=version)
    found = copies.filter(language=language).first() or copies.order_by("id").first()
    if found is None:
        raise VersionNotFound(_("Version %(version)s of this document was never issued.") % {"version": version})
    return found
