"""Uploads are judged by their content: the allowed kinds pass, everything else is refused by name."""

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from hayat.lab import files
from hayat.lab.tests import samples


@pytest.mark.parametrize(("upload", "content_type", "extension"), [
    (samples.pdf, "application/pdf", "pdf"),
    (samples.jpeg, "image/jpeg", "jpg"),
    (samples.png, "image/png", "png"),
    (samples.webp, "image/webp", "webp"),
    (samples.tiff, "image/tiff", "tiff"),
    (samples.dicom, "application/dicom", "dcm"),
])
def test_each_allowed_kind_is_recognised_by_its_content(upload, content_type, extension):
    checked = files.check_upload(upload())
    assert checked.kind.content_type == content_type
    assert checked.kind.extension == extension
    assert len(checked.sha256) == 64


def test_the_name_and_the_browser_type_are_ignored():
    disguised = samples.upload("report.pdf", samples.picture_bytes("PNG"), "application/pdf")
    assert files.check_upload(disguised).kind.content_type == "image/png"


@pytest.mark.parametrize(("upload", "code"), [
    (samples.text_as_pdf, "file_type"),
    (samples.html_as_png, "file_type"),
    (samples.program_as_jpeg, "file_type"),
    (samples.truncated_png, "broken_picture"),
    (samples.truncated_pdf, "broken_pdf"),
    (samples.empty, "empty_file"),
])
def test_files_that_are_not_what_they_claim_are_refused_with_their_name(upload, code):
    bad = upload()
    with pytest.raises(ValidationError) as refused:
        files.check_upload(bad)
    assert refused.value.code == code
    assert bad.name in refused.value.messages[0]


def test_a_gif_is_a_picture_but_not_one_lab_results_accept():
    with pytest.raises(ValidationError) as refused:
        files.check_upload(samples.upload("anim.gif", samples.picture_bytes("GIF"), "image/gif"))
    assert refused.value.code == "file_type"


def test_a_file_over_the_limit_is_refused(settings):
    settings.HAYAT_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        files.check_upload(samples.png(size=(200, 200)))
    assert refused.value.code == "too_large"
    assert "100" in refused.value.messages[0]


def test_a_picture_with_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError) as refused:
        files.check_upload(samples.png(size=(100, 100)))
    assert refused.value.code == "too_many_pixels"


def test_stored_names_are_generated_under_the_patient_folder():
    kind = files.kind_of("image/png")
    name = files.new_name("AB3CD", kind)
    assert name.startswith("lab/AB3CD/") and name.endswith(".png")
    assert len(name.rsplit("/", 1)[1]) == len("0123456789abcdef0123456789abcdef.png")
    assert files.new_name("AB3CD", kind) != name
    assert files.folder_for("../../etc") == "lab/etc"
    assert files.thumbnail_name(name).endswith(".thumb.jpg")


def test_the_original_name_loses_any_folder_and_control_characters():
    assert files.original_name(samples.upload("C:\\Users\\x\\scan\x07.png", b"x")) == "scan.png"
    assert files.original_name(samples.upload("../../passwd", b"x")) == "passwd"


def test_download_names_carry_the_extension_of_the_real_type():
    png, jpeg = files.kind_of("image/png"), files.kind_of("image/jpeg")
    assert files.download_name("scan.PNG", png) == "scan.PNG"
    assert files.download_name("report.pdf", png) == "report.png"
    assert files.download_name("photo.jpeg", jpeg) == "photo.jpeg"
    assert files.download_name("noextension", png) == "noextension.png"


def test_thumbnails_are_small_jpegs_even_of_transparent_pictures():
    transparent = samples.upload("alpha.png", samples.picture_bytes("PNG", (800, 400), "RGBA", (0, 0, 0, 0)))
    thumbnail = files.make_thumbnail(transparent)
    with Image.open(thumbnail) as image:
        assert image.format == "JPEG"
        assert max(image.size) <= max(files.THUMBNAIL_SIZE)
