"""The laboratory pages: list and live search, a result in view and edit mode, the album, downloads."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from hayat.core.models import AccessLogEntry
from hayat.lab import services
from hayat.lab.models import Attachment, AttachmentGroup, LabResult
from hayat.lab.tests import samples
from hayat.lab.tests.factories import LabTestTypeFactory, make_patient, make_result

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def result(doctor, patient, cbc):
    return make_result(by=doctor, patient=patient, test_type=cbc, summary="Hb 135 g/L",
                       group=services.GroupData("CBC printout", [samples.png("page1.png"), samples.pdf("page2.pdf")]))


def rows(response) -> str:
    return response.content.decode()


def test_the_list_finds_results_by_id_code_patient_name_and_patient_code(doctor, client_as, cbc):
    karimov = make_result(by=doctor, test_type=cbc, patient=make_patient("Aziz", "Karimov"))
    yusupova = make_result(by=doctor, test_type=cbc, patient=make_patient("Dilnoza", "Yusupova"))
    client = client_as(doctor)
    url = reverse("lab:result_list")

    def found(query: str) -> set[str]:
        page = rows(client.get(url, {"q": query}, **HTMX))
        return {result.code for result in (karimov, yusupova) if result.code in page}

    assert found(str(karimov.pk)) == {karimov.code}
    assert found(f"#{yusupova.pk}") == {yusupova.code}
    assert found(karimov.code.lower()) == {karimov.code}
    assert found("karim") == {karimov.code}
    assert found("Юсупова") == {yusupova.code}
    assert found("dilnoza yusupova") == {yusupova.code}
    assert found(yusupova.patient.code) == {yusupova.code}
    assert found("nobody") == set()


def test_the_live_search_answers_htmx_with_the_rows_only(doctor, client_as, result):
    client = client_as(doctor)
    partial = rows(client.get(reverse("lab:result_list"), {"q": result.code}, **HTMX))
    assert "<html" not in partial and result.code in partial
    full = rows(client.get(reverse("lab:result_list")))
    assert 'data-shortcut="search"' in full and 'data-shortcut="new"' in full and 'hx-get=' in full
    assert "delay:300ms" in full


def test_the_list_filters_by_test_type_dates_and_patient(doctor, client_as, cbc, clock):
    ecg = LabTestTypeFactory(code="ECG", name="Electrocardiogram")
    old = make_result(by=doctor, test_type=cbc, performed_at=clock.now() - timedelta(days=10))
    new = make_result(by=doctor, test_type=ecg)
    client = client_as(doctor)
    url = reverse("lab:result_list")
    by_type = rows(client.get(url, {"test_type": ecg.pk}, **HTMX))
    assert new.code in by_type and old.code not in by_type
    by_date = rows(client.get(url, {"to": (clock.now() - timedelta(days=5)).date().isoformat()}, **HTMX))
    assert old.code in by_date and new.code not in by_date
    by_patient = rows(client.get(url, {"patient": old.patient_id}, **HTMX))
    assert old.code in by_patient and new.code not in by_patient
    nonsense = client.get(url, {"test_type": "x", "from": "not-a-date", "patient": "-3"})
    assert nonsense.status_code == 200


def test_the_list_has_a_constant_query_count(doctor, client_as, cbc, django_assert_max_num_queries):
    client = client_as(doctor)
    make_result(by=doctor, test_type=cbc, group=services.GroupData("Scan", [samples.png()]))
    with django_assert_max_num_queries(9) as few:
        client.get(reverse("lab:result_list"))
    for _ in range(15):
        make_result(by=doctor, test_type=cbc, group=services.GroupData("Scan", [samples.png(), samples.pdf()]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = rows(client.get(reverse("lab:result_list")))
    assert page.count("data-result=") == 16


def test_the_result_page_shows_the_album_and_logs_the_access(doctor, nurse, client_as, result, patient):
    client = client_as(nurse)
    page = rows(client.get(reverse("lab:result_detail", args=[result.pk])))
    assert result.code in page and "CBC printout" in page and "page1.png" in page and "page2.pdf" in page
    first, second = result.groups.get().files.all()
    assert reverse("lab:attachment_thumbnail", args=[first.pk]) in page
    assert "fa-file-pdf" in page
    assert 'id="edit-result"' in page and 'data-mode="view"' in page
    entry = AccessLogEntry.objects.get(what="lab result")
    assert entry.patient_id == patient.pk and entry.actor_id == nurse.pk


def test_the_result_page_has_a_constant_query_count(doctor, client_as, result, django_assert_max_num_queries):
    client = client_as(doctor)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("lab:result_detail", args=[result.pk]))
    for index in range(4):
        services.add_group(by=doctor, result=result, group=services.GroupData(
            f"Group {index}", [samples.png(), samples.jpeg(), samples.pdf()]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = rows(client.get(reverse("lab:result_detail", args=[result.pk])))
    assert page.count('class="lab-tile') == 14


def test_an_admin_sees_results_without_pencil_upload_or_delete(admin_user, client_as, result):
    page = rows(client_as(admin_user).get(reverse("lab:result_detail", args=[result.pk])))
    assert result.code in page
    assert 'id="edit-result"' not in page and 'id="add-files"' not in page and "data-delete-group" not in page


def test_the_pencil_turns_the_same_form_into_edit_mode_and_saving_returns_to_view_mode(doctor, client_as, result):
    client = client_as(doctor)
    edit = rows(client.get(reverse("lab:result_edit", args=[result.pk]), **HTMX, HTTP_HX_TARGET="result-card"))
    assert 'id="result-card"' in edit and 'data-mode="edit"' in edit and 'id="save-result"' in edit
    form = {"test_type": result.test_type_id, "performed_by": result.performed_by_id,
            "performed_at": result.performed_at.strftime("%Y-%m-%dT%H:%M"), "summary": "Hb 128 g/L, corrected",
            "seen_at": result.updated_at.isoformat()}
    saved = client.post(reverse("lab:result_edit", args=[result.pk]), form, **HTMX)
    body = rows(saved)
    assert 'data-mode="view"' in body and "Hb 128 g/L, corrected" in body
    assert json.loads(saved["HX-Trigger"])["toast"]["level"] == "success"
    result.refresh_from_db()
    assert result.summary == "Hb 128 g/L, corrected"


def test_saving_a_new_test_type_refreshes_the_page_heading_too(doctor, client_as, result):
    urinalysis = LabTestTypeFactory(code="UA", name="Urinalysis")
    form = {"test_type": urinalysis.pk, "performed_by": result.performed_by_id,
            "performed_at": result.performed_at.strftime("%Y-%m-%dT%H:%M"), "summary": result.summary,
            "seen_at": result.updated_at.isoformat()}
    body = rows(client_as(doctor).post(reverse("lab:result_edit", args=[result.pk]), form, **HTMX))
    heading = body[body.index('id="result-heading"'):]
    assert heading.startswith('id="result-heading" hx-swap-oob="true"')
    assert '<h1 class="h3 mb-0">Urinalysis</h1>' in heading and result.code in heading


def test_an_invalid_edit_stays_in_edit_mode_with_the_reason(doctor, client_as, result, clock):
    client = client_as(doctor)
    form = {"test_type": result.test_type_id, "performed_by": result.performed_by_id,
            "performed_at": (clock.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"), "summary": "x",
            "seen_at": result.updated_at.isoformat()}
    body = rows(client.post(reverse("lab:result_edit", args=[result.pk]), form, **HTMX))
    assert "in the future" in body and 'id="save-result"' in body


def test_a_stale_edit_is_refused_on_the_page(doctor, nurse, client_as, result):
    seen = result.updated_at.isoformat()
    services.update_result(by=nurse, result=result, data=services.ResultData(
        test_type=result.test_type, summary="Changed meanwhile", performed_by=result.performed_by,
        performed_at=result.performed_at))
    form = {"test_type": result.test_type_id, "performed_by": result.performed_by_id,
            "performed_at": result.performed_at.strftime("%Y-%m-%dT%H:%M"), "summary": "Mine", "seen_at": seen}
    body = rows(client_as(doctor).post(reverse("lab:result_edit", args=[result.pk]), form, **HTMX))
    assert "Someone else changed this result" in body
    result.refresh_from_db()
    assert result.summary == "Changed meanwhile"


def test_editing_without_htmx_works_through_the_page(doctor, client_as, result):
    client = client_as(doctor)
    opened = client.get(reverse("lab:result_edit", args=[result.pk]))
    assert opened.status_code == 302 and opened["Location"].endswith("?edit=1")
    assert 'id="save-result"' in rows(client.get(opened["Location"]))
    form = {"test_type": result.test_type_id, "performed_by": result.performed_by_id,
            "performed_at": result.performed_at.strftime("%Y-%m-%dT%H:%M"), "summary": "Plain form"}
    assert client.post(reverse("lab:result_edit", args=[result.pk]), form).status_code == 302
    result.refresh_from_db()
    assert result.summary == "Plain form"


def test_a_new_result_with_its_first_group_of_files(nurse, doctor, client_as, patient, cbc, clock):
    client = client_as(nurse)
    page = client.get(reverse("lab:result_create"), {"patient": patient.pk})
    assert patient.code in rows(page)
    response = client.post(reverse("lab:result_create"), {
        "patient": patient.pk, "test_type": cbc.pk, "performed_by": doctor.pk,
        "performed_at": clock.now().strftime("%Y-%m-%dT%H:%M"), "summary": "WBC 6.1",
        "description": "Printout", "files": [samples.png("a.png"), samples.jpeg("b.jpg")],
    })
    result = LabResult.objects.get()
    assert response.status_code == 302 and response["Location"] == result.get_absolute_url()
    assert [item.original_name for item in Attachment.objects.order_by("position")] == ["a.png", "b.jpg"]
    assert result.performed_by == doctor and result.created_by == nurse


def test_a_new_result_with_a_bad_file_is_not_recorded(nurse, client_as, patient, cbc, clock, stored_lab_files):
    before = stored_lab_files()
    response = client_as(nurse).post(reverse("lab:result_create"), {
        "patient": patient.pk, "test_type": cbc.pk, "performed_by": nurse.pk,
        "performed_at": clock.now().strftime("%Y-%m-%dT%H:%M"), "summary": "WBC 6.1",
        "description": "Printout", "files": [samples.png("a.png"), samples.html_as_png("evil.png")],
    })
    assert response.status_code == 200 and "evil.png is not a file type" in rows(response)
    assert not LabResult.objects.exists() and stored_lab_files() == before


def test_a_new_result_without_a_patient_says_so(nurse, client_as, cbc, clock):
    response = client_as(nurse).post(reverse("lab:result_create"), {
        "test_type": cbc.pk, "performed_by": nurse.pk, "performed_at": clock.now().strftime("%Y-%m-%dT%H:%M"),
        "summary": "WBC 6.1", "patient": "999999"})
    assert response.status_code == 200 and "Choose an active patient." in rows(response)


def test_adding_a_group_from_the_modal_returns_the_album_and_closes_the_dialog(doctor, client_as, result):
    client = client_as(doctor)
    modal = rows(client.get(reverse("lab:group_add", args=[result.pk]), **HTMX))
    assert 'id="group-form"' in modal and "<html" not in modal
    response = client.post(reverse("lab:group_add", args=[result.pk]),
                           {"description": "Repeat test", "files": [samples.webp(), samples.tiff()]}, **HTMX)
    assert response["HX-Retarget"] == "#album" and response["HX-Reswap"] == "outerHTML"
    events = json.loads(response["HX-Trigger"])
    assert "lab:group-added" in events and events["toast"]["level"] == "success"
    body = rows(response)
    assert body.index("CBC printout") < body.index("Repeat test")
    assert "photo.webp" in body and "film.tiff" in body


def test_a_refused_group_stays_in_the_modal_with_the_reason(doctor, client_as, result, settings, stored_lab_files):
    settings.HAYAT_UPLOAD_MAX_BYTES = 50
    before = stored_lab_files()
    response = client_as(doctor).post(reverse("lab:group_add", args=[result.pk]),
                                      {"description": "Too big", "files": [samples.png()]}, **HTMX)
    assert "HX-Retarget" not in response
    assert 'id="group-form"' in rows(response) and "the limit is 50" in rows(response)
    assert result.groups.count() == 1 and stored_lab_files() == before


def test_the_upload_forms_state_the_total_limit_and_a_larger_group_stays_in_the_modal(doctor, client_as, result,
                                                                                     settings):
    settings.HAYAT_UPLOAD_GROUP_MAX_BYTES = 3 * 1024 * 1024
    client = client_as(doctor)
    assert "3.0\xa0MB together" in rows(client.get(reverse("lab:group_add", args=[result.pk]), **HTMX))
    assert "3.0\xa0MB together" in rows(client.get(reverse("lab:result_create")))
    settings.HAYAT_UPLOAD_GROUP_MAX_BYTES = samples.png().size
    response = client.post(reverse("lab:group_add", args=[result.pk]),
                           {"description": "Two", "files": [samples.png(), samples.pdf()]}, **HTMX)
    assert "HX-Retarget" not in response and "Upload them in several groups" in rows(response)
    assert result.groups.count() == 1


def test_adding_a_group_without_htmx_has_its_own_page(doctor, client_as, result):
    client = client_as(doctor)
    assert 'id="group-form"' in rows(client.get(reverse("lab:group_add", args=[result.pk])))
    empty = client.post(reverse("lab:group_add", args=[result.pk]), {"description": "Nothing"})
    assert empty.status_code == 200 and "Choose at least one file." in rows(empty)
    done = client.post(reverse("lab:group_add", args=[result.pk]), {"description": "One", "files": [samples.pdf()]})
    assert done.status_code == 302 and result.groups.count() == 2


def test_deleting_a_file_and_a_group_from_the_album(doctor, client_as, result, django_capture_on_commit_callbacks):
    client = client_as(doctor)
    first, second = result.groups.get().files.all()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lab:attachment_delete", args=[first.pk]), **HTMX)
    assert response["HX-Retarget"] == "#album" and "page1.png" not in rows(response) and "page2.pdf" in rows(response)
    group = result.groups.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lab:group_delete", args=[group.pk]), **HTMX)
    assert 'id="album-empty"' in rows(response)
    assert not AttachmentGroup.objects.exists()
    again = client.post(reverse("lab:group_delete", args=[group.pk]), **HTMX)
    assert again.status_code == 404


def test_deleting_asks_for_confirmation_naming_the_file_or_the_group(doctor, client_as, result):
    page = rows(client_as(doctor).get(reverse("lab:result_detail", args=[result.pk])))
    assert page.count("data-delete-file=") == 2 and page.count("data-delete-group=") == 1
    assert page.count("hx-confirm=") == 3
    assert 'hx-confirm="Delete page1.png? This cannot be undone."' in page
    assert 'hx-confirm="Delete the whole group “CBC printout” and all its files? This cannot be undone."' in page


def test_deleting_needs_a_post(doctor, client_as, result):
    group = result.groups.get()
    assert client_as(doctor).get(reverse("lab:group_delete", args=[group.pk])).status_code == 405
    assert AttachmentGroup.objects.filter(pk=group.pk).exists()


def test_a_download_is_permission_checked_and_access_logged(nurse, receptionist, client_as, client, result, patient):
    attachment = result.groups.get().files.get(content_type="application/pdf")
    url = reverse("lab:attachment_file", args=[attachment.pk])
    response = client_as(nurse).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline") and "page2.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(what="lab attachment", patient_id=patient.pk, actor_id=nurse.pk).exists()
    download = client.get(url, {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment")
    client.logout()
    assert client_as(receptionist).get(url).status_code == 404


def test_patient_files_have_no_public_address(doctor, client_as, api_as, result, settings):
    picture = result.groups.get().files.get(content_type="image/png")
    stored = [picture.file.name, picture.thumbnail.name]
    client = client_as(doctor)
    page = rows(client.get(reverse("lab:result_detail", args=[result.pk])))
    api = api_as(doctor).get(reverse("lab-result-detail", args=[result.pk])).content.decode()
    for name in stored:
        assert name not in page and name not in api
        for prefix in (settings.MEDIA_URL, "/media/", "/static/"):
            assert client.get(f"{prefix}{name}").status_code == 404, prefix


RECORD_PAGES = [("lab:result_detail", "result", "GET"), ("lab:result_edit", "result", "GET"),
                ("lab:group_add", "result", "GET"), ("lab:group_delete", "group", "POST"),
                ("lab:attachment_file", "file", "GET"), ("lab:attachment_thumbnail", "file", "GET"),
                ("lab:attachment_delete", "file", "POST")]


@pytest.mark.parametrize(("route", "record", "method"), RECORD_PAGES, ids=[route for route, *_ in RECORD_PAGES])
def test_a_lab_record_is_invisible_to_roles_without_lab_access(route, record, method, request, client_as, result):
    group = result.groups.get()
    pk = {"result": result.pk, "group": group.pk, "file": group.files.first().pk}[record]
    url = reverse(route, args=[pk])
    for role in ("receptionist", "teller", "coder"):
        client = client_as(request.getfixturevalue(role))
        response = client.get(url) if method == "GET" else client.post(url)
        assert response.status_code == 404, role
        client.logout()
    manage = route not in {"lab:result_detail", "lab:attachment_file", "lab:attachment_thumbnail"}
    admin = client_as(request.getfixturevalue("admin_user"))
    answer = admin.get(url) if method == "GET" else admin.post(url)
    assert answer.status_code == (403 if manage else 200)
    assert result.groups.get().files.count() == 2


def test_files_browsers_cannot_show_are_always_downloaded(doctor, client_as, result):
    group = services.add_group(by=doctor, result=result, group=services.GroupData("Film", [samples.dicom("x.dcm")]))
    attachment = group.files.get()
    response = client_as(doctor).get(reverse("lab:attachment_file", args=[attachment.pk]))
    assert response["Content-Disposition"].startswith("attachment") and response["Content-Type"] == "application/dicom"


def test_thumbnails_are_cached_privately_and_missing_ones_are_404(doctor, client_as, result):
    picture, document = result.groups.get().files.all()
    client = client_as(doctor)
    response = client.get(reverse("lab:attachment_thumbnail", args=[picture.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private, max-age=")
    assert client.get(reverse("lab:attachment_thumbnail", args=[document.pk])).status_code == 404
    assert client.get(reverse("lab:attachment_file", args=[999999])).status_code == 404


def test_a_file_missing_from_disk_is_a_404_not_a_500(doctor, client_as, result):
    attachment = result.groups.get().files.first()
    attachment.file.storage.delete(attachment.file.name)
    assert client_as(doctor).get(reverse("lab:attachment_file", args=[attachment.pk])).status_code == 404


def test_the_patient_section_lists_the_patients_results(doctor, patient, cbc, result, rf,
                                                        django_assert_max_num_queries):
    from django.template.loader import render_to_string

    from hayat.lab.patient_sections import SECTIONS

    section = SECTIONS[0]
    with django_assert_max_num_queries(1):
        context = section.load(patient, doctor)
    assert [item.code for item in context["lab_results"]] == [result.code]
    assert context["lab_results"][0].file_count == 2 and context["lab_can_manage"] is True
    html = render_to_string(section.template, {"section": context, "request": rf.get("/")})
    assert result.code in html and f"?patient={patient.pk}" in html and "Hb 135 g/L" in html


def test_the_dashboard_panel_shows_recent_results(doctor, client_as, result, receptionist):
    page = rows(client_as(doctor).get(reverse("web:dashboard")))
    assert "Laboratory" in page and result.code in page


def test_admins_keep_the_test_types(admin_user, doctor, client_as, client):
    admin = client_as(admin_user)
    assert admin.post(reverse("lab:test_type_create"), {"code": "ua", "name": "Urinalysis",
                                                        "is_active": "on"}).status_code == 302
    page = rows(admin.get(reverse("lab:test_type_list")))
    assert "UA" in page and "Urinalysis" in page
    taken = admin.post(reverse("lab:test_type_create"), {"code": "UA", "name": "Another"})
    assert "already used" in rows(taken)
    client.logout()
    assert client_as(doctor).get(reverse("lab:test_type_list")).status_code == 403
