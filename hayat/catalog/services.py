"""Every change to service types, services, tariffs, their included sessions and the price grid."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from hayat.accounts.models import User
from hayat.catalog.models import Service, ServiceType, SessionBasis, Tariff, TariffPrice, TariffService
from hayat.core import audit, policy
from hayat.core.charging import POLICY_FIELDS, ChargeUnit, checked_policy
from hayat.core.errors import DomainError
from hayat.core.money import round_money
from hayat.facilities.models import RoomType
from hayat.facilities.records import save_checked

SERVICE_TYPE_FIELDS = ("name", "description", "is_active")
SERVICE_FIELDS = ("service_type", "name", "code", "description", "duration_minutes", "price", "is_active",
                  "charged_by_time", *POLICY_FIELDS)
TARIFF_FIELDS = ("name", "code", "description", "sessions_basis", "length_days", "is_active")


@dataclass
class ServiceTypeData:
    name: str
    description: str = ""
    is_active: bool = True


@dataclass
class ServiceData:
    service_type: ServiceType
    name: str
    price: Decimal
    duration_minutes: int = 30
    code: str = ""
    description: str = ""
    is_active: bool = True
    charged_by_time: bool = False
    charge_unit: str = ChargeUnit.HOUR
    minimum_units: int = 1
    grace_minutes: int = 0
    free_minutes: int = 0


@dataclass
class TariffData:
    name: str
    code: str
    description: str = ""
    is_active: bool = True
    sessions_basis: str = SessionBasis.PACKAGE
    length_days: int | None = None


@transaction.atomic
def save_service_type(*, by: User, data: ServiceTypeData, service_type: ServiceType | None = None) -> ServiceType:
    """Creates a service type, or changes `service_type`."""
    policy.ensure(by, "catalog.manage")
    creating = service_type is None
    service_type = ServiceType() if creating else ServiceType.objects.select_for_update().get(pk=service_type.pk)
    before = {} if creating else audit.snapshot(service_type, SERVICE_TYPE_FIELDS)
    service_type.name, service_type.description = data.name.strip(), data.description.strip()
    service_type.is_active = data.is_active
    save_checked(service_type, by=by)
    audit.record("service_type.create" if creating else "service_type.update", by=by, obj=service_type,
                 changes=audit.changes_between(before, audit.snapshot(service_type, SERVICE_TYPE_FIELDS)))
    return service_type


@transaction.atomic
def save_service(*, by: User, data: ServiceData, service: Service | None = None) -> Service:
    """Creates a service, or changes `service`. Prices are per session, in the configured currency."""
    policy.ensure(by, "catalog.manage")
    creating = service is None
    service = Service() if creating else Service.objects.select_for_update().get(pk=service.pk)
    before = {} if creating else audit.snapshot(service, SERVICE_FIELDS)
    service.service_type, service.name = data.service_type, data.name.strip()
    service.code = data.code.strip().upper() or None
    service.description, service.duration_minutes = data.description.strip(), data.duration_minutes
    service.price, service.is_active = money(data.price, field="price"), data.is_active
    service.charged_by_time = data.charged_by_time
    service.set_charge_policy(checked_policy(unit=data.charge_unit, minimum_units=data.minimum_units,
                                             grace_minutes=data.grace_minutes, free_minutes=data.free_minutes))
    save_checked(service, by=by)
    audit.record("service.create" if creating else "service.update", by=by, obj=service,
                 changes=audit.changes_between(before, audit.snapshot(service, SERVICE_FIELDS)))
    return service


@transaction.atomic
def save_tariff(*, by: User, data: TariffData, tariff: Tariff | None = None) -> Tariff:
    """Creates a tariff, or changes `tariff`'s name, code, description, course (its length and whether its sessions
    are a package or per day) or availability for new stays. Stays booked already keep the sessions they got."""
    policy.ensure(by, "catalog.manage")
    creating = tariff is None
    tariff = Tariff() if creating else Tariff.objects.select_for_update().get(pk=tariff.pk)
    before = {} if creating else audit.snapshot(tariff, TARIFF_FIELDS)
    tariff.name, tariff.code = data.name.strip(), data.code.strip().upper()
    tariff.description, tariff.is_active = data.description.strip(), data.is_active
    tariff.sessions_basis, tariff.length_days = data.sessions_basis, data.length_days
    save_checked(tariff, by=by)
    audit.record("tariff.create" if creating else "tariff.update", by=by, obj=tariff,
                 changes=audit.changes_between(before, audit.snapshot(tariff, TARIFF_FIELDS)))
    return tariff


@transaction.atomic
def include_service(*, by: User, tariff: Tariff, service: Service, sessions: int) -> TariffService:
    """Includes a service in a tariff with `sessions` sessions, or changes the number if already included."""
    policy.ensure(by, "catalog.manage")
    tariff = Tariff.objects.select_for_update().get(pk=tariff.pk)
    included = TariffService.objects.filter(tariff=tariff, service=service).first()
    if included is None and not service.is_active:
        raise DomainError(_("%(service)s is not offered any more.") % {"service": service.name}, field="service")
    old = included.sessions if included else None
    included = included or TariffService(tariff=tariff, service=service)
    included.sessions = sessions
    save_checked(included, by=by)
    audit.record("tariff.include_service", by=by, obj=tariff, changes={f"sessions:{service.name}": [old, sessions]})
    return included


@transaction.atomic
def exclude_service(*, by: User, tariff: Tariff, service: Service) -> None:
    """Takes a service out of a tariff. Stays already booked keep what they were sold (their own copy)."""
    policy.ensure(by, "catalog.manage")
    tariff = Tariff.objects.select_for_update().get(pk=tariff.pk)
    included = TariffService.objects.filter(tariff=tariff, service=service).first()
    if included is None:
        raise DomainError(_("%(service)s is not part of this tariff.") % {"service": service.name}, field="service")
    included.delete()
    audit.record("tariff.exclude_service", by=by, obj=tariff,
                 changes={f"sessions:{service.name}": [included.sessions, None]})


@transaction.atomic
def set_included_services(*, by: User, tariff: Tariff, sessions: Mapping[Service, int]) -> Tariff:
    """Makes the tariff include exactly these services with these numbers of sessions."""
    policy.ensure(by, "catalog.manage")
    tariff = Tariff.objects.select_for_update().get(pk=tariff.pk)
    current = {included.service_id: included for included in tariff.included.select_related("service")}
    wanted = {service.pk: (service, session_count(count)) for service, count in sessions.items()}
    changes, dropped, added, changed = {}, [], [], []
    for service_id, included in current.items():
        if service_id not in wanted:
            dropped.append(included.pk)
            changes[f"sessions:{included.service.name}"] = [included.sessions, None]
    for service_id, (service, count) in wanted.items():
        included = current.get(service_id)
        if included is None and not service.is_active:
            raise DomainError(_("%(service)s is not offered any more.") % {"service": service.name},
                              field="services")
        if included is not None and included.sessions == count:
            continue
        changes[f"sessions:{service.name}"] = [included.sessions if included else None, count]
        if included is None:
            added.append(TariffService(tariff=tariff, service=service, sessions=count))
        else:
            included.sessions = count
            changed.append(included)
    # Checked above, under the tariff's lock: one statement per kind of change, whatever the number of services.
    TariffService.objects.filter(pk__in=dropped).delete()
    TariffService.objects.bulk_update(changed, ["sessions"])
    TariffService.objects.bulk_create(added)
    if changes:
        audit.record("tariff.included_services", by=by, obj=tariff, changes=changes)
    return tariff


@transaction.atomic
def set_price(*, by: User, tariff: Tariff, room_type: RoomType, price: Decimal | None) -> TariffPrice | None:
    """Sets one cell of the price grid; None clears it, so the room's base price applies again."""
    policy.ensure(by, "catalog.manage")
    return set_price_grid(by=by, prices={(tariff.pk, room_type.pk): price}).get((tariff.pk, room_type.pk))


@transaction.atomic
def set_price_grid(*, by: User, prices: Mapping[tuple[int, int], Decimal | None]) -> dict[tuple[int, int], TariffPrice]:
    """Writes the tariff × room-type prices given (None clears a cell) as one change, audited once.

    Returns the price rows that exist afterwards for the cells given.
    """
    policy.ensure(by, "catalog.manage")
    tariff_ids = {tariff_id for tariff_id, _room_type_id in prices}
    room_type_ids = {room_type_id for _tariff_id, room_type_id in prices}
    known_tariffs = set(Tariff.objects.select_for_update().filter(pk__in=tariff_ids).values_list("pk", flat=True))
    known_types = set(RoomType.objects.filter(pk__in=room_type_ids).values_list("pk", flat=True))
    if tariff_ids - known_tariffs:
        raise DomainError(_("Unknown tariff."), field="tariff")
    if room_type_ids - known_types:
        raise DomainError(_("Unknown room type."), field="room_type")
    amounts = {key: None if price is None or price == "" else money(price, field="price")
               for key, price in prices.items()}
    existing = {(row.tariff_id, row.room_type_id): row
                for row in TariffPrice.objects.filter(tariff_id__in=tariff_ids, room_type_id__in=room_type_ids)}
    result, changes, cleared, added, changed = {}, {}, [], [], []
    for key, amount in sorted(amounts.items()):
        row = existing.get(key)
        label = f"{key[0]}/{key[1]}"
        if amount is None:
            if row is not None:
                cleared.append(row.pk)
                changes[label] = [str(row.price), None]
            continue
        result[key] = row
        if row is not None and row.price == amount:
            continue
        changes[label] = [str(row.price) if row else None, str(amount)]
        if row is None:
            row = result[key] = TariffPrice(tariff_id=key[0], room_type_id=key[1], price=amount)
            added.append(row)
        else:
            row.price = amount
            changed.append(row)
    # Every value was checked above and the tariffs are locked: one statement per kind of change (history rows
    # in bulk too), whatever the size of the grid. A cleared cell's history row comes from its delete signal.
    TariffPrice.objects.filter(pk__in=cleared).delete()
    bulk_update_with_history(changed, TariffPrice, ["price"], default_user=actor(by))
    bulk_create_with_history(added, TariffPrice, default_user=actor(by))
    if changes:
        audit.record("tariff_price.grid", by=by, changes=changes)
    return result


def session_count(value) -> int:
    """Sessions of an included service: a whole number from 1 to 500 (the database says the same)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 500:
        raise DomainError(_("Give from 1 to 500 sessions."), field="sessions")
    return value


def actor(by: User | None) -> User | None:
    return by if getattr(by, "is_authenticated", False) else None


def money(value, *, field: str) -> Decimal:
    """A non-negative amount rounded by the one rounding rule, or a clear refusal."""
    try:
        amount = round_money(value)
    except (TypeError, ValueError, InvalidOperation) as error:
        raise DomainError(_("Enter an amount of money."), field=field) from error
    if not amount.is_finite() or amount < 0:
        raise DomainError(_("A price cannot be negative."), field=field)
    return amount
