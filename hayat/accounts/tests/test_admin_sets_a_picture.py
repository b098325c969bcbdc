"""Admin sets a user's profile picture from the user's page; nobody else may."""

import pytest
from django.urls import reverse

from hayat.accounts.models import User
from hayat.accounts.tests.images import png_upload
from hayat.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_admin_sets_a_users_picture(admin_user, nurse, client_as):
    client = client_as(admin_user)
    assert 'id="user-picture"' in client.get(reverse("accounts:user_edit", args=[nurse.pk])).content.decode()
    response = client.post(reverse("accounts:user_set_avatar", args=[nurse.pk]), {"avatar": png_upload()})
    assert response.status_code == 302
    assert User.objects.get(pk=nurse.pk).avatar
    assert AuditEvent.objects.filter(action="user.avatar", actor_id=admin_user.pk).exists()


def test_a_file_that_is_no_picture_is_refused_with_a_message(admin_user, nurse, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("a.png", b"<html>not a picture</html>", content_type="image/png")
    response = client_as(admin_user).post(reverse("accounts:user_set_avatar", args=[nurse.pk]), {"avatar": fake},
                                          follow=True)
    assert response.status_code == 200 and not User.objects.get(pk=nurse.pk).avatar


def test_a_receptionist_cannot_set_another_users_picture(receptionist, nurse, client_as):
    response = client_as(receptionist).post(reverse("accounts:user_set_avatar", args=[nurse.pk]),
                                            {"avatar": png_upload()})
    assert response.status_code in (403, 404) and not User.objects.get(pk=nurse.pk).avatar
