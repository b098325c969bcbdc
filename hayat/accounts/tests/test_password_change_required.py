"""A password an administrator reset is only a way in: the user must choose their own at the next login."""

import pytest
from django.test import Client
from django.urls import reverse

from hayat.accounts import services
from hayat.accounts.models import User

pytestmark = pytest.mark.django_db

RESET = "temporary-Pass-2026"
OWN = "my-own-Secret-2026"


def signed_in(user, password: str) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": user.user_id, "password": password}).status_code == 302
    return client


def test_after_a_reset_every_page_leads_to_choosing_a_new_password(admin_user, nurse, client_as):
    response = client_as(admin_user).post(reverse("accounts:user_reset_password", args=[nurse.pk]),
                                          {"new_password": RESET, "change_at_next_login": "on"})
    assert response.status_code == 302 and User.objects.get(pk=nurse.pk).must_change_password
    client = signed_in(nurse, RESET)
    page = client.get(reverse("web:dashboard"))
    assert page.status_code == 302 and page["Location"] == reverse("accounts:profile")
    assert client.get(reverse("accounts:profile")).status_code == 200

    client.post(reverse("accounts:profile"), {"change_password": "1", "old_password": RESET, "new_password": OWN})
    nurse.refresh_from_db()
    assert not nurse.must_change_password and nurse.check_password(OWN)
    assert signed_in(nurse, OWN).get(reverse("web:dashboard")).status_code == 200


def test_the_administrator_may_leave_the_reset_password_in_place(admin_user, nurse):
    services.reset_password(by=admin_user, user=nurse, new_password=RESET, change_at_next_login=False)
    assert signed_in(nurse, RESET).get(reverse("web:dashboard")).status_code == 200


def test_the_reset_form_asks_for_a_change_at_the_next_login_by_default(admin_user, nurse, client_as):
    page = client_as(admin_user).get(reverse("accounts:user_edit", args=[nurse.pk])).content.decode()
    box = page.index('name="change_at_next_login"')
    assert "checked" in page[page.rindex("<input", 0, box):page.index(">", box)]
