"""Services charged by time (oxygen, a ventilator, a monitor): started and stopped on an episode by a nurse, they
accrue exactly like bed time: one growing line per use, right without the worker, idempotent, stopped at discharge."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hayat.billing import jobs, selectors
from hayat.billing.models import BillItem, ItemKind
from hayat.billing.tests import factories
from hayat.catalog.models import Service, ServiceType
from hayat.clinical import timed
from hayat.core.charging import ChargeUnit
from hayat.core.errors import Conflict


@pytest.fixture
def oxygen(db):
    return Service.objects.create(service_type=ServiceType.objects.create(name="Respiratory"), name="Oxygen",
                                  price=Decimal("2000.00"), charged_by_time=True, charge_unit=ChargeUnit.HOUR)


def timed_lines(bill) -> list[tuple]:
    return list(bill.items.filter(kind=ItemKind.TIMED_SERVICE).values_list("quantity", "amount", "is_final", "unit"))


def test_a_use_accrues_like_bed_time_and_the_job_writes_it_once(bill, admitted, oxygen, nurse, clock):
    use = timed.start_use(by=nurse, episode=admitted, service=oxygen)
    clock.advance(hours=2, minutes=10)
    view = selectors.live_bill(bill)
    (line,) = [line for _label, lines in view.groups for line in lines if line.kind == ItemKind.TIMED_SERVICE]
    assert (line.quantity, line.amount, line.accruing, line.unit) == (3, Decimal("6000.00"), True, "hour")
    jobs.accrue_bed_time()
    jobs.accrue_bed_time()
    assert timed_lines(bill) == [(Decimal("3.00"), Decimal("6000.00"), False, "hour")]
    clock.advance(hours=1)
    timed.stop_use(by=nurse, use=use)
    clock.advance(hours=5)
    jobs.accrue_bed_time()
    assert timed_lines(bill) == [(Decimal("4.00"), Decimal("8000.00"), True, "hour")]
    assert BillItem.objects.filter(bill=bill, source_key=f"use:{use.pk}").count() == 1


def test_discharge_stops_the_running_uses_and_their_lines(bill, admitted, oxygen, nurse, ward, clock):
    timed.start_use(by=nurse, episode=admitted, service=oxygen)
    with pytest.raises(Conflict, match="already running"):
        timed.start_use(by=nurse, episode=admitted, service=oxygen)
    clock.advance(hours=1, minutes=30)
    factories.discharge(admitted, by=ward.doctor)
    assert timed_lines(bill) == [(Decimal("2.00"), Decimal("4000.00"), True, "hour")]
    clock.advance(hours=10)
    jobs.accrue_bed_time()
    assert timed_lines(bill) == [(Decimal("2.00"), Decimal("4000.00"), True, "hour")]
    with pytest.raises(Conflict, match="admitted"):
        timed.start_use(by=nurse, episode=admitted, service=oxygen)


def test_only_nurses_and_doctors_start_them_and_the_page_and_api_do(bill, admitted, oxygen, nurse, teller,
                                                                    client_as, api_as, clock):
    with pytest.raises(PermissionDenied):
        timed.start_use(by=teller, episode=admitted, service=oxygen)
    client = client_as(nurse)
    page = client.get(admitted.get_absolute_url()).content.decode()
    assert 'id="start-timed-use"' in page and "Oxygen" in page
    client.post(reverse("clinical:timed_use_start", args=[admitted.pk]), {"service": oxygen.pk})
    use = admitted.timed_uses.get()
    assert use.is_open
    refused = client.post(reverse("clinical:timed_use_start", args=[admitted.pk]), {"service": "x"}, follow=True)
    assert "Choose the service" in refused.content.decode()
    client.post(reverse("clinical:timed_use_stop", args=[use.pk]))
    use.refresh_from_db()
    assert not use.is_open
    api = api_as(nurse)
    started = api.post(reverse("episode-timed-uses", args=[admitted.pk]), {"service": oxygen.pk}, format="json")
    assert started.status_code == 201 and started.json()["service_name"] == "Oxygen"
    stopped = api.post(reverse("timed-use-stop", args=[started.json()["id"]]), format="json")
    assert stopped.status_code == 200 and stopped.json()["ended_at"]
    assert api.post(reverse("timed-use-stop", args=[started.json()["id"]]), format="json").status_code == 409
