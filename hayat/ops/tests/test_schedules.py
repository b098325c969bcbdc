"""A recurring job is registered once by name, however many installations start at the same moment."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django_q.models import Schedule

from hayat.core.tests.concurrency import run_in_parallel
from hayat.ops.schedules import HEARTBEAT, register


def add_schedule(name: str | None, minutes: int = 5) -> Schedule:
    return Schedule.objects.create(name=name, func=HEARTBEAT, schedule_type="I", minutes=minutes)


@pytest.mark.django_db(transaction=True)
def test_starts_at_the_same_moment_register_a_schedule_once():
    results = run_in_parallel(lambda _: register(apps, name="nightly check", func=HEARTBEAT, minutes=5), 8)
    assert [result for result in results if isinstance(result, Exception)] == []
    assert Schedule.objects.filter(name="nightly check").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_schedule_of_the_same_name():
    add_schedule("nightly check")
    with pytest.raises(IntegrityError), transaction.atomic():
        add_schedule("nightly check", minutes=9)


@pytest.mark.django_db(transaction=True)
def test_migrating_keeps_the_first_of_schedules_registered_twice_before_the_rule():
    call_command("migrate", "ops", "0001", verbosity=0)
    try:
        first = add_schedule("nightly check")
        add_schedule("nightly check", minutes=9)
        add_schedule(None)
        add_schedule(None)
    finally:
        call_command("migrate", verbosity=0)  # every app: migrating ops back also unapplied the apps after it
    assert list(Schedule.objects.filter(name="nightly check")) == [first]
    assert Schedule.objects.filter(name=None).count() == 2
