"""Services, tariffs with included sessions and the price grid: changed by Admin only, audited, constrained."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from hayat.catalog import services
from hayat.catalog.models import Service, TariffPrice, TariffService
from hayat.catalog.services import ServiceData, TariffData
from hayat.catalog.tests.factories import ServiceFactory, ServiceTypeFactory, TariffFactory, TariffPriceFactory
from hayat.core.errors import DomainError
from hayat.core.models import AuditEvent
from hayat.facilities.tests.factories import RoomTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def massage():
    return ServiceTypeFactory(name="Massage")


def test_admin_creates_a_service_with_a_rounded_price_and_an_upper_case_code(admin_user, massage):
    service = services.save_service(by=admin_user, data=ServiceData(
        service_type=massage, name="Classic massage", price=Decimal("150000.005"), duration_minutes=40, code="msg-1"))
    service.refresh_from_db()
    assert (service.price, service.code, service.duration_minutes) == (Decimal("150000.01"), "MSG-1", 40)
    assert AuditEvent.objects.filter(action="service.create", object_id=str(service.pk)).exists()


def test_services_without_a_code_do_not_collide_and_codes_are_unique(admin_user, massage):
    for name in ("Back massage", "Foot massage"):
        services.save_service(by=admin_user, data=ServiceData(service_type=massage, name=name, price=Decimal("1")))
    assert Service.objects.filter(code__isnull=True).count() == 2
    services.save_service(by=admin_user, data=ServiceData(service_type=massage, name="Hot stones", price=Decimal("1"),
                                                          code="HS"))
    with pytest.raises(DomainError) as taken:
        services.save_service(by=admin_user, data=ServiceData(service_type=massage, name="Cold stones",
                                                              price=Decimal("1"), code="hs"))
    assert taken.value.field == "code"


@pytest.mark.parametrize("price", [Decimal("-1"), Decimal("NaN"), "abc"])
def test_a_bad_price_is_refused_with_a_message(admin_user, massage, price):
    with pytest.raises(DomainError) as refused:
        services.save_service(by=admin_user, data=ServiceData(service_type=massage, name="X", price=price))
    assert refused.value.field == "price"


def test_only_admin_changes_the_catalogue(receptionist, doctor, massage):
    for person in (receptionist, doctor):
        with pytest.raises(PermissionDenied):
            services.save_service(by=person, data=ServiceData(service_type=massage, name="X", price=Decimal("1")))
        with pytest.raises(PermissionDenied):
            services.save_tariff(by=person, data=TariffData(name="X", code="X"))


def test_a_tariff_includes_services_with_sessions_and_changes_them(admin_user):
    tariff = services.save_tariff(by=admin_user, data=TariffData(name="Wellness 10 days", code="well-10"))
    assert tariff.code == "WELL-10"
    massage, pool = ServiceFactory(name="Massage"), ServiceFactory(name="Pool")
    services.include_service(by=admin_user, tariff=tariff, service=massage, sessions=5)
    services.include_service(by=admin_user, tariff=tariff, service=pool, sessions=10)
    services.include_service(by=admin_user, tariff=tariff, service=massage, sessions=7)
    assert dict(tariff.included.values_list("service__name", "sessions")) == {"Massage": 7, "Pool": 10}
    services.exclude_service(by=admin_user, tariff=tariff, service=pool)
    assert list(tariff.included.values_list("service__name", flat=True)) == ["Massage"]
    with pytest.raises(DomainError):
        services.exclude_service(by=admin_user, tariff=tariff, service=pool)


def test_sessions_out_of_range_and_inactive_services_are_refused(admin_user):
    tariff = TariffFactory()
    with pytest.raises(DomainError) as too_many:
        services.include_service(by=admin_user, tariff=tariff, service=ServiceFactory(), sessions=0)
    assert too_many.value.field == "sessions"
    retired = ServiceFactory(is_active=False)
    with pytest.raises(DomainError):
        services.include_service(by=admin_user, tariff=tariff, service=retired, sessions=3)


def test_set_included_services_makes_the_list_exact_and_audits_the_difference(admin_user):
    tariff = TariffFactory()
    keep, drop, add = ServiceFactory(name="Keep"), ServiceFactory(name="Drop"), ServiceFactory(name="Add")
    services.set_included_services(by=admin_user, tariff=tariff, sessions={keep: 2, drop: 3})
    services.set_included_services(by=admin_user, tariff=tariff, sessions={keep: 2, add: 4})
    assert dict(tariff.included.values_list("service__name", "sessions")) == {"Keep": 2, "Add": 4}
    last = AuditEvent.objects.filter(action="tariff.included_services").order_by("-pk").first()
    assert last.changes == {"sessions:Drop": [3, None], "sessions:Add": [None, 4]}


def test_the_price_grid_is_written_as_one_change(admin_user):
    first, second = TariffFactory(), TariffFactory()
    standard, suite = RoomTypeFactory(name="Standard"), RoomTypeFactory(name="Suite")
    TariffPriceFactory(tariff=first, room_type=suite, price=Decimal("900000"))
    services.set_price_grid(by=admin_user, prices={
        (first.pk, standard.pk): Decimal("500000"), (first.pk, suite.pk): None,
        (second.pk, standard.pk): Decimal("450000.5"), (second.pk, suite.pk): None})
    grid = {(row.tariff_id, row.room_type_id): row.price for row in TariffPrice.objects.all()}
    assert grid == {(first.pk, standard.pk): Decimal("500000.00"), (second.pk, standard.pk): Decimal("450000.50")}
    (event,) = AuditEvent.objects.filter(action="tariff_price.grid")
    assert event.changes[f"{first.pk}/{suite.pk}"] == ["900000.00", None]


def test_a_bad_cell_leaves_the_whole_grid_unchanged(admin_user):
    tariff, room_type = TariffFactory(), RoomTypeFactory(name="Standard")
    other = RoomTypeFactory(name="Suite")
    with pytest.raises(DomainError):
        services.set_price_grid(by=admin_user, prices={(tariff.pk, room_type.pk): Decimal("100"),
                                                       (tariff.pk, other.pk): Decimal("-5")})
    assert not TariffPrice.objects.exists()
    with pytest.raises(DomainError):
        services.set_price_grid(by=admin_user, prices={(tariff.pk, 999999): Decimal("100")})


def refused_by_database(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_database_refuses_negative_prices_double_cells_and_bad_sessions():
    tariff, room_type = TariffFactory(), RoomTypeFactory(name="Standard")
    service = ServiceFactory()
    TariffPriceFactory(tariff=tariff, room_type=room_type)
    assert refused_by_database(lambda: TariffPriceFactory(tariff=tariff, room_type=room_type))
    assert refused_by_database(lambda: TariffPriceFactory(tariff=TariffFactory(), room_type=room_type,
                                                          price=Decimal("-1")))
    assert refused_by_database(lambda: Service.objects.filter(pk=service.pk).update(price=Decimal("-0.01")))
    assert refused_by_database(lambda: Service.objects.filter(pk=service.pk).update(duration_minutes=0))
    TariffService.objects.create(tariff=tariff, service=service, sessions=1)
    assert refused_by_database(lambda: TariffService.objects.create(tariff=tariff, service=service, sessions=2))
    assert refused_by_database(lambda: TariffService.objects.filter(tariff=tariff).update(sessions=0))


def queries_of(action) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def test_writing_a_price_grid_takes_the_same_queries_for_two_cells_or_forty(admin_user):
    def grid(tariffs: int, price: str) -> dict:
        room_types = [RoomTypeFactory(name=f"Grid type {index}") for index in range(2)]
        return {(tariff.pk, room_type.pk): Decimal(price)
                for tariff in [TariffFactory() for _ in range(tariffs)] for room_type in room_types}

    small, large = grid(1, "100000"), grid(20, "100000")
    counts = [queries_of(lambda cells=cells: services.set_price_grid(by=admin_user, prices=cells))
              for cells in (small, large)]
    changed = [queries_of(lambda cells=cells: services.set_price_grid(
        by=admin_user, prices=dict.fromkeys(cells, Decimal("120000")))) for cells in (small, large)]
    assert counts[0] == counts[1] and changed[0] == changed[1]
    assert set(TariffPrice.objects.values_list("price", flat=True)) == {Decimal("120000.00")}
    assert TariffPrice.history.filter(history_type="~").count() == 42
    assert set(TariffPrice.history.values_list("history_user", flat=True)) == {admin_user.pk}


def test_a_bad_price_anywhere_in_the_grid_writes_nothing(admin_user):
    tariff, room_types = TariffFactory(), [RoomTypeFactory(name="Single"), RoomTypeFactory(name="Double")]
    with pytest.raises(DomainError):
        services.set_price_grid(by=admin_user, prices={(tariff.pk, room_types[0].pk): Decimal("1000"),
                                                       (tariff.pk, room_types[1].pk): Decimal("-1")})
    assert not TariffPrice.objects.exists()


def test_setting_included_services_takes_the_same_queries_for_two_services_or_twenty(admin_user):
    few, many = [ServiceFactory() for _ in range(2)], [ServiceFactory() for _ in range(20)]
    counts = []
    for chosen in (few, many):
        tariff = TariffFactory()

        def include(sessions: int, tariff=tariff, chosen=chosen):
            services.set_included_services(by=admin_user, tariff=tariff, sessions=dict.fromkeys(chosen, sessions))

        counts.append([queries_of(lambda sessions=sessions: include(sessions)) for sessions in (3, 5)])
        assert dict(tariff.included.values_list("service_id", "sessions")) == {service.pk: 5 for service in chosen}
    assert counts[0] == counts[1]


@pytest.mark.parametrize("sessions", [0, 501, True, "3"])
def test_included_sessions_out_of_range_are_refused_and_nothing_changes(admin_user, sessions):
    tariff, service = TariffFactory(), ServiceFactory()
    with pytest.raises(DomainError) as refused:
        services.set_included_services(by=admin_user, tariff=tariff, sessions={service: sessions})
    assert refused.value.field == "sessions" and not TariffService.objects.exists()
