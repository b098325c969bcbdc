"""The price resolver: what one guest pays per day for a tariff in a room. The rule lives here and nowhere else."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from hayat.catalog.models import Tariff, TariffPrice
from hayat.core.money import round_money
from hayat.facilities.models import Room

PriceGrid = Mapping[tuple[int, int], Decimal]


def price_for(tariff: Tariff | int | None, room: Room, *, grid: PriceGrid | None = None) -> Decimal:
    """The tariff's price for the room's type if one is set, else the room's base price (per guest and day).

    Without a tariff the base price applies. Pass `grid` (from `price_grid`) to resolve many rooms and
    tariffs without a query each; the answer is the same either way.
    """
    tariff_id = getattr(tariff, "pk", tariff)
    if tariff_id is not None:
        key = (tariff_id, room.room_type_id)
        if grid is not None:
            price = grid.get(key)
        else:
            price = (TariffPrice.objects.filter(tariff_id=tariff_id, room_type_id=room.room_type_id)
                     .values_list("price", flat=True).first())
        if price is not None:
            return round_money(price)
    return round_money(room.base_price)


def price_grid(tariffs: Iterable[Tariff | int] | None = None) -> dict[tuple[int, int], Decimal]:
    """{(tariff id, room type id): price} for the given tariffs (all when None), in one query."""
    prices = TariffPrice.objects.all()
    if tariffs is not None:
        prices = prices.filter(tariff_id__in=[getattr(tariff, "pk", tariff) for tariff in tariffs])
    return {(tariff_id, room_type_id): price
            for tariff_id, room_type_id, price in prices.values_list("tariff_id", "room_type_id", "price")}
