"""What goes into an archive and in which form: the tables in dependency order, each row as portable JSON.

A row is written as a JSON array of its column values in a form every engine reads back the same way
(date-times in UTC, decimals as strings with their places, bytes as base64). The same canonical line is
what a table's checksum is made of, so a table restored into another engine gives the same checksum.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.serializers import sort_dependencies
from django.db import connection, models
from picklefield.fields import PickledObject, PickledObjectField

# Tables left out: the backups' own history describes the archives and is rebuilt from them (see
# hayat.backup.folder), the worker's live queue holds work for the machine that made the archive, and the
# rate-limit windows count the last minute's requests.
LEFT_OUT = {"backup.backup", "django_q.ormq", "core.ratewindow"}
BATCH = 2000
CHECKSUM_MODULUS = 2**256


def archived_models() -> list[type[models.Model]]:
    """Every concrete table of every installed app (history, audit and many-to-many tables too), parents first."""
    wanted = stored_models(apps)
    ordered = sort_dependencies([(config, None) for config in apps.get_app_configs()], allow_cycles=True)
    ordered = [model for model in ordered if model in wanted]
    return ordered + [model for model in wanted if model not in ordered]  # auto-created through tables last


def stored_models(registry) -> list[type[models.Model]]:
    """The archived tables' models in `registry`: the installed apps, or the apps as some migrations left them."""
    return [model for model in registry.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in LEFT_OUT]


def columns(model: type[models.Model]) -> list[models.Field]:
    """The stored columns; generated ones are left out, since the database computes them again."""
    return [field for field in model._meta.concrete_fields if not getattr(field, "generated", False)]


def rows_of(model: type[models.Model], *, fields: list[models.Field] | None = None,
            using: str = "default") -> Iterator[list[Any]]:
    """The table's rows as portable values of `fields` (default: its columns), read in batches by primary key so
    memory stays constant."""
    fields = fields or columns(model)
    names = [field.attname for field in fields]
    pk_index = names.index(model._meta.pk.attname)
    queryset = model._base_manager.using(using).order_by("pk").values_list(*names)
    last = None
    while True:
        batch = list((queryset.filter(pk__gt=last) if last is not None else queryset)[:BATCH])
        for row in batch:
            yield [portable(field, value) for field, value in zip(fields, row, strict=True)]
        if len(batch) < BATCH:
            return
        last = batch[-1][pk_index]


def portable(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, PickledObjectField):  # the worker's task arguments: kept as the stored text
        return field.get_db_prep_value(value, connection)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        places = getattr(field, "decimal_places", None)
        return format(value.quantize(Decimal(1).scaleb(-places)) if places is not None else value, "f")
    if isinstance(value, timedelta):
        return value // timedelta(microseconds=1)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def from_portable(field: models.Field, value: Any) -> Any:
    """The Python value a portable value stands for, ready for `field.get_db_prep_save`."""
    if value is None:
        return None
    if isinstance(field, PickledObjectField):
        return PickledObject(value)
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return datetime.fromisoformat(value)
    if kind == "DateField":
        return date.fromisoformat(value)
    if kind == "TimeField":
        return time.fromisoformat(value)
    if kind == "DecimalField":
        return Decimal(value)
    if kind == "DurationField":
        return timedelta(microseconds=value)
    if kind == "BinaryField":
        return base64.b64decode(value)
    if kind == "UUIDField":
        return uuid.UUID(value)
    return value


def canonical_line(row: list[Any]) -> bytes:
    """One row as the bytes written to the archive and hashed for the checksum."""
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"


class TableChecksum:
    """Row count and a checksum of a table's rows that does not depend on their order.

    Engines sort text keys differently (MariaDB ignores case), so the checksum adds up the rows' SHA-256
    digests modulo 2**256 instead of hashing them in a sequence: the same rows give the same sum anywhere.
    """

    def __init__(self) -> None:
        self.rows = 0
        self.total = 0

    def add(self, line: bytes) -> None:
        self.rows += 1
        self.total = (self.total + int.from_bytes(hashlib.sha256(line).digest(), "big")) % CHECKSUM_MODULUS

    @property
    def hexdigest(self) -> str:
        return f"{self.total:064x}"


def checksum_of(lines: Iterable[bytes]) -> TableChecksum:
    checksum = TableChecksum()
    for line in lines:
        checksum.add(line)
    return checksum


def table_checksum(model: type[models.Model], *, fields: list[models.Field] | None = None,
                   using: str = "default") -> TableChecksum:
    return checksum_of(canonical_line(row) for row in rows_of(model, fields=fields, using=using))
