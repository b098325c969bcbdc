"""Use-case transactions that survive the database choosing a victim.

InnoDB (MariaDB/MySQL) resolves lock conflicts by rolling back one transaction with a deadlock error,
PostgreSQL does the same with deadlock_detected, and SQLite can time out waiting for the write lock.
In every case the database has already undone the whole transaction, so the use case can safely run
again from the start. `retrying_atomic` does that a few times before giving up.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import OperationalError, transaction

from hayat.core import notices

P = ParamSpec("P")
R = TypeVar("R")

RETRYABLE_CODES = {1213, 1205}  # MySQL/MariaDB: deadlock found; lock wait timeout
RETRYABLE_SQLSTATES = {"40P01", "40001"}  # PostgreSQL: deadlock detected; serialization failure
ATTEMPTS = 5


def is_retryable(error: OperationalError) -> bool:
    cause = error.__cause__ or error
    if getattr(cause, "args", None) and cause.args and cause.args[0] in RETRYABLE_CODES:
        return True
    if getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(error)


def retrying_atomic(function: Callable[P, R]) -> Callable[P, R]:
    """Like @transaction.atomic, and re-runs the whole function when the database aborted it.

    Inside an outer transaction there is nothing safe to retry, so the error goes up unchanged.
    """

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        nested = transaction.get_connection().in_atomic_block
        for attempt in range(1, ATTEMPTS + 1):
            told = notices.mark()
            try:
                with transaction.atomic():
                    return function(*args, **kwargs)
            except OperationalError as error:
                notices.forget_since(told)
                if nested or attempt == ATTEMPTS or not is_retryable(error):
                    raise
                time.sleep(random.uniform(0.01, 0.05) * attempt)
            except Exception:
                notices.forget_since(told)  # what a rolled-back attempt told did not happen
                raise
        raise AssertionError("unreachable")

    return wrapper
