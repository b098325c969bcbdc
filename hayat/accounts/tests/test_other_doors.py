"""Doors besides Hayat's pages and API: Django's admin and bulk ORM writes keep the account rules."""

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from hayat.accounts.models import User
from hayat.core.models import AuditEvent
from hayat.core.roles import Role

pytestmark = pytest.mark.django_db


def admin_change(client, user: User, **changes):
    data = {"full_name": user.full_name, "role": user.role, "department": user.department_id or "",
            "phone": user.phone, "is_active": "on" if user.is_active else ""}
    data.update(changes)
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_a_change_in_the_django_admin_is_audited_with_old_and_new_values(admin_user, nurse, client_as):
    response = admin_change(client_as(admin_user), nurse, role=Role.TELLER)
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert nurse.role == Role.TELLER
    event = AuditEvent.objects.get(action="user.admin_change", object_id=str(nurse.pk))
    assert event.actor_id == admin_user.pk and event.changes == {"role": [Role.NURSE, Role.TELLER]}


def test_the_django_admin_cannot_demote_or_deactivate_ones_own_account(admin_user, client_as):
    client = client_as(admin_user)
    demoted = admin_change(client, admin_user, role=Role.NURSE)
    assert demoted.status_code == 200
    assert "You cannot take the Admin role away from yourself." in demoted.content.decode()
    deactivated = admin_change(client, admin_user, is_active="")
    assert deactivated.status_code == 200 and "You cannot deactivate your own account." in deactivated.content.decode()
    admin_user.refresh_from_db()
    assert (admin_user.role, admin_user.is_active) == (Role.ADMIN, True)
    assert not AuditEvent.objects.filter(action="user.admin_change").exists()


def test_the_django_admin_neither_adds_nor_deletes_accounts(admin_user, nurse, client_as):
    client = client_as(admin_user)
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    assert client.post(reverse("admin:accounts_user_delete", args=[nurse.pk]), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=nurse.pk).exists()


def test_the_django_admin_shows_the_password_only_as_a_hash_it_cannot_change(admin_user, nurse, client_as):
    before = User.objects.get(pk=nurse.pk).password
    admin_change(client_as(admin_user), nurse, password="plain-text-in-admin-9")
    nurse.refresh_from_db()
    assert nurse.password == before


def test_bulk_create_hashes_passwords_and_lowers_user_ids(db):
    unusable = make_password(None)
    User.objects.bulk_create([User(user_id="Bulk.One", full_name="Bulk One", role=Role.NURSE, password="plain-1-pass"),
                              User(user_id="bulk.two", full_name="Bulk Two", role=Role.NURSE, password=unusable),
                              User(user_id="bulk.old", full_name="Bulk Old", role=Role.NURSE, password="!")])
    one, two, old = (User.objects.get(user_id=user_id) for user_id in ("bulk.one", "bulk.two", "bulk.old"))
    assert one.password != "plain-1-pass" and one.check_password("plain-1-pass")
    assert (two.password, old.password) == (unusable, "!")
    assert not two.has_usable_password() and not old.has_usable_password()


def test_a_plain_password_starting_with_an_exclamation_mark_is_hashed_too(db):
    User.objects.bulk_create([User(user_id="bang.one", full_name="Bang One", role=Role.NURSE,
                                   password="!Tashkent-2026")])
    User.objects.create(user_id="bang.two", full_name="Bang Two", role=Role.NURSE, password="!Samarkand-2026")
    for user_id, password in (("bang.one", "!Tashkent-2026"), ("bang.two", "!Samarkand-2026")):
        user = User.objects.get(user_id=user_id)
        assert user.password != password and user.check_password(password)


def test_bulk_update_and_queryset_update_hash_passwords(nurse, doctor):
    nurse.password = "bulk-updated-9"
    User.objects.bulk_update([nurse], ["password"])
    User.objects.filter(pk=doctor.pk).update(password="updated-in-place-9")
    nurse.refresh_from_db()
    doctor.refresh_from_db()
    assert nurse.password != "bulk-updated-9" and nurse.check_password("bulk-updated-9")
    assert doctor.password != "updated-in-place-9" and doctor.check_password("updated-in-place-9")
