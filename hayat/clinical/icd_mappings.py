"""Admin's use cases for the ICD-10 → department mapping: add, change and remove a code range.

A change affects the suggestions and checks of episodes coded from then on; episodes already coded keep
the department they were given.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hayat.accounts.models import Department, User
from hayat.clinical.icd import looks_like_code, normalise_code
from hayat.clinical.models import IcdDepartmentMapping
from hayat.core import audit, policy
from hayat.core.errors import Conflict, DomainError


def code_range(first: str, last: str) -> tuple[str, str]:
    """Checked, normalised bounds: `i21` → `I21`; an empty `last` means the one prefix `first`."""
    first, last = normalise_code(first or ""), normalise_code(last or "") or normalise_code(first or "")
    for name, value in (("first", first), ("last", last)):
        if not looks_like_code(value):
            raise DomainError(_("%(value)s is not an ICD-10 code or prefix such as I21 or I21.4.")
                              % {"value": value or "–"}, field=name)
    if first > last:
        raise DomainError(_("The range must start before it ends."), field="last")
    return first, last


def save_mapping(mapping: IcdDepartmentMapping) -> IcdDepartmentMapping:
    try:
        with transaction.atomic():
            mapping.save()
    except IntegrityError as error:
        raise Conflict(_("The range %(range)s is already mapped; change that mapping instead.")
                       % {"range": mapping.label}, field="first") from error
    return mapping


@transaction.atomic
def create_mapping(*, by: User, first: str, last: str, department: Department, note: str = ""
                   ) -> IcdDepartmentMapping:
    policy.ensure(by, "icd.manage_mapping")
    first, last = code_range(first, last)
    mapping = save_mapping(IcdDepartmentMapping(first=first, last=last, department=department,
                                                note=note.strip()[:200], created_by=by))
    audit.record("icd_mapping.create", by=by, obj=mapping,
                 changes={"range": [None, mapping.label], "department": [None, department.pk]})
    return mapping


@transaction.atomic
def update_mapping(*, by: User, mapping: IcdDepartmentMapping, first: str, last: str, department: Department,
                   note: str = "") -> IcdDepartmentMapping:
    policy.ensure(by, "icd.manage_mapping")
    mapping = IcdDepartmentMapping.objects.select_for_update().get(pk=mapping.pk)
    before = {"range": mapping.label, "department": mapping.department_id, "note": mapping.note}
    mapping.first, mapping.last = code_range(first, last)
    mapping.department, mapping.note = department, note.strip()[:200]
    save_mapping(mapping)
    after = {"range": mapping.label, "department": mapping.department_id, "note": mapping.note}
    audit.record("icd_mapping.update", by=by, obj=mapping, changes=audit.changes_between(before, after))
    return mapping


@transaction.atomic
def delete_mapping(*, by: User, mapping: IcdDepartmentMapping) -> None:
    policy.ensure(by, "icd.manage_mapping")
    audit.record("icd_mapping.delete", by=by, obj=mapping,
                 changes={"range": [mapping.label, None], "department": [mapping.department_id, None]})
    IcdDepartmentMapping.objects.filter(pk=mapping.pk).delete()
