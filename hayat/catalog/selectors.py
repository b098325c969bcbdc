"""Reads of service types, services, tariffs and prices shared by pages, the API and the booking wizard."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from hayat.catalog.models import Service, ServiceType, Tariff, TariffPrice, TariffService
from hayat.facilities.models import RoomType


def active_filter(queryset: QuerySet, active: str) -> QuerySet:
    if active in {"yes", "no"}:
        return queryset.filter(is_active=active == "yes")
    return queryset


def service_types(*, search: str = "", active: str = "") -> QuerySet[ServiceType]:
    queryset = ServiceType.objects.annotate(service_count=Count("services"))
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return active_filter(queryset, active).order_by("name")


def services(*, search: str = "", service_type: str | int = "", active: str = "") -> QuerySet[Service]:
    queryset = Service.objects.select_related("service_type").annotate(tariff_count=Count("included_in"))
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(code__icontains=search)
                                   | Q(service_type__name__icontains=search) | Q(description__icontains=search))
    if service_type:
        queryset = queryset.filter(service_type_id=service_type)
    return active_filter(queryset, active).order_by("service_type__name", "name")


def included_services() -> Prefetch:
    return Prefetch("included", queryset=TariffService.objects.select_related("service__service_type")
                    .order_by("service__service_type__name", "service__name"))


def tariff_prices() -> Prefetch:
    return Prefetch("prices", queryset=TariffPrice.objects.select_related("room_type").order_by("room_type__name"))


def tariffs(*, search: str = "", active: str = "") -> QuerySet[Tariff]:
    queryset = Tariff.objects.prefetch_related(included_services(), tariff_prices())
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(code__icontains=search)
                                   | Q(description__icontains=search))
    return active_filter(queryset, active).order_by("name")


def tariff(pk: int) -> Tariff:
    """A tariff with its included services and prices; raises Tariff.DoesNotExist."""
    return Tariff.objects.prefetch_related(included_services(), tariff_prices()).get(pk=pk)


def price_rows() -> QuerySet[TariffPrice]:
    return TariffPrice.objects.select_related("tariff", "room_type").order_by("tariff__name", "room_type__name")


def grid_axes() -> tuple[list[Tariff], list[RoomType]]:
    """The tariffs and room types of the price grid: active ones, plus any inactive one that still has prices."""
    priced = TariffPrice.objects.values("tariff_id")
    tariffs_ = list(Tariff.objects.filter(Q(is_active=True) | Q(pk__in=priced)).order_by("name"))
    priced_types = TariffPrice.objects.values("room_type_id")
    room_types = list(RoomType.objects.filter(Q(is_active=True) | Q(pk__in=priced_types)).order_by("name"))
    return tariffs_, room_types
