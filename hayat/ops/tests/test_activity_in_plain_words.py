"""The activity log reads in plain words: field labels, record names with links, names instead of ids, and no
change that only wrote one moment in another zone."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from hayat.accounts.models import Department
from hayat.clinical.models import IcdDepartmentMapping
from hayat.core import audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapping(admin_user):
    cardiology = Department.objects.create(code="CARD", name="Cardiology")
    return IcdDepartmentMapping.objects.create(first="I00", last="I99", department=cardiology)


def activity(client_as, admin_user) -> str:
    return client_as(admin_user).get(reverse("ops:activity")).content.decode()


def test_a_record_is_named_with_its_kind_and_fields_by_their_labels(mapping, admin_user, client_as):
    audit.record("icd_mapping.update", by=admin_user, obj=mapping,
                 changes={"department": [None, mapping.department_id], "note": ["", "heart"]})
    page = activity(client_as, admin_user)
    assert "ICD-10 department mapping" in page and "I00–I99" in page
    assert "clinical.IcdDepartmentMapping" not in page and f"department</strong>: – → {mapping.department_id}" \
        not in page
    assert "<strong>Department</strong>: – → Cardiology" in page and "<strong>Note</strong>: – → heart" in page


def test_one_moment_written_in_two_zones_is_no_change(admin_user, client_as, mapping):
    moment = datetime(2026, 12, 6, 9, 10, tzinfo=UTC)
    audit.record("icd_mapping.update", by=admin_user, obj=mapping, changes={
        "created_at": [moment.isoformat(), "2026-12-06T14:10:00+05:00"],
        "note": ["", "moved"]})
    page = activity(client_as, admin_user)
    assert "09:10+00:00" not in page and "14:10+05:00" not in page and "moved" in page


def test_checksums_of_files_are_left_out(admin_user, client_as):
    audit.record("lab.file_add", by=admin_user, changes={"sha256": [None, "ab" * 32], "name": [None, "scan.pdf"]})
    page = activity(client_as, admin_user)
    assert "ab" * 32 not in page and "scan.pdf" in page


def test_a_group_of_files_is_named_by_its_description_and_file_names(admin_user, client_as):
    group = {"id": 10, "description": "CBC printout", "files": [
        {"id": 12, "name": "cbc-report.pdf", "sha256": "cd" * 32, "stored_as": "lab/KCT48/6c76.pdf"}]}
    audit.record("lab_group.add", by=admin_user, changes={"group": [None, group]})
    page = activity(client_as, admin_user)
    assert "CBC printout · cbc-report.pdf" in page and "cd" * 32 not in page and "6c76.pdf" not in page


def test_a_record_deleted_since_says_so(mapping, admin_user, client_as):
    audit.record("icd_mapping.delete", by=admin_user, obj=mapping)
    gone = mapping.pk
    mapping.delete()
    assert f"{gone} (no longer exists)" in activity(client_as, admin_user)
