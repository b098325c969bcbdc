"""The included sessions each guest of a booking may use, copied from the guest's tariff."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from hayat.catalog.courses import included_sessions
from hayat.catalog.models import TariffService
from hayat.stays.models import Booking, GuestLine, ServiceUsage, SessionAllowance, UsageKind


def used_sessions(booking: Booking) -> dict[tuple[int, int], int]:
    """{(patient id, service id): sessions used} of the booking, undone ones left out: one query."""
    rows = (ServiceUsage.objects.filter(booking=booking, kind=UsageKind.SESSION, reversed_at__isnull=True).order_by()
            .values_list("patient_id", "service_id").annotate(count=Count("id")))
    return {(patient_id, service_id): count for patient_id, service_id, count in rows}


def sync_allowances(booking: Booking) -> None:
    """Copies the included sessions of each guest's current tariff, once per tariff (the booking is locked),
    prorated to the nights the guest stays on it (hayat.catalog.courses.included_sessions).

    A guest whose tariff changed gets the new tariff's sessions; services the new tariff lacks keep only
    the sessions already used. Allowances of guests no longer on the booking go unless they were used.
    """
    lines = GuestLine.objects.filter(booking=booking, removed_at__isnull=True).values_list(
        "patient_id", "tariff_id", "start_date", "end_date", "is_open")
    tariffs, nights = {}, defaultdict(int)
    for patient_id, tariff_id, start, end, is_open in lines:
        nights[(patient_id, tariff_id)] += (end - start).days
        if is_open:
            tariffs[patient_id] = tariff_id
    included = defaultdict(dict)
    rows = TariffService.objects.filter(tariff_id__in=set(tariffs.values())).values_list(
        "tariff_id", "service_id", "sessions", "tariff__sessions_basis", "tariff__length_days")
    for tariff_id, service_id, sessions, basis, length_days in rows:
        included[tariff_id][service_id] = (sessions, basis, length_days)
    allowances = defaultdict(dict)
    for allowance in SessionAllowance.objects.filter(booking=booking):
        allowances[allowance.patient_id][allowance.service_id] = allowance
    used = used_sessions(booking)
    for patient_id in set(tariffs) | set(allowances):
        tariff_id = tariffs.get(patient_id)
        current = allowances[patient_id]
        if tariff_id is not None and any(allowance.tariff_id == tariff_id for allowance in current.values()):
            continue
        for service_id, (sessions, basis, length_days) in included.get(tariff_id, {}).items():
            allowance = current.pop(service_id, None) or SessionAllowance(booking=booking, patient_id=patient_id,
                                                                           service_id=service_id)
            allowance.tariff_id = tariff_id
            allowance.included = included_sessions(sessions=sessions, basis=basis, length_days=length_days,
                                                   days=nights[(patient_id, tariff_id)])
            allowance.save()
        for service_id, allowance in current.items():
            done = used.get((patient_id, service_id), 0)
            if not done:
                allowance.delete()
            elif tariff_id is not None:
                allowance.tariff_id, allowance.included = tariff_id, min(allowance.included, done)
                allowance.save(update_fields=["tariff", "included"])
