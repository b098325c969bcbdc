"""The lab API: results with groups, one-request group uploads, deletions, downloads, permissions."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from hayat.core.models import AccessLogEntry
from hayat.lab import services
from hayat.lab.models import Attachment, AttachmentGroup, LabResult
from hayat.lab.tests import samples
from hayat.lab.tests.factories import make_patient, make_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def result(doctor, patient, cbc):
    return make_result(by=doctor, patient=patient, test_type=cbc, summary="Hb 135 g/L")


def groups_url(result) -> str:
    return reverse("lab-result-groups", args=[result.pk])


def test_create_returns_the_result_with_its_code_and_defaults(api_as, nurse, patient, cbc, clock):
    response = api_as(nurse).post(reverse("lab-result-list"), {
        "patient": patient.pk, "test_type": cbc.pk, "summary": "WBC 6.1"}, format="json")
    assert response.status_code == 201, response.data
    body = response.json()
    assert len(body["code"]) == 6 and body["patient"]["code"] == patient.code
    assert body["performed_by"]["id"] == nurse.pk and body["groups"] == []
    assert body["test_type"] == {"id": cbc.pk, "code": "CBC", "name": "Complete blood count", "is_active": True}


def test_create_refuses_bad_input_with_field_errors(api_as, nurse, patient, cbc, clock):
    api = api_as(nurse)
    missing = api.post(reverse("lab-result-list"), {"patient": patient.pk}, format="json")
    assert missing.status_code == 400 and {"test_type", "summary"} <= set(missing.json()["errors"])
    future = api.post(reverse("lab-result-list"), {
        "patient": patient.pk, "test_type": cbc.pk, "summary": "x",
        "performed_at": (clock.now() + timedelta(days=1)).isoformat()}, format="json")
    assert future.status_code == 400 and future.json()["code"] == "future"
    assert future.json()["errors"] == {"performed_at": [future.json()["detail"]]}
    assert not LabResult.objects.exists()


def test_upload_one_group_of_many_files_in_one_request(api_as, doctor, result):
    response = api_as(doctor).post(groups_url(result), {
        "description": "CBC printout", "files": [samples.pdf("p1.pdf"), samples.png("p2.png"), samples.jpeg("p3.jpg")],
    }, format="multipart")
    assert response.status_code == 201, response.json()
    (group,) = response.json()["groups"]
    assert group["description"] == "CBC printout" and group["uploaded_by"]["id"] == doctor.pk
    assert [item["original_name"] for item in group["files"]] == ["p1.pdf", "p2.png", "p3.jpg"]
    assert [item["content_type"] for item in group["files"]] == ["application/pdf", "image/png", "image/jpeg"]
    assert group["files"][0]["thumbnail_url"] is None and group["files"][1]["thumbnail_url"]
    assert group["files"][0]["download_url"] == reverse("lab-file-download", args=[group["files"][0]["id"]])


def test_files_may_also_be_sent_as_files_brackets(api_as, doctor, result):
    response = api_as(doctor).post(groups_url(result), {
        "description": "Scans", "files[]": [samples.png(), samples.webp()]}, format="multipart")
    assert response.status_code == 201
    assert len(response.json()["groups"][0]["files"]) == 2


@pytest.mark.parametrize(("files", "code"), [
    (lambda: [samples.png(), samples.text_as_pdf()], "file_type"),
    (lambda: [samples.program_as_jpeg()], "file_type"),
    (lambda: [samples.truncated_png()], "broken_picture"),
    (lambda: [samples.empty()], "empty_file"),
    (lambda: [], "no_files"),
])
def test_bad_groups_are_refused_whole_and_leave_nothing(files, code, api_as, doctor, result, stored_lab_files):
    before = stored_lab_files()
    response = api_as(doctor).post(groups_url(result), {"description": "Bad", "files": files()}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and "files" in body["errors"]
    assert not AttachmentGroup.objects.exists() and not Attachment.objects.exists()
    assert stored_lab_files() == before


def test_an_oversized_file_is_refused(api_as, doctor, result, settings, stored_lab_files):
    settings.HAYAT_UPLOAD_MAX_BYTES = 1024
    before = stored_lab_files()
    response = api_as(doctor).post(groups_url(result), {
        "description": "Big", "files": [samples.pdf(), samples.png(size=(400, 400))]}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "too_large"
    assert "scan.png" in response.json()["detail"]
    assert not AttachmentGroup.objects.exists() and stored_lab_files() == before


def test_a_group_larger_than_the_total_limit_is_refused_and_stores_nothing(api_as, doctor, result, settings,
                                                                         stored_lab_files):
    settings.HAYAT_UPLOAD_GROUP_MAX_BYTES = samples.png().size + samples.pdf().size - 1
    before = stored_lab_files()
    response = api_as(doctor).post(groups_url(result), {
        "description": "Both", "files": [samples.png(), samples.pdf()]}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "group_too_large"
    assert list(response.json()["errors"]) == ["files"]
    assert not AttachmentGroup.objects.exists() and stored_lab_files() == before


def test_too_many_files_and_a_missing_description_are_refused(api_as, doctor, result, settings):
    settings.HAYAT_LAB_MAX_FILES_PER_GROUP = 1
    api = api_as(doctor)
    many = api.post(groups_url(result), {"description": "Two", "files": [samples.png(), samples.png()]},
                    format="multipart")
    assert many.status_code == 400 and many.json()["code"] == "too_many_files"
    blank = api.post(groups_url(result), {"description": "", "files": [samples.png()]}, format="multipart")
    assert blank.status_code == 400 and "description" in blank.json()["errors"]


def test_retrieve_returns_groups_in_upload_order_and_logs_access(api_as, doctor, nurse, result, patient):
    services.add_group(by=doctor, result=result, group=services.GroupData("First", [samples.png()]))
    services.add_group(by=doctor, result=result, group=services.GroupData("Second", [samples.pdf(), samples.png()]))
    body = api_as(nurse).get(reverse("lab-result-detail", args=[result.pk])).json()
    assert [group["description"] for group in body["groups"]] == ["First", "Second"]
    assert [group["position"] for group in body["groups"]] == [1, 2]
    assert AccessLogEntry.objects.filter(what="lab result", patient_id=patient.pk, actor_id=nurse.pk).count() == 1


def test_list_searches_by_code_patient_name_and_id(api_as, doctor, cbc):
    karimov = make_result(by=doctor, test_type=cbc, patient=make_patient("Aziz", "Karimov"))
    other = make_result(by=doctor, test_type=cbc, patient=make_patient("Lola", "Saidova"))
    api = api_as(doctor)

    def codes(**query) -> list[str]:
        return [item["code"] for item in api.get(reverse("lab-result-list"), query).json()["results"]]

    assert codes(search="karimov") == [karimov.code]
    assert codes(q=other.code) == [other.code]
    assert codes(search=str(other.pk)) == [other.code]
    assert codes(patient=karimov.patient_id) == [karimov.code]
    assert sorted(codes()) == sorted([karimov.code, other.code])
    bad = api.get(reverse("lab-result-list"), {"performed_from": "yesterday"})
    assert bad.status_code == 400 and "performed_from" in bad.json()["errors"]


def test_list_has_a_constant_query_count(api_as, doctor, cbc, django_assert_max_num_queries):
    api = api_as(doctor)
    make_result(by=doctor, test_type=cbc)
    with django_assert_max_num_queries(8) as few:
        api.get(reverse("lab-result-list"))
    for _ in range(12):
        make_result(by=doctor, test_type=cbc, group=services.GroupData("Scan", [samples.png()]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get(reverse("lab-result-list")).json()
    assert body["count"] == 13 and {item["file_count"] for item in body["results"]} == {0, 1}


def test_update_and_partial_update(api_as, doctor, nurse, result):
    api = api_as(nurse)
    patched = api.patch(reverse("lab-result-detail", args=[result.pk]), {"summary": "Hb 140 g/L"}, format="json")
    assert patched.status_code == 200 and patched.json()["summary"] == "Hb 140 g/L"
    assert patched.json()["performed_by"]["id"] == doctor.pk
    stale = api.patch(reverse("lab-result-detail", args=[result.pk]),
                      {"summary": "Late", "seen_at": result.updated_at.isoformat()}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    put = api.put(reverse("lab-result-detail", args=[result.pk]),
                  {"test_type": result.test_type_id, "summary": "Full", "performed_by": doctor.pk,
                   "performed_at": result.performed_at.isoformat()}, format="json")
    assert put.status_code == 200 and put.json()["summary"] == "Full"


def test_delete_a_file_and_a_group(api_as, doctor, result, django_capture_on_commit_callbacks):
    api = api_as(doctor)
    body = api.post(groups_url(result), {"description": "Two", "files": [samples.png(), samples.pdf()]},
                    format="multipart").json()
    first, second = body["groups"][0]["files"]
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(reverse("lab-file-detail", args=[first["id"]])).status_code == 204
    assert Attachment.objects.count() == 1
    group_id = body["groups"][0]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(reverse("lab-group-detail", args=[group_id])).status_code == 204
    assert not AttachmentGroup.objects.exists()
    assert api.delete(reverse("lab-group-detail", args=[group_id])).status_code == 404


def test_download_is_permission_checked_and_access_logged(api_as, doctor, nurse, receptionist, result, patient):
    group = services.add_group(by=doctor, result=result, group=services.GroupData("Doc", [samples.pdf("r.pdf")]))
    attachment = group.files.get()
    url = reverse("lab-file-download", args=[attachment.pk])
    response = api_as(nurse).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == samples.pdf_bytes()
    assert 'attachment; filename="r.pdf"' == response["Content-Disposition"]
    assert AccessLogEntry.objects.filter(what="lab attachment", patient_id=patient.pk).count() == 1
    details = api_as(nurse).get(reverse("lab-file-detail", args=[attachment.pk]))
    assert details.status_code == 200 and details.json()["original_name"] == "r.pdf"
    assert AccessLogEntry.objects.filter(what="lab attachment", patient_id=patient.pk, actor_id=nurse.pk,
                                         path=reverse("lab-file-detail", args=[attachment.pk])).count() == 1
    assert api_as(receptionist).get(url).status_code == 404
    assert api_as(None).get(url).status_code == 401


@pytest.mark.parametrize("accept", ["*/*", "application/pdf", "image/jpeg"])
def test_a_refused_download_explains_itself_in_json_whatever_was_accepted(api_as, doctor, receptionist, result,
                                                                          accept):
    group = services.add_group(by=doctor, result=result, group=services.GroupData("Doc", [samples.pdf("r.pdf")]))
    attachment = group.files.get()
    for name in ("lab-file-download", "lab-file-thumbnail"):
        response = api_as(receptionist).get(reverse(name, args=[attachment.pk]), HTTP_ACCEPT=accept)
        assert response.status_code == 404
        assert json.loads(response.content)["code"] == "not_found"
        anonymous = api_as(None).get(reverse(name, args=[attachment.pk]), HTTP_ACCEPT=accept)
        assert json.loads(anonymous.content)["code"] == "not_authenticated"


@pytest.mark.parametrize(("role_fixture", "refusal"),
                         [("admin_user", 403), ("receptionist", 404), ("teller", 404), ("coder", 404)])
def test_only_doctors_and_nurses_upload_or_delete(role_fixture, refusal, request, api_as, doctor, result):
    """Admin sees lab records but may not change them (403); to roles without lab access they do not exist."""
    user = request.getfixturevalue(role_fixture)
    group = services.add_group(by=doctor, result=result, group=services.GroupData("Doc", [samples.pdf()]))
    api = api_as(user)
    assert api.post(groups_url(result), {"description": "x", "files": [samples.png()]},
                    format="multipart").status_code == refusal
    assert api.delete(reverse("lab-group-detail", args=[group.pk])).status_code == refusal
    assert api.delete(reverse("lab-file-detail", args=[group.files.get().pk])).status_code == refusal
    assert api.patch(reverse("lab-result-detail", args=[result.pk]), {"summary": "x"},
                     format="json").status_code == refusal
    assert result.groups.count() == 1 and group.files.count() == 1


def test_reading_needs_lab_view_and_records_are_invisible_without_it(api_as, receptionist, admin_user, doctor,
                                                                     result):
    group = services.add_group(by=doctor, result=result, group=services.GroupData("Scan", [samples.png()]))
    attachment = group.files.get()
    assert api_as(receptionist).get(reverse("lab-result-list")).status_code == 403
    answer = api_as(receptionist).get(reverse("lab-result-detail", args=[result.pk]))
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    for url in (reverse("lab-file-detail", args=[attachment.pk]), reverse("lab-file-thumbnail", args=[attachment.pk]),
                reverse("lab-file-download", args=[attachment.pk])):
        assert api_as(receptionist).get(url).status_code == 404, url
    missing = api_as(receptionist).get(reverse("lab-result-detail", args=[result.pk + 1000]))
    assert missing.status_code == 404
    assert api_as(admin_user).get(reverse("lab-result-detail", args=[result.pk])).status_code == 200


def test_test_types_are_read_by_the_lab_and_kept_by_admin(api_as, admin_user, doctor, cbc):
    assert [item["code"] for item in api_as(doctor).get(reverse("lab-test-type-list")).json()] == ["CBC"]
    assert api_as(doctor).post(reverse("lab-test-type-list"), {"code": "X", "name": "X"}).status_code == 403
    created = api_as(admin_user).post(reverse("lab-test-type-list"), {"code": "ua", "name": "Urinalysis"},
                                      format="json")
    assert created.status_code == 201 and created.json()["code"] == "UA"
    clash = api_as(admin_user).post(reverse("lab-test-type-list"), {"code": "UA", "name": "Other"}, format="json")
    assert clash.status_code == 400 and "code" in clash.json()["errors"]


def test_the_schema_documents_the_lab_endpoints(api_as, doctor):
    schema = api_as(doctor).get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/lab-results/{id}/groups/" in schema["paths"]
    assert "multipart/form-data" in schema["paths"]["/api/lab-results/{id}/groups/"]["post"]["requestBody"]["content"]
