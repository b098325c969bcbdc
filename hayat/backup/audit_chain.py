"""The hook to the audit trail's keyed hash chain (hayat.core), for the manifest.

When hayat.core.audit offers `chain_state()` (the head of the HMAC chain over audit and access-log rows),
the manifest carries what it returns, so a restored database can be checked against the chain it had.
Restoring writes those tables by INSERT only, into emptied tables, which append-only triggers allow once
`rewriting_allowed()` (if hayat.core.audit offers it) has opened them for the restore's transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from hayat.core import audit


def state() -> Any:
    chain_state = getattr(audit, "chain_state", None)
    return chain_state() if chain_state else None


@contextlib.contextmanager
def restoring() -> Iterator[None]:
    rewriting_allowed = getattr(audit, "rewriting_allowed", None)
    with rewriting_allowed() if rewriting_allowed else contextlib.nullcontext():
        yield
