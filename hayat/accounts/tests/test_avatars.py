"""Profile pictures: stored as clean pictures under generated names, served only as images."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hayat.accounts import services
from hayat.accounts.tests.images import gif_bytes, huge_png_bytes, png_bytes, png_upload
from hayat.core.errors import DomainError

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>alert(document.cookie)</script>"


def served(client, user):
    response = client.get(reverse("accounts:avatar", args=[user.pk]))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_a_picture_named_html_with_a_script_appended_is_stored_as_a_clean_gif(nurse, client_as):
    upload = SimpleUploadedFile("a.html", gif_bytes() + SCRIPT, content_type="text/html")
    services.set_avatar(by=nurse, user=nurse, upload=upload)
    nurse.refresh_from_db()
    assert nurse.avatar.name.startswith("avatars/") and nurse.avatar.name.endswith(".gif")
    assert "a.html" not in nurse.avatar.name
    response, body = served(client_as(nurse), nurse)
    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert SCRIPT not in body
    assert Image.open(BytesIO(body)).format == "GIF"


def test_the_stored_picture_is_written_again_without_metadata_and_shrunk(nurse):
    buffer = BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "taken at Ward 3, bed 12"  # ImageDescription
    Image.new("RGB", (2000, 1000), (10, 120, 200)).save(buffer, format="JPEG", exif=exif)
    services.set_avatar(by=nurse, user=nurse, upload=SimpleUploadedFile("me.jpeg", buffer.getvalue()))
    nurse.refresh_from_db()
    with nurse.avatar.open("rb") as stored, Image.open(stored) as picture:
        assert picture.format == "JPEG" and max(picture.size) == services.AVATAR_MAX_SIDE
        assert dict(picture.getexif()) == {}
    assert nurse.avatar.name.endswith(".jpg")


def test_a_picture_whose_name_lies_gets_the_extension_of_its_real_format(nurse):
    services.set_avatar(by=nurse, user=nurse, upload=SimpleUploadedFile("photo.jpg", png_bytes()))
    nurse.refresh_from_db()
    assert nurse.avatar.name.endswith(".png")


def test_an_old_avatar_stored_with_an_html_name_is_served_as_the_picture_it_is(nurse, client_as):
    nurse.avatar.name = nurse.avatar.storage.save("avatars/legacy.html", ContentFile(gif_bytes() + SCRIPT))
    nurse.save(update_fields=["avatar"])
    response, _body = served(client_as(nurse), nurse)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_old_avatar_that_is_no_picture_at_all_is_not_served(nurse, client_as):
    nurse.avatar.name = nurse.avatar.storage.save("avatars/legacy.html", ContentFile(b"<html>" + SCRIPT))
    nurse.save(update_fields=["avatar"])
    response = client_as(nurse).get(reverse("accounts:avatar", args=[nurse.pk]))
    assert response.status_code == 404
    assert SCRIPT.decode() not in response.content.decode()


def test_a_new_picture_replaces_the_old_file(nurse, django_capture_on_commit_callbacks):
    services.set_avatar(by=nurse, user=nurse, upload=png_upload())
    nurse.refresh_from_db()
    first = nurse.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        services.set_avatar(by=nurse, user=nurse, upload=png_upload("again.png"))
    nurse.refresh_from_db()
    assert nurse.avatar.name != first
    assert not nurse.avatar.storage.exists(first) and nurse.avatar.storage.exists(nurse.avatar.name)


def test_a_picture_with_too_many_pixels_is_refused_with_a_message(nurse):
    bomb = SimpleUploadedFile("bomb.png", huge_png_bytes(), content_type="image/png")
    assert bomb.size < 100 * 1024
    with pytest.raises(DomainError) as refused:
        services.set_avatar(by=nurse, user=nurse, upload=bomb)
    assert refused.value.field == "avatar" and "million pixels" in refused.value.message
    nurse.refresh_from_db()
    assert not nurse.avatar


def test_the_profile_page_answers_a_pixel_bomb_with_a_message_not_a_server_error(nurse, client_as):
    bomb = SimpleUploadedFile("bomb.png", huge_png_bytes(), content_type="image/png")
    response = client_as(nurse).post(reverse("accounts:profile"), {"upload_avatar": "1", "avatar": bomb})
    assert response.status_code == 200
    assert "million pixels" in response.content.decode()
