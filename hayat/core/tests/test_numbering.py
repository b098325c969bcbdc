"""Numbers are unique and gap-free per key even when many requests ask at once."""

import pytest
from django.db import transaction

from hayat.core.numbering import next_value
from hayat.core.tests.concurrency import run_in_parallel
from hayat.core.transactions import retrying_atomic


@pytest.mark.django_db(transaction=True)
def test_parallel_callers_get_distinct_consecutive_numbers():
    @retrying_atomic
    def take(_index):
        return next_value("BK-20261121")

    results = run_in_parallel(take, 12)
    assert sorted(results) == list(range(1, 13))


@pytest.mark.django_db
def test_keys_count_separately():
    with transaction.atomic():
        assert [next_value("A"), next_value("A"), next_value("B")] == [1, 2, 1]


@pytest.mark.django_db(transaction=True)
def test_next_value_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        next_value("A")
