"""The backup's side of the sealed audit trail (hayat.core.audit_chain, docs/adr/0004).

The manifest carries the chain's head, so a restored database is checked against the chain it had: verifying a
backup walks the chain in the scratch database, a restore walks it once the rows are in and says what it found (and
Activity log → Verify the audit trail, or `verify_audit`, can walk it again at any time). Restoring empties the
append-only tables before the archive's rows go in, which their triggers refuse: they are dropped for the restore
and put back after it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from hayat.core import append_only
from hayat.core import audit_chain as chain


def state() -> dict:
    head = chain.state()
    return {"seq": head.seq, "link": head.link,
            "sealed_at": head.sealed_at.isoformat() if head.sealed_at else None}


def recorded_head(manifest_data: dict) -> chain.Head | None:
    recorded = manifest_data.get("audit_chain")
    if not recorded:
        return None
    sealed_at = parse_datetime(recorded["sealed_at"]) if recorded["sealed_at"] else None
    return chain.Head(recorded["seq"], recorded["link"], sealed_at)


def check_restored(manifest_data: dict) -> chain.Verdict | None:
    """Walks the restored chain up to the head the archive recorded (None for an archive without one). A chain
    sealed with another key (an archive from another installation whose `HAYAT_AUDIT_KEY` did not move with it)
    reads as changed from its first row."""
    head = recorded_head(manifest_data)
    return chain.verify(expected=head) if head else None


def problems_of_restored(manifest_data: dict) -> list[str]:
    verdict = check_restored(manifest_data)
    if verdict is None or verdict.intact:
        return []
    return [_("the audit trail: %(finding)s") % {"finding": verdict}]


@contextlib.contextmanager
def restoring() -> Iterator[None]:
    """Runs outside the restore's transaction: MariaDB commits at every trigger statement. Whatever happens, the
    triggers are back afterwards (and `migrate`, run at every start, puts them back after a crash)."""
    execute(append_only.removal(connection.vendor))
    try:
        yield
    finally:
        execute(append_only.creation(connection))


def execute(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
