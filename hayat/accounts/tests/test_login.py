"""Login by user_id on the web and the API, and lockout after repeated failures."""

import pytest
from django.urls import reverse

from hayat.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_web_login_is_by_user_id_case_insensitively(client, nurse):
    response = client.post(reverse("login"), {"username": nurse.user_id.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(nurse.pk)


def test_web_login_locks_the_account_after_five_failures_even_with_the_right_password(client, nurse, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": nurse.user_id, "password": "wrong"})
    response = client.post(reverse("login"), {"username": nurse.user_id, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_so_colleagues_behind_the_same_address_still_log_in(client, nurse, doctor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": nurse.user_id, "password": "wrong"})
    response = client.post(reverse("login"), {"username": doctor.user_id, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off(client, nurse, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": nurse.user_id, "password": "wrong"})
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(hours=1))
    response = client.post(reverse("login"), {"username": nurse.user_id, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_jwt_login_by_user_id_returns_tokens_that_authenticate(client, nurse):
    response = client.post(reverse("api-token"), {"user_id": nurse.user_id, "password": TEST_PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200
    access = response.json()["access"]
    me = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Bearer {access}")
    assert me.json()["user_id"] == nurse.user_id and me.json()["role"] == "nurse"


def test_jwt_login_is_locked_out_too(client, nurse, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("api-token"), {"user_id": nurse.user_id, "password": "wrong"},
                    content_type="application/json")
    response = client.post(reverse("api-token"), {"user_id": nurse.user_id, "password": TEST_PASSWORD},
                           content_type="application/json")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out" and "Too many failed logins" in body["detail"]
    assert "access" not in body


def test_a_wrong_password_through_jwt_is_still_a_plain_401(client, nurse):
    response = client.post(reverse("api-token"), {"user_id": nurse.user_id, "password": "wrong"},
                           content_type="application/json")
    assert response.status_code == 401 and response.json()["code"] != "locked_out"


def test_guesses_spread_over_many_addresses_lock_the_account_too(client, nurse, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": nurse.user_id, "password": "wrong"},
                    REMOTE_ADDR=f"10.0.0.{attempt + 1}")
    response = client.post(reverse("login"), {"username": nurse.user_id, "password": TEST_PASSWORD},
                           REMOTE_ADDR="10.0.9.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    token = client.post(reverse("api-token"), {"user_id": nurse.user_id.upper(), "password": TEST_PASSWORD},
                        content_type="application/json", REMOTE_ADDR="10.0.8.8")
    assert token.status_code == 429 and token.json()["code"] == "locked_out"


def test_the_system_checks_of_a_production_setup_raise_no_lockout_warning():
    from django.core import checks

    shown = [message.id for message in checks.run_checks(include_deployment_checks=True)
             if not message.is_silenced()]
    assert not [message for message in shown if message.startswith("axes.")]
