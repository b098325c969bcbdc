"""Tamper evidence: every audit and access-log row is sealed with a key outside the database and chained; the
verifier names the first row that was changed, deleted or inserted, whatever was done to it by SQL."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hayat.core import append_only, audit, audit_chain
from hayat.core.models import AccessLogEntry, AuditChainLink, AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)  # the tests drop the triggers, which commits on MariaDB


@pytest.fixture
def trail(admin_user, clock):
    """Six sealed rows: audit events and access-log rows, interleaved."""
    rows = []
    for index in range(3):
        clock.advance(minutes=1)
        rows.append(audit.record("patient.update", by=admin_user, patient_id=index, note=f"note {index}",
                                 changes={"last_name": ["Karimova", f"Karimova-{index}"], "weight": 61.5}))
        rows.append(audit.log_access(by=admin_user, patient_id=index, what="patient record"))
    audit_chain.seal_pending()
    return rows


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def no_triggers():
    """What a database administrator can do: take the triggers away first."""
    for statement in append_only.removal(connection.vendor):
        sql(statement)


def sql_on(model, statement: str, *params) -> None:
    """`statement` with {table} standing for the model's table."""
    sql(statement.format(table=connection.ops.quote_name(model._meta.db_table)), *params)


def finding(verdict) -> tuple[str, int, str]:
    return verdict.finding.kind, verdict.finding.row_id, verdict.finding.problem


def test_an_untouched_trail_is_intact_up_to_its_last_row(trail):
    verdict = audit_chain.verify()
    assert verdict.intact and verdict.intact_up_to.seq == 6 and verdict.pending == 0
    assert str(verdict).startswith("The audit trail is intact up to row 6 at ")
    assert AuditChainLink.objects.count() == 6


def test_an_edited_row_is_found(trail, no_triggers):
    event = trail[2]
    sql_on(AuditEvent, "UPDATE {table} SET actor = %s WHERE id = %s", "someone else", event.pk)
    verdict = audit_chain.verify()
    assert finding(verdict) == ("e", event.pk, "changed")
    assert verdict.intact_up_to.seq == 2  # sealed in the order written: event, access, event
    assert str(verdict) == f"audit event {event.pk} was changed after it was sealed."


def test_edited_changes_are_found_too(trail, no_triggers):
    AuditEvent.objects.filter(pk=trail[4].pk).update(changes={"last_name": ["Karimova", "Someone"]})
    assert finding(audit_chain.verify()) == ("e", trail[4].pk, "changed")


def test_a_deleted_row_is_found(trail, no_triggers):
    access = trail[3]
    sql_on(AccessLogEntry, "DELETE FROM {table} WHERE id = %s", access.pk)
    assert finding(audit_chain.verify()) == ("a", access.pk, "deleted")


def test_an_inserted_row_is_found(trail, no_triggers, clock):
    forged = AccessLogEntry(at=clock.now() - timedelta(minutes=2), actor="admin1 (Ada Admin)", patient_id=1,
                            what="patient record", nonce="f" * 32, seal="0" * 64)
    AccessLogEntry.objects.bulk_create([forged])
    forged_id = AccessLogEntry.objects.get(nonce="f" * 32).pk
    audit_chain.seal_pending()
    verdict = audit_chain.verify()
    assert finding(verdict) == ("a", forged_id, "inserted") and verdict.intact_up_to.seq == 6


def test_a_row_written_around_hayat_is_found(trail, admin_user):
    AccessLogEntry.objects.bulk_create([AccessLogEntry(at=trail[0].at, patient_id=5, what="patient record")])
    assert audit_chain.verify().finding.problem == "inserted"


def test_two_swapped_rows_are_found(trail, no_triggers):
    first, second = trail[1], trail[3]
    columns = ["at", "actor_id", "actor", "patient_id", "what", "object_id", "ip", "path", "nonce", "seal"]
    values = {row.pk: list(AccessLogEntry.objects.filter(pk=row.pk).values_list(*columns).get())
              for row in (first, second)}
    sql_on(AccessLogEntry, "UPDATE {table} SET nonce = NULL WHERE id IN (%s, %s)", first.pk, second.pk)
    assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
    for row, other in ((first, second), (second, first)):
        sql_on(AccessLogEntry, "UPDATE {table} SET " + assignments + " WHERE id = %s", *values[other.pk], row.pk)  # noqa: S608
    assert finding(audit_chain.verify()) == ("a", first.pk, "changed")


def test_a_changed_link_breaks_the_chain(trail, no_triggers):
    link = AuditChainLink.objects.get(seq=4)
    AuditChainLink.objects.filter(seq=4).update(row_seal=AuditChainLink.objects.get(seq=3).row_seal)
    assert finding(audit_chain.verify()) == (link.kind, link.row_id, "chain")


def test_without_the_key_nothing_verifies(trail, settings):
    settings.HAYAT_AUDIT_KEY = "another key"
    assert finding(audit_chain.verify()) == ("e", trail[0].pk, "chain")


def test_a_row_committing_after_a_later_one_was_sealed_is_chained_after_it(trail, admin_user):
    late_id = AccessLogEntry.objects.order_by("-id").first().pk + 1
    [later] = audit.access_entries(by=admin_user, patient_ids=[9], what="patient record", obj=None)
    later.pk = late_id + 1
    later.save(force_insert=True)
    audit_chain.seal_pending()
    [late] = audit.access_entries(by=admin_user, patient_ids=[8], what="patient record", obj=None)
    late.pk = late_id
    late.save(force_insert=True)
    assert audit_chain.verify().pending == 1
    audit_chain.seal_pending()
    verdict = audit_chain.verify()
    assert verdict.intact and verdict.pending == 0
    assert list(AuditChainLink.objects.filter(kind="a").order_by("-seq").values_list("row_id", flat=True)[:2]) == [
        late_id, late_id + 1]


def test_rewriting_details_when_anonymising_keeps_the_trail_verifiable(trail):
    event = AuditEvent.objects.get(pk=trail[0].pk)
    event.changes, event.note = {"last_name": ["(anonymised)", "(anonymised)"], "weight": 61.5}, "(anonymised)"
    audit.rewrite_details([event])
    audit_chain.seal_pending()
    assert audit_chain.verify().intact
    assert AuditEvent.objects.get(action="audit.rewrite").changes == {"events": [event.pk]}


def test_the_head_recorded_by_a_backup_is_checked_after_a_restore(trail):
    head = audit_chain.state()
    assert (head.seq, head.link) == (6, AuditChainLink.objects.get(seq=6).link)
    assert audit_chain.verify(expected=head).intact
    forged = audit_chain.Head(head.seq, "0" * 64, head.sealed_at)
    assert audit_chain.verify(expected=forged).finding.problem == "chain"
    ahead = audit_chain.Head(head.seq + 5, head.link, head.sealed_at)
    assert str(audit_chain.verify(expected=ahead).finding) == (
        "The chain no longer reaches the recorded head at row 11: rows were removed from its end.")


def test_the_command_says_intact_or_names_the_row(trail, capsys, no_triggers):
    call_command("verify_audit")
    assert "The audit trail is intact up to row 6 at " in capsys.readouterr().out
    sql_on(AuditEvent, "DELETE FROM {table} WHERE id = %s", trail[0].pk)
    with pytest.raises(SystemExit):
        call_command("verify_audit")
    assert f"audit event {trail[0].pk} was deleted." in capsys.readouterr().err


def test_verification_reads_the_chain_in_chunks_not_row_by_row(trail, admin_user):
    with CaptureQueriesContext(connection) as six_rows:
        audit_chain.verify()
    for index in range(20):
        audit.record("patient.update", by=admin_user, patient_id=index, changes={"weight": [61, 62]})
        audit.log_access(by=admin_user, patient_id=index, what="patient record")
    audit_chain.seal_pending()
    with CaptureQueriesContext(connection) as forty_six_rows:
        verdict = audit_chain.verify()
    assert verdict.intact and verdict.intact_up_to.seq == 46
    assert len(forty_six_rows) == len(six_rows)


def test_findings_and_pending_rows_are_found_across_chunks(trail, admin_user, no_triggers, monkeypatch):
    monkeypatch.setattr(audit_chain, "BATCH", 2)
    for index in range(3):
        audit.log_access(by=admin_user, patient_id=index, what="patient record")  # not chained yet
    verdict = audit_chain.verify()
    assert verdict.intact and verdict.intact_up_to.seq == 6 and verdict.pending == 3
    sql_on(AccessLogEntry, "DELETE FROM {table} WHERE id = %s", trail[5].pk)
    assert finding(audit_chain.verify()) == ("a", trail[5].pk, "deleted")
