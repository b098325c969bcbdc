"""Every change to lab results and their attachments: one use case per function, audited.

Uploads are checked completely before anything is written. Files are then stored first and the rows
inserted after, inside one transaction; if anything fails, the files written so far are removed again,
so a refused or failed upload leaves nothing on disk or in the database. A transaction the database
aborts (a lock it could not get) runs again from the start, after removing the files of the aborted
attempt. Deleted files leave the disk only after the deleting transaction has committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from hayat.core import audit, clock, policy
from hayat.core.codes import insert_with_unique_code
from hayat.core.errors import Conflict, DomainError
from hayat.core.transactions import retrying_atomic
from hayat.lab import files
from hayat.lab.models import CODE_LENGTH, Attachment, AttachmentGroup, LabResult, LabTestType
from hayat.stays.models import GuestLine

RESULT_FIELDS = ("test_type", "summary", "performed_by", "performed_at", "episode", "booking")
TEST_TYPE_FIELDS = ("code", "name", "is_active")
DESCRIPTION_MAX = 500
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass
class ResultData:
    test_type: LabTestType
    summary: str
    performed_by: object
    performed_at: datetime
    episode: object = None
    booking: object = None


@dataclass
class GroupData:
    description: str
    uploads: Sequence = field(default_factory=list)


@dataclass
class CheckedGroup:
    description: str
    files: list[files.CheckedFile]


def create_result(*, by, patient, data: ResultData, group: GroupData | None = None) -> LabResult:
    """Records a new result with a fresh short code, and its first attachment group when one is given."""
    policy.ensure(by, "lab.manage")
    checked = check_group(group) if group is not None else None
    with files.StoredFiles() as stored:
        return insert_result(by=by, patient=patient, data=data, checked=checked, stored=stored)


@retrying_atomic
def insert_result(*, by, patient, data: ResultData, checked: CheckedGroup | None,
                  stored: files.StoredFiles) -> LabResult:
    stored.discard()  # the files of an attempt the database aborted
    check_patient(patient)
    check_result(patient=patient, data=data, previous_test_type=None)
    result = LabResult(patient=patient, created_by=by, updated_by=by, **result_values(data))
    result._history_user = by
    insert_with_unique_code(result, "code", CODE_LENGTH)
    audit.record("lab_result.create", by=by, obj=result, patient_id=patient.pk,
                 changes=audit.changes_between({}, audit.snapshot(result, RESULT_FIELDS)))
    if checked is not None:
        store_group(by=by, result=result, checked=checked, stored=stored)
    return result


@retrying_atomic
def update_result(*, by, result: LabResult, data: ResultData, seen_at: datetime | None = None) -> LabResult:
    """Changes what the result says. `seen_at` (the `updated_at` the editor loaded) refuses a stale save."""
    policy.ensure(by, "lab.manage")
    result = LabResult.objects.select_for_update().select_related("patient").get(pk=result.pk)
    if seen_at is not None and abs(result.updated_at - seen_at) >= timedelta(milliseconds=1):
        raise Conflict(_("Someone else changed this result after you opened it. Reload the page and try again."),
                       code="stale")
    check_result(patient=result.patient, data=data, previous_test_type=result.test_type_id)
    before = audit.snapshot(result, RESULT_FIELDS)
    for name, value in result_values(data).items():
        setattr(result, name, value)
    changes = audit.changes_between(before, audit.snapshot(result, RESULT_FIELDS))
    if not changes:
        return result
    result.updated_by = by
    result._history_user = by
    result.save()
    audit.record("lab_result.update", by=by, obj=result, patient_id=result.patient_id, changes=changes)
    return result


def add_group(*, by, result: LabResult, group: GroupData) -> AttachmentGroup:
    """Adds one group (a description and its files) after the existing ones."""
    policy.ensure(by, "lab.manage")
    checked = check_group(group)
    with files.StoredFiles() as stored:
        return insert_group(by=by, result=result, checked=checked, stored=stored)


@retrying_atomic
def insert_group(*, by, result: LabResult, checked: CheckedGroup, stored: files.StoredFiles) -> AttachmentGroup:
    stored.discard()  # the files of an attempt the database aborted
    result = LabResult.objects.select_for_update().select_related("patient").get(pk=result.pk)
    return store_group(by=by, result=result, checked=checked, stored=stored)


@retrying_atomic
def delete_group(*, by, group: AttachmentGroup) -> None:
    """Removes a whole group and its files."""
    policy.ensure(by, "lab.manage")
    result = LabResult.objects.select_for_update().get(pk=group.result_id)
    group = AttachmentGroup.objects.filter(pk=group.pk, result=result).first()
    if group is None:
        raise Conflict(_("This group was already deleted."), code="gone")
    attachments = list(group.files.all())
    audit.record("lab_group.delete", by=by, obj=result, patient_id=result.patient_id,
                 changes={"group": [group_record(group, attachments), None]})
    Attachment.objects.filter(group=group).delete()
    group.delete()
    remove_after_commit(attachments)


@retrying_atomic
def delete_attachment(*, by, attachment: Attachment) -> bool:
    """Removes one file. The last file of a group takes the group with it (no empty albums); returns
    True when that happened."""
    policy.ensure(by, "lab.manage")
    group = AttachmentGroup.objects.select_related("result").filter(pk=attachment.group_id).first()
    if group is None:
        raise Conflict(_("This file was already deleted."), code="gone")
    result = LabResult.objects.select_for_update().get(pk=group.result_id)
    attachment = Attachment.objects.filter(pk=attachment.pk, group=group).first()
    if attachment is None:
        raise Conflict(_("This file was already deleted."), code="gone")
    remaining = group.files.exclude(pk=attachment.pk).count()
    audit.record("lab_file.delete", by=by, obj=result, patient_id=result.patient_id,
                 changes={"file": [file_record(attachment) | {"group": group.description}, None]})
    attachment.delete()
    if remaining == 0:
        group.delete()
    remove_after_commit([attachment])
    return remaining == 0


@retrying_atomic
def create_test_type(*, by, code: str, name: str, is_active: bool = True) -> LabTestType:
    policy.ensure(by, "lab.test_types")
    test_type = LabTestType(code=code.strip().upper(), name=name.strip(), is_active=is_active)
    save_test_type(test_type)
    audit.record("lab_test_type.create", by=by, obj=test_type,
                 changes=audit.changes_between({}, audit.snapshot(test_type, TEST_TYPE_FIELDS)))
    return test_type


@retrying_atomic
def update_test_type(*, by, test_type: LabTestType, code: str, name: str, is_active: bool) -> LabTestType:
    policy.ensure(by, "lab.test_types")
    test_type = LabTestType.objects.select_for_update().get(pk=test_type.pk)
    before = audit.snapshot(test_type, TEST_TYPE_FIELDS)
    test_type.code, test_type.name, test_type.is_active = code.strip().upper(), name.strip(), is_active
    save_test_type(test_type)
    changes = audit.changes_between(before, audit.snapshot(test_type, TEST_TYPE_FIELDS))
    if changes:
        audit.record("lab_test_type.update", by=by, obj=test_type, changes=changes)
    return test_type


# Rules


def check_group(group: GroupData) -> CheckedGroup:
    """Checks the description and every file; one bad file refuses the whole group."""
    description = (group.description or "").strip()
    if not description:
        raise DomainError(_("Describe what these files are."), field="description", code="required")
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(_("Keep the description under %(count)s characters.") % {"count": DESCRIPTION_MAX},
                          field="description", code="too_long")
    uploads = list(group.uploads or [])
    if not uploads:
        raise DomainError(_("Choose at least one file."), field="files", code="no_files")
    if len(uploads) > files.max_files_per_group():
        raise DomainError(
            _("A group holds at most %(count)s files; you chose %(chosen)s.")
            % {"count": files.max_files_per_group(), "chosen": len(uploads)},
            field="files", code="too_many_files",
        )
    total = sum(upload.size or 0 for upload in uploads)
    if total > files.max_group_bytes():
        raise DomainError(
            _("These files come to %(total)s together; one group holds at most %(limit)s. Upload them in "
              "several groups.") % {"total": filesizeformat(total), "limit": filesizeformat(files.max_group_bytes())},
            field="files", code="group_too_large",
        )
    checked, problems = [], []
    for upload in uploads:
        try:
            checked.append(files.check_upload(upload))
        except ValidationError as error:
            problems.append(error)
    if problems:
        raise DomainError(" ".join(message for error in problems for message in error.messages),
                          field="files", code=problems[0].code or "invalid_file")
    return CheckedGroup(description=description, files=checked)


def check_patient(patient) -> None:
    if patient is None:
        raise DomainError(_("Choose the patient."), field="patient", code="required")
    if getattr(patient, "is_active", True) is False:
        raise DomainError(_("This patient is inactive; reactivate the record before adding results."),
                          field="patient", code="inactive_patient")


def check_result(*, patient, data: ResultData, previous_test_type: int | None) -> None:
    if data.test_type is None:
        raise DomainError(_("Choose the test type."), field="test_type", code="required")
    if not data.test_type.is_active and data.test_type.pk != previous_test_type:
        raise DomainError(_("The test type %(name)s is no longer in use.") % {"name": data.test_type},
                          field="test_type", code="inactive_test_type")
    if not (data.summary or "").strip():
        raise DomainError(_("Write the result summary."), field="summary", code="required")
    performer = data.performed_by
    if performer is None:
        raise DomainError(_("Choose who performed the test."), field="performed_by", code="required")
    if not performer.is_active or performer.role not in policy.roles_for("lab.manage"):
        raise DomainError(_("%(name)s cannot be recorded as performing lab tests.") % {"name": performer},
                          field="performed_by", code="invalid_performer")
    performed_at = data.performed_at
    if performed_at is None:
        raise DomainError(_("Enter when the test was performed."), field="performed_at", code="required")
    if performed_at > clock.now() + FUTURE_TOLERANCE:
        raise DomainError(_("The test cannot have been performed in the future."), field="performed_at",
                          code="future")
    birth_date = getattr(patient, "birth_date", None)
    if birth_date and timezone.localtime(performed_at).date() < birth_date:
        raise DomainError(_("The test cannot have been performed before the patient was born."),
                          field="performed_at", code="before_birth")
    check_links(patient, data)


def check_links(patient, data: ResultData) -> None:
    """An episode or stay linked to a result must be the same patient's."""
    if data.episode is not None and data.episode.patient_id != patient.pk:
        raise DomainError(_("Episode %(episode)s is not this patient's.") % {"episode": data.episode},
                          field="episode", code="other_patient")
    if data.booking is not None and not GuestLine.objects.filter(
            booking=data.booking, patient_id=patient.pk, removed_at__isnull=True).exists():
        raise DomainError(_("Patient %(patient)s is not a guest of stay %(booking)s.")
                          % {"patient": patient, "booking": data.booking}, field="booking", code="other_patient")


def result_values(data: ResultData) -> dict:
    return {"test_type": data.test_type, "summary": data.summary.strip(), "performed_by": data.performed_by,
            "performed_at": data.performed_at, "episode": data.episode, "booking": data.booking}


def save_test_type(test_type: LabTestType) -> None:
    if not test_type.code or not test_type.name:
        raise DomainError(_("A test type needs a code and a name."), field="code" if not test_type.code else "name")
    for name in ("code", "name"):
        value = getattr(test_type, name)
        if LabTestType.objects.filter(**{f"{name}__iexact": value}).exclude(pk=test_type.pk).exists():
            raise DomainError(_("%(value)s is already used by another test type.") % {"value": value},
                              field=name, code="taken")
    try:
        with transaction.atomic():
            test_type.save()
    except IntegrityError as error:
        raise DomainError(_("That code or name is already used by another test type."), code="taken") from error


# Storage


def store_group(*, by, result: LabResult, checked: CheckedGroup, stored: files.StoredFiles) -> AttachmentGroup:
    """Writes the files, then the rows; `result` must be locked (or new) in the caller's transaction."""
    last = result.groups.aggregate(last=Max("position"))["last"] or 0
    group = AttachmentGroup.objects.create(result=result, position=last + 1, description=checked.description,
                                           uploaded_by=by, uploaded_at=clock.now())
    attachments = []
    for position, item in enumerate(checked.files, start=1):
        name = stored.save(files.new_name(result.patient.code, item.kind), item.upload)
        thumbnail = ""
        if item.kind.is_picture:
            picture = files.make_thumbnail(item.upload)
            if picture is not None:
                thumbnail = stored.save(files.thumbnail_name(name), picture)
        attachments.append(Attachment(group=group, position=position, file=name, thumbnail=thumbnail,
                                      original_name=item.original_name, content_type=item.kind.content_type,
                                      size=item.size, sha256=item.sha256))
    for attachment in attachments:
        attachment.save(force_insert=True)
    audit.record("lab_group.add", by=by, obj=result, patient_id=result.patient_id,
                 changes={"group": [None, group_record(group, attachments)]})
    return group


def remove_after_commit(attachments: list[Attachment]) -> None:
    names = [name for attachment in attachments for name in (attachment.file.name, attachment.thumbnail.name) if name]

    def remove() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(remove)


def group_record(group: AttachmentGroup, attachments: list[Attachment]) -> dict:
    return {"id": group.pk, "description": group.description, "files": [file_record(item) for item in attachments]}


def file_record(attachment: Attachment) -> dict:
    return {"id": attachment.pk, "name": attachment.original_name, "type": attachment.content_type,
            "size": attachment.size, "sha256": attachment.sha256, "stored_as": attachment.file.name}
