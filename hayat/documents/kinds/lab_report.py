"""The lab result report: the result, then every attached file in upload order, each PDF with all its pages and
each picture on a page of its own (other systems print only the first page of an attachment)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from hayat.core.formats import format_datetime
from hayat.documents.kind import Kind
from hayat.documents.kinds.common import patient_rows
from hayat.documents.layout import Attachment, Sheet, facts, grid, heading, paragraphs, signature_lines
from hayat.lab.models import Attachment as LabFile
from hayat.lab.models import AttachmentGroup, LabResult


def queryset():
    files = Prefetch("files", queryset=LabFile.objects.order_by("position", "id"))
    groups = Prefetch("groups", queryset=AttachmentGroup.objects.order_by("position", "id").prefetch_related(files))
    return LabResult.objects.select_related("patient", "test_type", "performed_by", "episode",
                                            "booking").prefetch_related(groups)


def printable(file: LabFile) -> bool:
    return file.content_type == "application/pdf" or file.kind.is_picture


def compose(result: LabResult) -> Sheet:
    files = [(group, file) for group in result.groups.all() for file in group.files.all()]
    story = [
        facts(patient_rows(result.patient), columns=2), heading(_("Test")),
        facts([(_("Test"), f"{result.test_type.name} ({result.test_type.code})"), (_("Result code"), result.code),
               (_("Performed"), format_datetime(result.performed_at)),
               (_("Performed by"), result.performed_by.full_name),
               (_("Case number"), result.episode.case_number if result.episode_id else ""),
               (_("Booking"), result.booking.number if result.booking_id else "")], columns=2),
        heading(_("Result")), *paragraphs(result.summary),
    ]
    if files:
        story += [heading(_("Attached files")), grid(
            [_("No."), _("File"), _("Group"), _("Printed")],
            [[str(index), file.original_name, group.description,
              _("appended") if printable(file) else _("open it in Hayat: it cannot be printed")]
             for index, (group, file) in enumerate(files, start=1)], widths=[0.06, 0.36, 0.36, 0.22])]
    story.append(signature_lines([_("Performed by")]))
    attachments = [Attachment(caption=_("Attachment %(number)s of %(count)s: %(name)s") % {
        "number": index, "count": len(files), "name": file.original_name}, open=file.file.open,
        is_pdf=file.content_type == "application/pdf")
        for index, (_group, file) in enumerate(files, start=1) if printable(file)]
    return Sheet(title=_("Laboratory result"), reference=result.code, story=story, attachments=attachments)


KIND = Kind(
    slug="lab-report", label=gettext_lazy("Lab result report"), access_label=gettext_noop("lab result report"),
    capability="lab.view", queryset=queryset, patient_ids=lambda result: [result.patient_id], compose=compose,
)
