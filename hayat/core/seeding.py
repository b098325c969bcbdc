"""Helpers for the apps' `demo.py` seeds: they add what is missing and step around whatever an Admin changed.

`run.py serve` seeds the demo at every start, so a seed meets demo rows that were renamed, re-coded,
deactivated or deleted since. It must never fail on them: a row is found by any of its natural keys, and a
demo piece the data or the rules no longer allow is left out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction

from hayat.core.errors import DomainError

Row = TypeVar("Row", bound=models.Model)
log = logging.getLogger(__name__)


def ensure(model: type[Row], *keys: dict, defaults: dict | None = None) -> tuple[Row | None, bool]:
    """The row matching the first of `keys` that finds one, else a new row made of every key and `defaults`.

    Returns (row, created). The row is None when it cannot be made because an edited row holds one of its unique
    values (a department re-coded from IM to IMED still carries the name "Internal Medicine").
    """
    for key in keys:
        row = model.objects.filter(**key).order_by("pk").first()
        if row is not None:
            return row, False
    fields = {name: value for key in keys for name, value in key.items()}
    try:
        with transaction.atomic():
            return model.objects.create(**fields, **(defaults or {})), True
    except IntegrityError:
        log.info("Demo %s %s left out: an edited row holds one of its unique values.", model.__name__, fields)
        return None, False


@contextmanager
def unless_refused(piece: str) -> Iterator[None]:
    """Runs one demo piece through the use cases; when a rule or a changed role refuses it on today's data, it is
    left out whole."""
    try:
        with transaction.atomic():
            yield
    except (DomainError, PermissionDenied) as error:
        log.info("Demo piece %r left out: %s", piece, error)
