"""API tokens: a refresh token works once, and a password change or reset, a deactivation or a role change
takes back every earlier token of that user (access and refresh) at once."""

import pytest
from django.urls import reverse

from hayat.accounts import services
from hayat.accounts.tests.factories import TEST_PASSWORD
from hayat.core.roles import Role

NEW_PASSWORD = "another-horse-staple-7"


def log_in(client, user) -> dict:
    response = client.post(reverse("api-token"), {"user_id": user.user_id, "password": TEST_PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200
    return response.json()


def me(client, tokens) -> int:
    return client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Bearer {tokens['access']}").status_code


def refresh(client, refresh_token: str):
    return client.post(reverse("api-token-refresh"), {"refresh": refresh_token}, content_type="application/json")


def test_a_refresh_token_rotates_and_works_once(client, nurse):
    tokens = log_in(client, nurse)
    first = refresh(client, tokens["refresh"])
    assert first.status_code == 200 and first.json()["refresh"] != tokens["refresh"]
    assert refresh(client, tokens["refresh"]).status_code == 401
    assert refresh(client, first.json()["refresh"]).status_code == 200


@pytest.mark.parametrize("revoke", [
    lambda admin, user: services.reset_password(by=admin, user=user, new_password=NEW_PASSWORD),
    lambda admin, user: services.change_own_password(user=user, old_password=TEST_PASSWORD,
                                                     new_password=NEW_PASSWORD),
    lambda admin, user: services.set_active(by=admin, user=user, active=False),
    lambda admin, user: services.update_user(by=admin, user=user, data=services.UserData(
        user_id=user.user_id, full_name=user.full_name, role=Role.RECEPTIONIST)),
], ids=["reset", "own change", "deactivation", "role change"])
def test_it_revokes_every_earlier_token_of_the_user(client, nurse, doctor, admin_user, revoke):
    earlier, other = log_in(client, nurse), log_in(client, doctor)
    refreshed = refresh(client, log_in(client, nurse)["refresh"]).json()
    assert me(client, earlier) == me(client, refreshed) == 200
    revoke(admin_user, nurse)
    assert me(client, earlier) == me(client, refreshed) == 401
    for refresh_token in (earlier["refresh"], refreshed["refresh"]):
        assert refresh(client, refresh_token).status_code == 401
    assert me(client, other) == 200


def test_a_new_login_after_a_reset_works(client, nurse, admin_user):
    log_in(client, nurse)
    services.reset_password(by=admin_user, user=nurse, new_password=NEW_PASSWORD)
    response = client.post(reverse("api-token"), {"user_id": nurse.user_id, "password": NEW_PASSWORD},
                           content_type="application/json")
    assert me(client, response.json()) == 200


def test_an_unchanged_profile_keeps_the_tokens(client, nurse, admin_user):
    tokens = log_in(client, nurse)
    services.update_user(by=admin_user, user=nurse, data=services.UserData(
        user_id=nurse.user_id, full_name="Nina N. Nurse", role=Role.NURSE))
    assert me(client, tokens) == 200
