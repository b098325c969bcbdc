"""A nurse records a lab result in the browser, uploads a group of files, sees the album and edits the result."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hayat.core.roles import Role
from hayat.lab.models import LabResult
from hayat.lab.tests import samples
from hayat.lab.tests.factories import LabTestTypeFactory, make_patient


@pytest.mark.django_db(transaction=True)
def test_record_a_result_upload_a_group_and_edit_with_the_pencil(make_user, page, log_in, screenshot):
    nurse = make_user(Role.NURSE, user_id="e2e-nurse", full_name="Nargiza Nurse")
    LabTestTypeFactory(code="CBC", name="Complete blood count")
    LabTestTypeFactory(code="UA", name="Urinalysis")
    patient = make_patient("Shahnoza", "Yusupova")
    log_in(nurse)

    page.goto(reverse("lab:result_list"))
    page.keyboard.press("n")
    page.wait_for_url("**/lab/new/")
    page.fill(".picker-input", "yusup")
    page.locator(f"[data-pick-id='{patient.pk}']").click()
    page.select_option("#id_test_type", label="Complete blood count")
    page.fill("#id_summary", "Hb 128 g/L, WBC 6.4")
    screenshot("lab-1-new")
    page.click("#create-result")
    page.wait_for_selector("#result-card")
    result = LabResult.objects.get()
    assert result.code in page.inner_text("h1 + .badge")
    assert page.get_attribute("#result-card", "data-mode") == "view"

    page.click("#add-files")
    page.wait_for_selector("#add-files-modal[data-open]")
    page.fill("#group-form input[name=description]", "CBC printout, two pages")
    page.set_input_files("#group-form input[type=file]", files=[
        {"name": "page-1.png", "mimeType": "image/png", "buffer": samples.picture_bytes("PNG", (400, 300))},
        {"name": "page-2.pdf", "mimeType": "application/pdf", "buffer": samples.pdf_bytes()},
    ])
    assert "page-2.pdf" in page.inner_text("#group-form [data-chosen-files]")
    screenshot("lab-2-modal")
    page.click("#upload-group")
    page.wait_for_selector("#add-files-modal", state="hidden")
    album = page.locator("#album")
    assert album.locator(".lab-tile").count() == 2
    assert "CBC printout, two pages" in album.inner_text()
    assert album.locator("img").first.evaluate("img => img.complete && img.naturalWidth > 0")
    assert album.locator(".fa-file-pdf").count() == 1
    page.wait_for_selector("#toasts:has-text('Added 2 file(s)')")

    page.locator("#album a[data-viewer]").first.click()
    page.wait_for_selector("#lab-viewer[data-open]")
    assert page.locator("#lab-viewer [data-viewer-image]").evaluate("img => img.src").endswith(
        reverse("lab:attachment_file", args=[result.groups.get().files.first().pk]))
    screenshot("lab-3-viewer")
    page.keyboard.press("Escape")
    page.wait_for_selector("#lab-viewer", state="hidden")

    page.click("#edit-result")
    page.wait_for_selector("#save-result")
    assert page.get_attribute("#result-card", "data-mode") == "edit"
    page.select_option("#id_test_type", label="Urinalysis")
    page.fill("#id_summary", "Protein trace, no leukocytes")
    screenshot("lab-4-edit")
    page.click("#save-result")
    page.wait_for_selector("#edit-result")
    assert page.get_attribute("#result-card", "data-mode") == "view"
    assert page.inner_text("#result-card [data-value=summary]") == "Protein trace, no leukocytes"
    assert "Urinalysis" in page.inner_text("#result-card [data-value=test_type]")
    assert page.locator("#result-history [data-history]").count() == 2
    page.wait_for_selector("#toasts:has-text('Changes saved.')")
    result.refresh_from_db()
    assert result.summary == "Protein trace, no leukocytes" and result.test_type.code == "UA"

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#album [data-delete-file]").first.click()
    expect(page.locator("#album .lab-tile")).to_have_count(1)
    page.wait_for_selector("#toasts:has-text('Deleted page-1.png')")
    screenshot("lab-5-after-delete")

    page.goto(reverse("lab:result_list"))
    page.fill("#lab-search", patient.code)
    page.wait_for_selector(f"#result-rows:has-text('{result.code}')")
    page.fill("#lab-search", "nobody-matches-this")
    page.wait_for_selector("#result-rows:has-text('No lab result matches')")
    page.fill("#lab-search", "")
    page.wait_for_selector(f"#result-rows [data-result='{result.pk}']")
    screenshot("lab-6-list")
