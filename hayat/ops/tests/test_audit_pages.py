"""The activity log shows the audit chain's head for the paper copy; an Admin verifies the chain on a page."""

import pytest
from django.db import connection
from django.urls import reverse

from hayat.core import append_only, audit, audit_chain
from hayat.core.models import AuditChainLink, AuditEvent

pytestmark = pytest.mark.django_db


def test_the_activity_log_prints_the_chain_head_as_the_worker_last_sealed_it(admin_user, client_as):
    audit.record("user.update", by=admin_user, obj=admin_user)
    audit_chain.seal_pending()
    page = client_as(admin_user).get(reverse("ops:activity")).content.decode()
    head = AuditChainLink.objects.order_by("-seq").first()
    assert f"Audit chain head: row {head.seq}, {head.link[:16]}, sealed " in page


def test_the_verify_page_says_the_trail_is_intact(admin_user, client_as):
    audit.record("user.update", by=admin_user, obj=admin_user)
    client = client_as(admin_user)
    assert 'id="verdict"' not in client.get(reverse("ops:audit_verify")).content.decode()
    page = client.post(reverse("ops:audit_verify")).content.decode()
    assert 'data-intact="yes"' in page and "The audit trail is intact up to row 1 at " in page


@pytest.mark.django_db(transaction=True)
def test_the_verify_page_names_the_changed_row(admin_user, client_as):
    event = audit.record("user.update", by=admin_user, obj=admin_user, note="first")
    audit_chain.seal_pending()
    with connection.cursor() as cursor:
        for statement in append_only.removal(connection.vendor):
            cursor.execute(statement)
    AuditEvent.objects.filter(pk=event.pk).update(action="user.view")
    page = client_as(admin_user).post(reverse("ops:audit_verify")).content.decode()
    assert 'data-intact="no"' in page and f"audit event {event.pk} was changed after it was sealed." in page


def test_only_an_admin_verifies(nurse, client_as):
    assert client_as(nurse).post(reverse("ops:audit_verify")).status_code == 403
