"""The included sessions each guest of a booking may use, copied from the guest's tariff."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from hayat.catalog.models import TariffService
from hayat.stays.models import Booking, GuestLine, ServiceUsage, SessionAllowance, UsageKind


def used_sessions(booking: Booking) -> dict[tuple[int, int], int]:
    """{(patient id, service id): sessions used} of the booking, undone ones left out: one query."""
    rows = (ServiceUsage.objects.filter(booking=booking, kind=UsageKind.SESSION, reversed_at__isnull=True).order_by()
            .values_list("patient_id", "service_id").annotate(count=Count("id")))
    return {(patient_id, service_id): count for patient_id, service_id, count in rows}


def sync_allowances(booking: Booking) -> None:
    """Copies the included sessions of each guest's current tariff, once per tariff (the booking is locked).

    A guest whose tariff changed gets the new tariff's sessions; services the new tariff lacks keep only
    the sessions already used. Allowances of guests no longer on the booking go unless they were used.
    """
    tariffs = dict(GuestLine.objects.filter(booking=booking, is_open=True).values_list("patient_id", "tariff_id"))
    included = defaultdict(dict)
    rows = TariffService.objects.filter(tariff_id__in=set(tariffs.values())).values_list("tariff_id", "service_id",
                                                                                         "sessions")
    for tariff_id, service_id, sessions in rows:
        included[tariff_id][service_id] = sessions
    allowances = defaultdict(dict)
    for allowance in SessionAllowance.objects.filter(booking=booking):
        allowances[allowance.patient_id][allowance.service_id] = allowance
    used = used_sessions(booking)
    for patient_id in set(tariffs) | set(allowances):
        tariff_id = tariffs.get(patient_id)
        current = allowances[patient_id]
        if tariff_id is not None and any(allowance.tariff_id == tariff_id for allowance in current.values()):
            continue
        for service_id, sessions in included.get(tariff_id, {}).items():
            allowance = current.pop(service_id, None) or SessionAllowance(booking=booking, patient_id=patient_id,
                                                                           service_id=service_id)
            allowance.tariff_id, allowance.included = tariff_id, sessions
            allowance.save()
        for service_id, allowance in current.items():
            done = used.get((patient_id, service_id), 0)
            if not done:
                allowance.delete()
            elif tariff_id is not None:
                allowance.tariff_id, allowance.included = tariff_id, min(allowance.included, done)
                allowance.save(update_fields=["tariff", "included"])
