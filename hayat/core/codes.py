"""Short human codes (patients, lab results) from an alphabet without look-alike characters."""

import secrets

from django.db import IntegrityError, models, transaction

UNAMBIGUOUS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L


def random_code(length: int = 5) -> str:
    return "".join(secrets.choice(UNAMBIGUOUS) for _ in range(length))


def insert_with_unique_code(instance: models.Model, field: str, length: int = 5, attempts: int = 20) -> None:
    """Inserts a new `instance` with a random code; the unique index decides, a collision retries."""
    manager = type(instance)._default_manager
    for _ in range(attempts):
        setattr(instance, field, random_code(length))
        try:
            with transaction.atomic():
                instance.save(force_insert=True)
            return
        except IntegrityError:
            if not manager.filter(**{field: getattr(instance, field)}).exists():
                raise
            instance.pk = None
    raise RuntimeError(f"No free {field} after {attempts} attempts; lengthen the code")
