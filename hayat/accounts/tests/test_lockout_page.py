"""An Admin locks a user out and unlocks them on Hayat's own pages; both are audited, the lock shows on the lists."""

import pytest
from django.test import Client
from django.urls import reverse

from hayat.accounts import lockout
from hayat.accounts.tests.factories import TEST_PASSWORD
from hayat.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def fail_logins(client, user, times: int) -> None:
    for _ in range(times):
        client.post(reverse("login"), {"username": user.user_id, "password": "wrong-password-1"})


def set_lock(client, user, locked: bool):
    return client.post(reverse("accounts:user_lockout", args=[user.pk]), {"locked": "1" if locked else "0"})


def test_an_admin_unlocks_a_user_locked_by_failed_logins(admin_user, nurse, client_as, settings):
    client = Client()
    fail_logins(client, nurse, settings.AXES_FAILURE_LIMIT)
    admin = client_as(admin_user)
    assert 'data-lock="locked"' in admin.get(reverse("accounts:user_list")).content.decode()
    assert 'data-lock="locked"' in admin.get(reverse("accounts:user_edit", args=[nurse.pk])).content.decode()
    assert set_lock(admin, nurse, False).status_code == 302
    assert not lockout.is_locked_out(nurse)
    assert 'data-lock="locked"' not in admin.get(reverse("accounts:user_list")).content.decode()
    event = AuditEvent.objects.get(action="user.unlock")
    assert (event.actor_id, event.object_id) == (admin_user.pk, str(nurse.pk))
    assert event.changes == {"locked_out": [True, False]}
    response = client.post(reverse("login"), {"username": nurse.user_id, "password": TEST_PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(nurse.pk)


def test_an_admin_locks_a_user_out_and_the_login_is_refused(admin_user, nurse, client_as):
    client = Client()
    assert set_lock(client_as(admin_user), nurse, True).status_code == 302
    assert lockout.is_locked_out(nurse)
    assert AuditEvent.objects.filter(action="user.lock_out", object_id=str(nurse.pk), actor_id=admin_user.pk).exists()
    page = client.post(reverse("login"), {"username": nurse.user_id, "password": TEST_PASSWORD})
    assert page.status_code == 429 and "ask an administrator to unlock it" in page.content.decode()


def test_an_admin_cannot_lock_themselves_out(admin_user, client_as):
    set_lock(client_as(admin_user), admin_user, True)
    assert not lockout.is_locked_out(admin_user)
    assert not AuditEvent.objects.filter(action="user.lock_out").exists()


def test_only_an_admin_locks_or_unlocks(receptionist, nurse, client_as):
    assert set_lock(client_as(receptionist), nurse, True).status_code == 403
    assert not lockout.is_locked_out(nurse)


def test_the_user_list_keeps_its_query_count_with_lock_states(admin_user, make_user, client_as,
                                                             django_assert_max_num_queries):
    admin = client_as(admin_user)
    for index in range(3):
        lockout.lock_out(by=admin_user, user=make_user(user_id=f"locked{index}"))
    with django_assert_max_num_queries(12):
        admin.get(reverse("accounts:user_list"))
    for index in range(3, 20):
        lockout.lock_out(by=admin_user, user=make_user(user_id=f"locked{index}"))
    with django_assert_max_num_queries(12):
        page = admin.get(reverse("accounts:user_list")).content.decode()
    assert page.count('data-lock="locked"') == 20
