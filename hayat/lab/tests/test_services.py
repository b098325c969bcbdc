"""Use cases of the laboratory: results, groups of attachments, deletions, and what they leave behind."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError

from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent
from hayat.lab import services
from hayat.lab.models import Attachment, AttachmentGroup, LabResult
from hayat.lab.tests import samples
from hayat.lab.tests.factories import LabTestTypeFactory, make_patient, make_result

pytestmark = pytest.mark.django_db


def data(by, test_type=None, **changes) -> services.ResultData:
    from hayat.core import clock

    values = {"test_type": test_type, "summary": "Hb 135 g/L, WBC 6.1", "performed_by": by,
              "performed_at": clock.now()}
    values.update(changes)
    return services.ResultData(**values)


def test_a_result_gets_a_short_unique_code_history_and_an_audit_row(doctor, patient, cbc, clock):
    result = services.create_result(by=doctor, patient=patient, data=data(doctor, cbc))
    assert len(result.code) == 6 and set(result.code) <= set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    assert result.created_by == doctor and result.performed_at == clock.now()
    assert result.history.count() == 1 and result.history.first().history_user == doctor
    event = AuditEvent.objects.get(action="lab_result.create")
    assert event.patient_id == patient.pk and event.object_id == str(result.pk)


def test_codes_differ_between_results(doctor, patient, cbc):
    codes = {services.create_result(by=doctor, patient=patient, data=data(doctor, cbc)).code for _ in range(5)}
    assert len(codes) == 5


def test_the_code_is_unique_in_the_database(doctor, patient, cbc):
    first = make_result(by=doctor, patient=patient, test_type=cbc)
    second = make_result(by=doctor, patient=patient, test_type=cbc)
    second.code = first.code
    with pytest.raises(IntegrityError):
        second.save()


@pytest.mark.parametrize("role_fixture", ["admin_user", "receptionist", "teller", "coder"])
def test_only_doctors_and_nurses_record_results(role_fixture, request, patient, cbc, doctor):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        services.create_result(by=user, patient=patient, data=data(doctor, cbc))
    assert not LabResult.objects.exists()


def test_a_nurse_records_a_result_performed_by_a_doctor(nurse, doctor, patient, cbc):
    result = services.create_result(by=nurse, patient=patient, data=data(doctor, cbc))
    assert result.performed_by == doctor and result.created_by == nurse


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"summary": "   "}, "summary", "required"),
    ({"performed_at": None}, "performed_at", "required"),
    ({"test_type": None}, "test_type", "required"),
])
def test_missing_facts_are_named(change, field, code, doctor, patient, cbc):
    values = {"test_type": cbc} | change
    with pytest.raises(DomainError) as refused:
        services.create_result(by=doctor, patient=patient, data=data(doctor, **values))
    assert (refused.value.field, refused.value.code) == (field, code)


def test_a_result_cannot_be_performed_in_the_future_or_before_birth(doctor, cbc, clock):
    patient = make_patient(birth_date=date(2026, 11, 1))
    with pytest.raises(DomainError) as future:
        services.create_result(by=doctor, patient=patient, data=data(doctor, cbc, performed_at=clock.now()
                                                                     + timedelta(hours=1)))
    assert future.value.code == "future"
    with pytest.raises(DomainError) as unborn:
        services.create_result(by=doctor, patient=patient, data=data(doctor, cbc, performed_at=clock.now()
                                                                     - timedelta(days=30)))
    assert unborn.value.code == "before_birth"
    services.create_result(by=doctor, patient=patient, data=data(doctor, cbc, performed_at=clock.now()
                                                                 + timedelta(minutes=2)))


def test_the_performer_must_be_an_active_doctor_or_nurse(doctor, receptionist, make_user, patient, cbc):
    with pytest.raises(DomainError) as clerk:
        services.create_result(by=doctor, patient=patient, data=data(receptionist, cbc))
    assert clerk.value.field == "performed_by"
    gone = make_user("nurse", is_active=False)
    with pytest.raises(DomainError):
        services.create_result(by=doctor, patient=patient, data=data(gone, cbc))


def test_inactive_test_types_and_patients_are_refused_for_new_results(doctor, cbc):
    retired = LabTestTypeFactory(code="OLD", is_active=False)
    with pytest.raises(DomainError) as old_type:
        services.create_result(by=doctor, patient=make_patient(), data=data(doctor, retired))
    assert old_type.value.code == "inactive_test_type"
    with pytest.raises(DomainError) as inactive:
        services.create_result(by=doctor, patient=make_patient(is_active=False), data=data(doctor, cbc))
    assert inactive.value.field == "patient"


def test_an_update_records_what_changed_and_keeps_history(doctor, nurse, patient, cbc):
    result = make_result(by=doctor, patient=patient, test_type=cbc)
    lipids = LabTestTypeFactory(code="LIP", name="Lipid panel")
    services.update_result(by=nurse, result=result, data=data(doctor, lipids, summary="LDL 3.1 mmol/L",
                                                               performed_at=result.performed_at))
    result.refresh_from_db()
    assert result.test_type == lipids and result.updated_by == nurse
    event = AuditEvent.objects.get(action="lab_result.update")
    assert set(event.changes) == {"test_type", "summary"}
    assert [entry.summary for entry in result.history.order_by("history_date")] == [
        "Within normal limits.", "LDL 3.1 mmol/L"]


def test_an_update_without_changes_writes_nothing(doctor, patient, cbc):
    result = make_result(by=doctor, patient=patient, test_type=cbc)
    services.update_result(by=doctor, result=result, data=data(doctor, cbc, summary=result.summary,
                                                               performed_at=result.performed_at))
    assert not AuditEvent.objects.filter(action="lab_result.update").exists()
    assert result.history.count() == 1


def test_an_old_result_keeps_its_retired_test_type_when_edited(doctor, patient, cbc):
    result = make_result(by=doctor, patient=patient, test_type=cbc)
    cbc.is_active = False
    cbc.save()
    services.update_result(by=doctor, result=result, data=data(doctor, cbc, summary="Corrected",
                                                               performed_at=result.performed_at))


def test_a_stale_edit_is_refused(doctor, nurse, patient, cbc):
    result = make_result(by=doctor, patient=patient, test_type=cbc)
    seen = result.updated_at
    services.update_result(by=nurse, result=result, data=data(doctor, cbc, summary="First edit",
                                                              performed_at=result.performed_at), seen_at=seen)
    with pytest.raises(Conflict) as stale:
        services.update_result(by=doctor, result=result, data=data(doctor, cbc, summary="Second edit",
                                                                   performed_at=result.performed_at), seen_at=seen)
    assert stale.value.code == "stale"


def test_a_group_keeps_its_files_in_upload_order_under_the_patient_folder(doctor, patient, cbc):
    result = make_result(by=doctor, patient=patient, test_type=cbc, group=services.GroupData(
        "CBC printout", [samples.pdf("page1.pdf"), samples.jpeg("page2.jpg"), samples.png("page3.png")]))
    group = result.groups.get()
    attachments = list(group.files.all())
    assert [item.original_name for item in attachments] == ["page1.pdf", "page2.jpg", "page3.png"]
    assert [item.position for item in attachments] == [1, 2, 3]
    for item in attachments:
        assert item.file.name.startswith(f"lab/{patient.code}/")
        assert default_storage.exists(item.file.name)
    assert attachments[0].thumbnail.name == ""
    assert default_storage.exists(attachments[1].thumbnail.name)
    assert attachments[2].content_type == "image/png" and attachments[2].size > 0
    later = services.add_group(by=doctor, result=result, group=services.GroupData("Repeat", [samples.png()]))
    assert later.position == 2
    assert [g.description for g in result.groups.all()] == ["CBC printout", "Repeat"]
    assert AuditEvent.objects.filter(action="lab_group.add", patient_id=patient.pk).count() == 2


def test_one_bad_file_refuses_the_whole_group_and_leaves_nothing(doctor, patient, cbc, stored_lab_files):
    before = stored_lab_files()
    result = make_result(by=doctor, patient=patient, test_type=cbc)
    with pytest.raises(DomainError) as refused:
        services.add_group(by=doctor, result=result, group=services.GroupData(
            "Mixed", [samples.png("good.png"), samples.text_as_pdf("fake.pdf"), samples.pdf("real.pdf")]))
    assert refused.value.field == "files" and refused.value.code == "file_type"
    assert "fake.pdf" in refused.value.message and "good.png" not in refused.value.message
    assert not AttachmentGroup.objects.exists() and not Attachment.objects.exists()
    assert stored_lab_files() == before


def test_a_refused_first_group_refuses_the_new_result_too(doctor, patient, cbc, stored_lab_files):
    before = stored_lab_files()
    with pytest.raises(DomainError):
        make_result(by=doctor, patient=patient, test_type=cbc,
                    group=services.GroupData("Scan", [samples.png(), samples.empty()]))
    assert not LabResult.objects.exists()
    assert stored_lab_files() == before


def test_a_failure_while_saving_removes_the_files_already_written(doctor, patient, cbc, stored_lab_files,
                                                                  monkeypatch):
    before = stored_lab_files()
    result = make_result(by=doctor, patient=patient, test_type=cbc)
    real_save = Attachment.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise IntegrityError("disk full, say")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", failing_save)
    with pytest.raises(IntegrityError):
        services.add_group(by=doctor, result=result, group=services.GroupData(
            "Two pictures", [samples.png(), samples.jpeg()]))
    assert not AttachmentGroup.objects.exists()
    assert stored_lab_files() == before


@pytest.mark.parametrize(("group", "field", "code"), [
    (services.GroupData("No files", []), "files", "no_files"),
    (services.GroupData("   ", [samples.png]), "description", "required"),
    (services.GroupData("x" * 501, [samples.png]), "description", "too_long"),
])
def test_groups_need_a_description_and_files(group, field, code, doctor, patient, cbc):
    group.uploads = [make() for make in group.uploads]
    result = make_result(by=doctor, patient=patient, test_type=cbc)
    with pytest.raises(DomainError) as refused:
        services.add_group(by=doctor, result=result, group=group)
    assert (refused.value.field, refused.value.code) == (field, code)


def test_a_group_holds_a_limited_number_of_files(doctor, patient, cbc, settings):
    settings.HAYAT_LAB_MAX_FILES_PER_GROUP = 2
    result = make_result(by=doctor, patient=patient, test_type=cbc)
    with pytest.raises(DomainError) as refused:
        services.add_group(by=doctor, result=result, group=services.GroupData(
            "Too many", [samples.png(), samples.png(), samples.png()]))
    assert refused.value.code == "too_many_files"


def test_a_group_holds_a_limited_total_size_and_a_refused_one_saves_nothing(doctor, patient, cbc, settings,
                                                                          stored_lab_files):
    pages = [samples.pdf("p1.pdf"), samples.png("p2.png"), samples.jpeg("p3.jpg")]
    total = sum(page.size for page in pages)
    settings.HAYAT_UPLOAD_MAX_BYTES = max(page.size for page in pages)  # every file is within its own limit
    settings.HAYAT_UPLOAD_GROUP_MAX_BYTES = total - 1
    before = stored_lab_files()
    with pytest.raises(DomainError) as refused:
        services.create_result(by=doctor, patient=patient, data=data(doctor, cbc),
                               group=services.GroupData("Printout", pages))
    assert (refused.value.code, refused.value.field) == ("group_too_large", "files")
    assert "Upload them in several groups" in refused.value.message
    assert not LabResult.objects.exists() and stored_lab_files() == before
    settings.HAYAT_UPLOAD_GROUP_MAX_BYTES = total
    group = services.create_result(by=doctor, patient=patient, data=data(doctor, cbc),
                                   group=services.GroupData("Printout", pages)).groups.get()
    assert group.files.count() == 3


def test_the_total_size_of_a_group_is_100_mb_unless_configured(settings):
    from hayat.lab import files

    assert files.max_group_bytes() == 100 * 1024 * 1024
    settings.HAYAT_UPLOAD_GROUP_MAX_BYTES = 5 * 1024 * 1024
    assert files.max_group_bytes() == 5 * 1024 * 1024


def test_deleting_a_group_removes_its_rows_now_and_its_files_after_commit(
        doctor, patient, cbc, django_capture_on_commit_callbacks):
    result = make_result(by=doctor, patient=patient, test_type=cbc,
                         group=services.GroupData("Films", [samples.png(), samples.pdf()]))
    group = result.groups.get()
    names = [name for item in group.files.all() for name in (item.file.name, item.thumbnail.name) if name]
    assert len(names) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_group(by=doctor, group=group)
    assert not AttachmentGroup.objects.exists() and not Attachment.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
    event = AuditEvent.objects.get(action="lab_group.delete")
    assert [item["name"] for item in event.changes["group"][0]["files"]] == ["scan.png", "report.pdf"]


def test_deleting_a_file_keeps_the_rest_and_the_last_file_takes_its_group(
        doctor, patient, cbc, django_capture_on_commit_callbacks):
    result = make_result(by=doctor, patient=patient, test_type=cbc,
                         group=services.GroupData("Films", [samples.png(), samples.pdf()]))
    first, second = result.groups.get().files.all()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delete_attachment(by=doctor, attachment=first) is False
    assert not default_storage.exists(first.file.name) and default_storage.exists(second.file.name)
    assert list(result.groups.get().files.all()) == [second]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delete_attachment(by=doctor, attachment=second) is True
    assert not result.groups.exists()
    with pytest.raises(Conflict):
        services.delete_attachment(by=doctor, attachment=second)


def test_deleting_needs_lab_manage(doctor, admin_user, patient, cbc):
    result = make_result(by=doctor, patient=patient, test_type=cbc,
                         group=services.GroupData("Films", [samples.png()]))
    with pytest.raises(PermissionDenied):
        services.delete_group(by=admin_user, group=result.groups.get())
    with pytest.raises(PermissionDenied):
        services.add_group(by=admin_user, result=result, group=services.GroupData("More", [samples.png()]))


def test_test_types_are_kept_by_admins_with_unique_codes_and_names(admin_user, doctor):
    created = services.create_test_type(by=admin_user, code=" ecg ", name="Electrocardiogram")
    assert created.code == "ECG"
    with pytest.raises(DomainError) as taken:
        services.create_test_type(by=admin_user, code="Ecg", name="Another")
    assert taken.value.field == "code"
    services.update_test_type(by=admin_user, test_type=created, code="ECG", name="ECG, 12 leads", is_active=False)
    created.refresh_from_db()
    assert created.name == "ECG, 12 leads" and not created.is_active
    with pytest.raises(PermissionDenied):
        services.create_test_type(by=doctor, code="X", name="X-ray")


def test_files_left_by_a_rolled_back_outer_transaction_are_found_and_removed(doctor, patient, cbc, capsys,
                                                                            settings, tmp_path):
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import transaction

    from hayat.lab.management.commands.lab_orphan_files import orphans

    settings.MEDIA_ROOT = tmp_path  # every test's files are "orphans" once its transaction rolls back
    kept = make_result(by=doctor, patient=patient, test_type=cbc,
                       group=services.GroupData("Kept", [samples.png()])).groups.get().files.get()
    with transaction.atomic():
        make_result(by=doctor, patient=patient, test_type=cbc, group=services.GroupData("Lost", [samples.jpeg()]))
        transaction.set_rollback(True)
    left = orphans(older_than=timedelta(0))
    assert len(left) == 2 and all(name.startswith(f"lab/{patient.code}/") for name in left)
    assert kept.file.name not in left and kept.thumbnail.name not in left
    assert orphans(older_than=timedelta(hours=1)) == []
    call_command("lab_orphan_files", "--delete", "--older-than-minutes", "0")
    assert "2 file(s) deleted" in capsys.readouterr().out
    assert orphans(older_than=timedelta(0)) == [] and default_storage.exists(kept.file.name)


class LockedDatabase:
    """Makes the database refuse the lock `times` times, at the audit row of a new group: after the attempt
    has written its files, as SQLite does when another writer holds the lock too long."""

    def __init__(self, monkeypatch, times: int):
        from hayat.core import audit

        self.left, self.aborted, real = times, 0, audit.record

        def record(action, *args, **kwargs):
            if action == "lab_group.add" and self.left:
                self.left -= 1
                self.aborted += 1
                raise OperationalError("database is locked")
            return real(action, *args, **kwargs)

        monkeypatch.setattr(audit, "record", record)


def stored_names(group: AttachmentGroup) -> set[str]:
    return {name for item in group.files.all() for name in (item.file.name, item.thumbnail.name) if name}


@pytest.mark.django_db(transaction=True)
def test_a_new_result_is_saved_again_after_a_lock_timeout_leaving_only_its_own_files(doctor, patient, cbc,
                                                                                   stored_lab_files, monkeypatch):
    before = stored_lab_files()
    locked = LockedDatabase(monkeypatch, times=2)
    result = services.create_result(by=doctor, patient=patient, data=data(doctor, cbc), group=services.GroupData(
        "Scan", [samples.png(), samples.pdf()]))
    assert locked.aborted == 2
    assert LabResult.objects.count() == 1 and AttachmentGroup.objects.count() == 1 and Attachment.objects.count() == 2
    assert stored_lab_files() - before == stored_names(result.groups.get())


@pytest.mark.django_db(transaction=True)
def test_a_group_is_added_again_after_a_lock_timeout_and_a_lasting_lock_leaves_nothing(doctor, patient, cbc,
                                                                                     stored_lab_files, monkeypatch):
    from hayat.core.transactions import ATTEMPTS

    result = make_result(by=doctor, patient=patient, test_type=cbc)
    before = stored_lab_files()
    LockedDatabase(monkeypatch, times=1)
    group = services.add_group(by=doctor, result=result, group=services.GroupData("Film", [samples.jpeg()]))
    assert stored_lab_files() - before == stored_names(group) and group.files.count() == 1
    before = stored_lab_files()
    locked = LockedDatabase(monkeypatch, times=ATTEMPTS)
    with pytest.raises(OperationalError):
        services.add_group(by=doctor, result=result, group=services.GroupData("Again", [samples.png()]))
    assert locked.aborted == ATTEMPTS
    assert list(result.groups.values_list("description", flat=True)) == ["Film"]
    assert stored_lab_files() == before
