"""The price resolver: the tariff's price for the room's type when one is set, else the room's base price."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hayat.catalog.models import TariffPrice
from hayat.catalog.pricing import price_for, price_grid
from hayat.catalog.tests.factories import TariffFactory, TariffPriceFactory
from hayat.facilities.tests.factories import RoomFactory, RoomTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def suite():
    return RoomTypeFactory(name="Suite")


def test_the_tariffs_price_for_the_room_type_wins_over_the_base_price(suite):
    tariff = TariffFactory()
    TariffPriceFactory(tariff=tariff, room_type=suite, price=Decimal("1200000"))
    room = RoomFactory(room_type=suite, base_price=Decimal("900000"))
    assert price_for(tariff, room) == Decimal("1200000.00")


def test_without_a_price_for_the_room_type_the_room_base_price_applies(suite):
    tariff = TariffFactory()
    TariffPriceFactory(tariff=tariff, room_type=RoomTypeFactory(name="Standard"), price=Decimal("500000"))
    room = RoomFactory(room_type=suite, base_price=Decimal("900000"))
    assert price_for(tariff, room) == Decimal("900000.00")


def test_without_a_tariff_the_base_price_applies_and_a_zero_price_is_a_real_price(suite):
    tariff = TariffFactory()
    TariffPriceFactory(tariff=tariff, room_type=suite, price=Decimal("0"))
    room = RoomFactory(room_type=suite, base_price=Decimal("900000"))
    assert price_for(None, room) == Decimal("900000.00")
    assert price_for(tariff, room) == Decimal("0.00")  # a free package stay, not "no price"


def test_a_tariff_id_works_like_a_tariff(suite):
    tariff = TariffFactory()
    TariffPriceFactory(tariff=tariff, room_type=suite, price=Decimal("700000"))
    assert price_for(tariff.pk, RoomFactory(room_type=suite)) == Decimal("700000.00")


def test_the_grid_resolves_many_rooms_with_one_query(suite, django_assert_num_queries):
    tariffs = [TariffFactory() for _ in range(3)]
    for index, tariff in enumerate(tariffs):
        TariffPriceFactory(tariff=tariff, room_type=suite, price=Decimal(100000 * (index + 1)))
    rooms = [RoomFactory(room_type=suite) for _ in range(5)] + [RoomFactory(room_type=RoomTypeFactory(name="Ward"))]
    with django_assert_num_queries(1):
        grid = price_grid(tariffs)
        resolved = {(tariff.pk, room.pk): price_for(tariff, room, grid=grid) for tariff in tariffs for room in rooms}
    assert resolved == {(tariff.pk, room.pk): price_for(tariff, room) for tariff in tariffs for room in rooms}


PRICES = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=PRICES, cells=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), PRICES), max_size=9))
def test_resolver_matches_the_rule_for_any_grid(base, cells, suite, db):
    room_types = [suite, RoomTypeFactory(name="Standard"), RoomTypeFactory(name="Deluxe")]
    tariffs = [TariffFactory() for _ in range(3)]
    expected = {}
    for tariff_index, type_index, price in cells:
        key = (tariffs[tariff_index].pk, room_types[type_index].pk)
        TariffPrice.objects.update_or_create(tariff=tariffs[tariff_index], room_type=room_types[type_index],
                                             defaults={"price": price})
        expected[key] = price
    rooms = [RoomFactory(room_type=room_type, base_price=base) for room_type in room_types]
    grid = price_grid(tariffs)
    for tariff in tariffs:
        for room in rooms:
            wanted = expected.get((tariff.pk, room.room_type_id), base)
            assert price_for(tariff, room) == wanted
            assert price_for(tariff, room, grid=grid) == wanted
            assert price_for(tariff, room).as_tuple().exponent == -2
