"""The backup's side of the sealed audit trail (hayat.core.audit_chain, docs/adr/0004).

The manifest carries the chain's head, so a restored database can be checked against the chain it had
(Activity log → Verify the audit trail, or `verify_audit`). Restoring empties the append-only tables before the
archive's rows go in, which their triggers refuse: they are dropped for the restore and put back after it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection

from hayat.core import append_only
from hayat.core import audit_chain as chain


def state() -> dict:
    head = chain.state()
    return {"seq": head.seq, "link": head.link,
            "sealed_at": head.sealed_at.isoformat() if head.sealed_at else None}


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
