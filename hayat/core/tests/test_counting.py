"""Counts on often opened pages: exact for few rows, the planner's estimate on PostgreSQL for many."""

import pytest
from django.db import connection

from hayat.core.counting import estimated_count
from hayat.core.models import Sequence

pytestmark = pytest.mark.django_db


def test_few_rows_are_counted_exactly():
    Sequence.objects.bulk_create([Sequence(key=f"K-{number}", value=number) for number in range(7)])
    count = estimated_count(Sequence.objects.filter(value__gte=2))
    assert count.exact and count.value == 5


def test_many_rows_are_estimated_on_postgresql_and_counted_elsewhere():
    Sequence.objects.bulk_create([Sequence(key=f"K-{number}", value=number) for number in range(50)])
    count = estimated_count(Sequence.objects.all(), exact_below=1)
    if connection.vendor == "postgresql":
        assert not count.exact and count.value >= 1
    else:
        assert count.exact and count.value == 50
