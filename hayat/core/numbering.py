"""Gap-free numbers per key, unique under concurrency (booking and case numbers)."""

from django.db import IntegrityError, transaction

from hayat.core.models import Sequence


def next_value(key: str) -> int:
    """Returns the next number for `key`. Must run inside the caller's transaction.

    The row lock serialises concurrent callers on every engine. The first caller of a new key creates
    the row; a racing creator loses on the unique index and then waits for the winner's row lock.
    On MariaDB two such losers can deadlock: run the use case under core.transactions.retrying_atomic,
    and the retry finds the row in place.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must run inside a transaction")
    sequence = Sequence.objects.select_for_update().filter(key=key).first()
    if sequence is None:
        try:
            with transaction.atomic():
                Sequence.objects.create(key=key, value=1)
            return 1
        except IntegrityError:
            sequence = Sequence.objects.select_for_update().get(key=key)
    sequence.value += 1
    sequence.save(update_fields=["value"])
    return sequence.value
