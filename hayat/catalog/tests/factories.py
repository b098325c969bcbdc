"""Factories for service types, services, tariffs and prices."""

from decimal import Decimal

import factory

from hayat.catalog.models import Service, ServiceType, Tariff, TariffPrice, TariffService


class ServiceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceType
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Service type {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    service_type = factory.SubFactory(ServiceTypeFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    duration_minutes = 30
    price = Decimal("120000.00")


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff

    name = factory.Sequence(lambda n: f"Tariff {n}")
    code = factory.Sequence(lambda n: f"T{n}")


class TariffServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TariffService

    tariff = factory.SubFactory(TariffFactory)
    service = factory.SubFactory(ServiceFactory)
    sessions = 5


class TariffPriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TariffPrice

    tariff = factory.SubFactory(TariffFactory)
    price = Decimal("500000.00")
