"""Django's admin is no way around the services: whatever an Admin can add, change or delete there writes an
audit event through a service; everything else (audit, access log, field history, lockouts, jobs) is read-only."""

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from hayat.core.models import AuditEvent
from hayat.core.roles import Role

pytestmark = pytest.mark.django_db


def change_a_user(client, admin_user, nurse) -> None:
    client.post(reverse("admin:accounts_user_change", args=[nurse.pk]), {
        "full_name": nurse.full_name, "role": Role.TELLER, "department": "", "phone": "", "is_active": "on"})


# Every write the admin allows, with what exercises it; each must leave an audit event.
AUDITED_WRITES: dict[tuple[str, str], Callable] = {
    ("accounts.User", "change"): change_a_user,
}


def writes_the_admin_allows(user) -> set[tuple[str, str]]:
    request = RequestFactory().get("/admin/")
    request.user = user
    allowed = set()
    for model, model_admin in admin.site._registry.items():
        checks = {"add": model_admin.has_add_permission(request), "change": model_admin.has_change_permission(request),
                  "delete": model_admin.has_delete_permission(request),
                  "revert history": getattr(model_admin, "has_change_history_permission", lambda _: False)(request)}
        for inline in model_admin.get_inline_instances(request):
            checks["add"] |= inline.has_add_permission(request, None)
            checks["change"] |= inline.has_change_permission(request)
            checks["delete"] |= inline.has_delete_permission(request)
        allowed |= {(model._meta.label, write) for write, possible in checks.items() if possible}
    return allowed


def test_every_write_the_admin_allows_is_one_that_goes_through_a_service(admin_user):
    assert writes_the_admin_allows(admin_user) == set(AUDITED_WRITES)


@pytest.mark.parametrize("write", sorted(AUDITED_WRITES))
def test_each_write_the_admin_allows_leaves_an_audit_event(write, admin_user, nurse, client_as):
    AUDITED_WRITES[write](client_as(admin_user), admin_user, nurse)
    assert AuditEvent.objects.filter(actor_id=admin_user.pk).exists()


@pytest.mark.parametrize("label", ["axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog",
                                   "django_q.Schedule", "django_q.Success", "django_q.Failure", "django_q.OrmQ",
                                   "accounts.Department", "patients.Patient"])
def test_lockouts_jobs_and_reference_data_are_read_only_in_the_admin(label, admin_user, client_as):
    app_label, model_name = label.lower().split(".")
    assert client_as(admin_user).post(reverse(f"admin:{app_label}_{model_name}_add"), {}).status_code == 403


def test_groups_are_not_in_the_admin():
    assert "auth.Group" not in {model._meta.label for model in admin.site._registry}
