"""Bed time: one line per assignment whose started hours grow; derived from facts, written idempotently."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django_q.models import Schedule

from hayat.billing import jobs, selectors, services
from hayat.billing.models import Bill, BillItem, BillStatus, ItemKind
from hayat.billing.tests import factories
from hayat.core.charging import ChargeUnit
from hayat.core.tests.concurrency import run_in_parallel


def bed_lines(bill) -> list[tuple]:
    return list(bill.items.filter(kind=ItemKind.BED_TIME).order_by("bed_assignment__started_at")
                .values_list("bed_assignment__bed__room__name", "quantity", "unit_price", "amount", "is_final"))


def discharge(episode, doctor, discharged_at=None):
    return factories.discharge(episode, by=doctor, at=discharged_at)


def test_the_bill_page_is_right_even_if_the_job_never_ran(bill, clock):
    clock.advance(hours=5, minutes=1)
    view = selectors.live_bill(bill)
    (label, lines), = view.groups
    assert [(line.quantity, line.amount, line.accruing) for line in lines] == [(6, Decimal("60000.00"), True)]
    assert view.total == Decimal("60000.00")
    bill.refresh_from_db()
    assert bill.items_total == Decimal("0.00"), "reading the bill writes nothing"


def test_running_the_job_twice_writes_the_same_lines(bill, clock):
    clock.advance(hours=3, minutes=20)
    first = jobs.accrue_bed_time()
    lines = bed_lines(bill)
    second = jobs.accrue_bed_time()
    assert bed_lines(bill) == lines == [("301", Decimal("4.00"), Decimal("10000.00"), Decimal("40000.00"), False)]
    assert first.startswith("1 bills") and second.startswith("0 bills")
    bill.refresh_from_db()
    assert bill.items_total == Decimal("40000.00")


def test_an_idle_run_costs_five_queries(bill, clock, django_assert_max_num_queries):
    clock.advance(hours=2)
    jobs.accrue_bed_time()
    with django_assert_max_num_queries(5):
        jobs.accrue_bed_time()


def test_a_chunk_costs_the_same_queries_for_5_and_50_bills(teller, clock, django_assert_max_num_queries):
    """The job's cost per transaction does not grow with the number of beds (it once took 7 queries a bill)."""
    few = factories.admitted_in_bulk(5, by=teller, started_at=clock.now(), prefix="F")
    many = factories.admitted_in_bulk(50, by=teller, started_at=clock.now(), prefix="M")
    for hours in (3, 1):  # the lines written, then grown by an hour
        clock.advance(hours=hours)
        with django_assert_max_num_queries(13) as counted:  # the services charged by time: one query more
            assert jobs.accrue_bills([bill.pk for bill in few]) == 5
        with django_assert_max_num_queries(len(counted.captured_queries)):
            assert jobs.accrue_bills([bill.pk for bill in many]) == 50
    assert BillItem.objects.filter(kind=ItemKind.BED_TIME, is_final=False).count() == 55


def test_a_day_with_a_transfer_at_hour_ten_bills_each_bed_at_its_rate(admitted, ward, clock):
    start = clock.now()
    for hour in range(1, 10):
        clock.set(start + timedelta(hours=hour, minutes=7 * hour % 60))
        jobs.accrue_bed_time()
    clock.set(start + timedelta(hours=10))
    factories.transfer(admitted, ward.bed3, by=ward.doctor)
    for hour in range(11, 24):
        clock.set(start + timedelta(hours=hour, minutes=30))
        jobs.accrue_bed_time()
    clock.set(start + timedelta(hours=24))
    discharge(admitted, ward.doctor)
    clock.advance(hours=6)
    jobs.accrue_bed_time()
    bill = factories.bill_of(admitted)
    assert bed_lines(bill) == [
        ("301", Decimal("10.00"), Decimal("10000.00"), Decimal("100000.00"), True),
        ("302", Decimal("14.00"), Decimal("15000.00"), Decimal("210000.00"), True),
    ]
    bill.refresh_from_db()
    assert bill.items_total == Decimal("310000.00") == bill.balance


def test_a_one_minute_worker_interval_still_charges_hours(bill, settings, clock):
    settings.HAYAT_BED_TIME_INTERVAL_MINUTES = 1
    clock.advance(minutes=3, seconds=20)
    jobs.accrue_bed_time()
    assert bed_lines(bill) == [("301", Decimal("1.00"), Decimal("10000.00"), Decimal("10000.00"), False)]


def test_a_minute_policy_grows_by_the_minute_priced_and_named_per_minute(ward, clock, client_as, teller):
    ward.room.room_type.charge_unit = ChargeUnit.MINUTE
    ward.room.room_type.save()
    ward.room.hourly_rate = Decimal("250.00")
    ward.room.save()
    episode = factories.admit(ward.patient, ward.bed1, doctor=ward.doctor, by=ward.coder)
    bill = factories.bill_of(episode)
    clock.advance(minutes=3, seconds=20)
    jobs.accrue_bed_time()
    assert bed_lines(bill) == [("301", Decimal("4.00"), Decimal("250.00"), Decimal("1000.00"), False)]
    clock.advance(minutes=1)
    bill.refresh_from_db()
    assert selectors.live_bill(bill).total == Decimal("1250.00")
    page = client_as(teller).get(bill.get_absolute_url()).content.decode()
    assert "5 min" in page and "/ min" in page and "/ h" not in page


def test_a_half_day_policy_with_grace_counts_the_reference_stay(ward, clock):
    ward.room.room_type.charge_unit, ward.room.room_type.grace_minutes = ChargeUnit.HALF_DAY, 180
    ward.room.room_type.save()
    episode = factories.admit(ward.patient, ward.bed1, doctor=ward.doctor, by=ward.coder)
    clock.advance(hours=24, minutes=20)
    discharge(episode, ward.doctor)
    assert bed_lines(factories.bill_of(episode)) == [
        ("301", Decimal("2.00"), Decimal("10000.00"), Decimal("20000.00"), True)]


def test_discharge_writes_the_final_partial_hour_and_accrual_stops(admitted, ward, clock):
    clock.advance(hours=2, minutes=10)
    discharge(admitted, ward.doctor)
    bill = factories.bill_of(admitted)
    assert bed_lines(bill) == [("301", Decimal("3.00"), Decimal("10000.00"), Decimal("30000.00"), True)]
    clock.advance(hours=30)
    jobs.accrue_bed_time()
    assert selectors.live_bill(bill).total == Decimal("30000.00")
    assert bed_lines(bill)[0][1] == Decimal("3.00")


def test_a_discharge_back_in_time_bills_up_to_the_discharge_time(admitted, ward, clock):
    start = clock.now()
    clock.advance(hours=8)
    jobs.accrue_bed_time()
    discharge(admitted, ward.doctor, discharged_at=start + timedelta(hours=5, minutes=30))
    assert bed_lines(factories.bill_of(admitted))[0][1:] == (Decimal("6.00"), Decimal("10000.00"),
                                                            Decimal("60000.00"), True)


def test_an_outpatient_bill_has_no_bed_time(ward, clock):
    episode = factories.outpatient(ward.patient, doctor=ward.doctor, by=ward.coder)
    clock.advance(hours=4)
    jobs.accrue_bed_time()
    bill = factories.bill_of(episode)
    assert not bill.items.exists() and bill.status == BillStatus.PENDING


def test_the_job_opens_a_bill_that_is_missing(ward, clock):
    episode = factories.admit(ward.patient, ward.bed2, doctor=ward.doctor, by=ward.coder)
    bill = factories.bill_of(episode)
    BillItem.objects.filter(bill=bill).delete()
    bill.status_changes.all().delete()
    Bill.objects.filter(pk=bill.pk).delete()
    clock.advance(hours=1, minutes=1)
    jobs.accrue_bed_time()
    assert bed_lines(factories.bill_of(episode)) == [("301", Decimal("2.00"), Decimal("10000.00"),
                                                      Decimal("20000.00"), False)]


def test_a_void_bill_accrues_nothing(bill, admin_user, clock):
    services.void(by=admin_user, bill=bill, reason="Charity case")
    clock.advance(hours=5)
    assert jobs.accrue_bed_time().startswith("0 bills")
    assert bed_lines(bill)[0][1] == Decimal("0.00")


def after_migrate() -> None:
    """What the end of every `migrate` does: the post_migrate signal to every app."""
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


def accrual_schedules() -> list[Schedule]:
    return list(Schedule.objects.filter(func="hayat.billing.jobs.accrue_bed_time"))


def test_the_schedule_is_registered_once(db):
    after_migrate()
    after_migrate()
    (schedule,) = accrual_schedules()
    assert (schedule.name, schedule.schedule_type, schedule.minutes) == (jobs.SCHEDULE, "I", 60)


def test_the_schedule_follows_the_interval_setting_after_migrate(db, settings, clock):
    """The interval was frozen at the first migration: a demo set to one minute still ran hourly."""
    Schedule.objects.filter(name=jobs.SCHEDULE).update(next_run=clock.now() + timedelta(minutes=59))
    settings.HAYAT_BED_TIME_INTERVAL_MINUTES = 1
    after_migrate()
    (schedule,) = accrual_schedules()
    assert schedule.minutes == 1 and schedule.next_run == clock.now() + timedelta(minutes=1)
    settings.HAYAT_BED_TIME_INTERVAL_MINUTES = 15
    after_migrate()
    after_migrate()
    (schedule,) = accrual_schedules()
    assert schedule.minutes == 15 and schedule.next_run == clock.now() + timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
def test_workers_running_at_once_write_each_line_once(doctor, coder, clock):
    room = factories.hospital_room("401", beds=6, rate="7000.00")
    episodes = [factories.admit(factories.PatientFactory(), bed, doctor=doctor, by=coder)
                for bed in room.beds.order_by("number")]
    clock.advance(hours=7, minutes=45)
    outcomes = run_in_parallel(lambda index: jobs.accrue_bed_time(), 4)
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    for episode in episodes:
        bill = factories.bill_of(episode)
        assert bed_lines(bill) == [("401", Decimal("8.00"), Decimal("7000.00"), Decimal("56000.00"), False)]
        assert bill.items_total == Decimal("56000.00")
    assert BillItem.objects.filter(kind=ItemKind.BED_TIME).count() == len(episodes)
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_discharge_during_an_accrual_run_leaves_the_final_line(doctor, coder, clock):
    room = factories.hospital_room("402", beds=4, rate="9000.00")
    episodes = [factories.admit(factories.PatientFactory(), bed, doctor=doctor, by=coder)
                for bed in room.beds.order_by("number")]
    clock.advance(hours=2, minutes=40)

    def work(index: int):
        if index < 2:
            return jobs.accrue_bed_time()
        return factories.discharge(episodes[index], by=doctor)

    outcomes = run_in_parallel(work, 4)
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    for index, episode in enumerate(episodes):
        bill = factories.bill_of(episode)
        assert bed_lines(bill) == [("402", Decimal("3.00"), Decimal("9000.00"), Decimal("27000.00"), index >= 2)]
        assert bill.items_total == Decimal("27000.00")
    clock.advance(hours=5)
    jobs.accrue_bed_time()
    finals = [bed_lines(factories.bill_of(episode))[0][1] for episode in episodes]
    assert finals == [Decimal("8.00"), Decimal("8.00"), Decimal("3.00"), Decimal("3.00")]
    connection.close()
