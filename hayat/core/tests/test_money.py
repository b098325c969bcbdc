from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hayat.core.money import format_money, round_money


def test_rounding_is_half_up_to_the_cent():
    assert round_money(Decimal("2.345")) == Decimal("2.35")
    assert round_money(Decimal("2.344")) == Decimal("2.34")
    assert round_money("-2.345") == Decimal("-2.35")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        round_money(0.1)


def test_garbage_is_refused_with_a_value_error():
    with pytest.raises(ValueError):
        round_money("12,5 sum")


def test_format_groups_thousands_and_names_the_currency(settings):
    settings.HAYAT_CURRENCY = "UZS"
    assert format_money(Decimal("1250000")) == "1\u202f250\u202f000.00 UZS"


@given(st.lists(st.decimals(min_value=0, max_value=10**9, places=2), max_size=30))
def test_rounded_sums_of_cents_are_exact(amounts):
    assert round_money(sum(amounts, Decimal(0))) == sum((round_money(a) for a in amounts), Decimal(0))
