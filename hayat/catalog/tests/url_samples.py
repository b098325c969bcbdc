from hayat.catalog.tests.factories import ServiceFactory, ServiceTypeFactory, TariffFactory, TariffPriceFactory
from hayat.facilities.tests.factories import RoomTypeFactory


def samples(personas: dict) -> dict[str, dict]:
    service_type = ServiceTypeFactory(name="Sample service type")
    service = ServiceFactory(service_type=service_type, name="Sample service")
    tariff = TariffFactory(name="Sample tariff", code="SAMPLE")
    price = TariffPriceFactory(tariff=tariff, room_type=RoomTypeFactory(name="Sample priced type"))
    return {
        "catalog:service_type_edit": {"pk": service_type.pk},
        "catalog:service_edit": {"pk": service.pk},
        "catalog:tariff_detail": {"pk": tariff.pk},
        "catalog:tariff_edit": {"pk": tariff.pk},
        "catalog:tariff_include": {"pk": tariff.pk},
        "catalog:tariff_sessions": {"pk": tariff.pk, "service_pk": service.pk},
        "catalog:tariff_exclude": {"pk": tariff.pk, "service_pk": service.pk},
        "service-type-detail": {"pk": service_type.pk},
        "service-detail": {"pk": service.pk},
        "tariff-detail": {"pk": tariff.pk},
        "tariff-price-detail": {"pk": price.pk},
    }
