"""The audit trail, the access log and the audit chain are append-only in the database itself, on every engine."""

import pytest
from django.db import DatabaseError, connection, transaction

from hayat.core import audit, audit_chain
from hayat.core.models import AccessLogEntry, AuditChainLink, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(admin_user):
    event = audit.record("patient.update", by=admin_user, patient_id=7, changes={"mobile": ["+998901112233", ""]},
                         note="called her daughter")
    access = audit.log_access(by=admin_user, patient_id=7, what="patient record")
    audit_chain.seal_pending()
    return event, access, AuditChainLink.objects.get(kind="e", row_id=event.pk)


def refused(change) -> bool:
    try:
        with transaction.atomic():
            change()
    except DatabaseError:
        return True
    return False


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_audit_events_cannot_be_changed_or_deleted(rows):
    event = AuditEvent.objects.filter(pk=rows[0].pk)
    assert refused(lambda: event.update(action="patient.view"))
    assert refused(lambda: event.update(actor="someone else"))
    assert refused(lambda: event.update(detail_digest=""))
    assert refused(lambda: event.delete())
    assert refused(lambda: sql("DELETE FROM " + AuditEvent._meta.db_table))  # noqa: S608
    assert AuditEvent.objects.get(pk=rows[0].pk).action == "patient.update"


def test_access_log_rows_cannot_be_changed_or_deleted(rows):
    entry = AccessLogEntry.objects.filter(pk=rows[1].pk)
    assert refused(lambda: entry.update(what="nothing"))
    assert refused(lambda: entry.update(patient_id=8))
    assert refused(lambda: sql("UPDATE " + AccessLogEntry._meta.db_table + " SET actor = %s", "nobody"))  # noqa: S608
    assert refused(lambda: entry.delete())
    assert AccessLogEntry.objects.get(pk=rows[1].pk).patient_id == 7


def test_chain_links_cannot_be_changed_or_deleted(rows):
    link = AuditChainLink.objects.filter(seq=rows[2].seq)
    assert refused(lambda: link.update(row_id=999))
    assert refused(lambda: link.delete())


def test_anonymising_may_rewrite_only_the_changes_and_the_note(rows):
    event = AuditEvent.objects.filter(pk=rows[0].pk)
    assert not refused(lambda: event.update(changes={"mobile": ["(anonymised)", ""]}, note="(anonymised)"))
    assert event.get().note == "(anonymised)"


def test_rows_are_still_added(rows, admin_user):
    audit.log_access_many(by=admin_user, patient_ids=[1, 2], what="booking")
    assert AccessLogEntry.objects.count() == 3
