import pytest

from hayat.core import audit
from hayat.core.lifecycle import IllegalTransition, Lifecycle
from hayat.core.models import AccessLogEntry, AuditEvent

LIFECYCLE = Lifecycle("bill", {"pending": {"paid", "void"}, "paid": set()},
                      {"pending": "Pending", "paid": "Paid", "void": "Void"})


def test_allowed_transition_passes_and_others_name_both_statuses():
    LIFECYCLE.check("pending", "paid")
    with pytest.raises(IllegalTransition) as refused:
        LIFECYCLE.check("paid", "pending")
    assert refused.value.message == "The bill cannot go from Paid to Pending."
    assert refused.value.status == 409


def test_unknown_status_is_refused():
    with pytest.raises(IllegalTransition):
        LIFECYCLE.check("pending", "lost")


@pytest.mark.django_db
def test_audit_records_actor_changes_and_request_address(client_as, admin_user, nurse):
    from hayat.accounts.services import UserData, update_user

    client_as(admin_user)
    update_user(by=admin_user, user=nurse, data=UserData(user_id=nurse.user_id, full_name="Nina N. Nurse",
                                                         role=nurse.role))
    event = AuditEvent.objects.get(action="user.update")
    assert event.actor_id == admin_user.pk and event.model == "accounts.User" and event.object_id == str(nurse.pk)
    assert event.changes == {"full_name": ["Nina Nurse", "Nina N. Nurse"]}


@pytest.mark.django_db
def test_access_log_takes_the_address_from_the_request(rf, nurse):
    from hayat.core import context

    token = context.set_current(context.RequestContext(ip="10.1.2.3", path="/patients/7/"))
    try:
        audit.log_access(by=nurse, patient_id=7, what="patient page")
    finally:
        context.reset(token)
    entry = AccessLogEntry.objects.get()
    assert (entry.patient_id, entry.ip, entry.path, entry.actor_id) == (7, "10.1.2.3", "/patients/7/", nurse.pk)
