"""Only Hayat's own jobs run: a schedule or task naming anything else is refused when saved and when it comes due."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_q import tasks
from django_q.conf import Conf
from django_q.models import Schedule, Success
from django_q.scheduler import scheduler

from hayat.core.job_registry import JobRefused, registered
from hayat.core.models import AuditEvent
from hayat.ops.schedules import HEARTBEAT, register

pytestmark = pytest.mark.django_db


def shell_command(tmp_path: Path) -> str:
    return repr((f"touch {tmp_path / 'ran'}",))


@pytest.fixture
def in_process_worker(monkeypatch):
    """The cluster's scheduler and worker run in the test's process (django-q's sync mode); the schedules the
    migrations registered are not due."""
    monkeypatch.setattr(Conf, "SYNC", True)
    Schedule.objects.update(next_run=timezone.now() + timedelta(days=1))


def run_due_schedules(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        scheduler(broker=tasks.get_broker())


def test_the_registry_holds_hayats_jobs_only():
    assert {HEARTBEAT, "hayat.billing.jobs.accrue_bed_time", "hayat.stays.jobs.expire_reservations"} <= registered()
    assert not {"os.system", "subprocess.run", "hayat.billing.jobs.open_bill"} & registered()


def test_the_django_admin_cannot_add_a_schedule(admin_user, client_as, tmp_path):
    response = client_as(admin_user).post(reverse("admin:django_q_schedule_add"), {
        "name": "pwn", "func": "os.system", "args": shell_command(tmp_path), "schedule_type": "I", "minutes": 1,
        "repeats": -1, "next_run_0": "2026-01-01", "next_run_1": "00:00:00"})
    assert response.status_code == 403
    assert not Schedule.objects.filter(name="pwn").exists()


def test_the_django_admin_cannot_change_a_schedule_to_another_function(admin_user, client_as):
    heartbeat = Schedule.objects.get(name="heartbeat")
    response = client_as(admin_user).post(reverse("admin:django_q_schedule_change", args=[heartbeat.pk]),
                                          {"name": "heartbeat", "func": "os.system", "schedule_type": "I"})
    assert response.status_code == 403
    heartbeat.refresh_from_db()
    assert heartbeat.func == HEARTBEAT


def test_saving_a_schedule_for_a_foreign_function_is_refused_and_audited(tmp_path):
    with pytest.raises(JobRefused):
        Schedule.objects.create(name="pwn", func="os.system", args=shell_command(tmp_path), schedule_type="I",
                                minutes=1)
    assert not Schedule.objects.filter(name="pwn").exists()
    assert AuditEvent.objects.get(action="job.refused").changes["func"] == "os.system"


def test_pointing_a_hayat_schedule_at_a_foreign_function_or_hook_is_refused():
    schedule = Schedule.objects.create(name="beat", func=HEARTBEAT, schedule_type="I", minutes=1)
    for field, value in (("func", "os.system"), ("hook", "shutil.rmtree")):
        stored = Schedule.objects.get(pk=schedule.pk)
        setattr(stored, field, value)
        with pytest.raises(JobRefused):
            stored.save()
    schedule.refresh_from_db()
    assert (schedule.func, schedule.hook) == (HEARTBEAT, None)


def test_registering_a_foreign_function_is_refused():
    from django.apps import apps

    with pytest.raises(JobRefused):
        register(apps, name="pwn", func="os.system", minutes=1)
    assert not Schedule.objects.filter(name="pwn").exists()


def insert_by_sql(name: str, func: str, args: str) -> None:
    table = connection.ops.quote_name(Schedule._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in
                        ("name", "func", "args", "schedule_type", "minutes", "repeats", "next_run"))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
                       [name, func, args, "I", 1, -1, timezone.now() - timedelta(minutes=5)])


@pytest.mark.parametrize("door", ["raw SQL", "bulk_create"])
def test_a_schedule_written_into_the_table_runs_nothing_and_is_removed(door, tmp_path, in_process_worker,
                                                                        django_capture_on_commit_callbacks):
    if door == "raw SQL":
        insert_by_sql("pwn", "os.system", shell_command(tmp_path))
    else:
        Schedule.objects.bulk_create([Schedule(name="pwn", func="os.system", args=shell_command(tmp_path),
                                               schedule_type="I", minutes=1,
                                               next_run=timezone.now() - timedelta(minutes=5))])
    run_due_schedules(django_capture_on_commit_callbacks)
    assert not (tmp_path / "ran").exists()
    assert not Schedule.objects.filter(name="pwn").exists()
    event = AuditEvent.objects.get(action="job.refused")
    assert event.changes == {"func": "os.system", "hook": ""}
    assert Success.objects.get().func == "hayat.core.jobs.refuse"


def test_a_foreign_hook_on_a_schedule_written_into_the_table_is_not_called(tmp_path, in_process_worker,
                                                                           django_capture_on_commit_callbacks):
    Schedule.objects.bulk_create([Schedule(name="hooked", func=HEARTBEAT, hook="os.remove", schedule_type="I",
                                           minutes=1, next_run=timezone.now() - timedelta(minutes=5))])
    run_due_schedules(django_capture_on_commit_callbacks)
    assert not Schedule.objects.filter(name="hooked").exists()
    assert AuditEvent.objects.get(action="job.refused").changes == {"func": HEARTBEAT, "hook": "os.remove"}


def test_a_task_queued_for_a_foreign_function_runs_nothing(tmp_path, in_process_worker):
    tasks.async_task("os.system", f"touch {tmp_path / 'ran'}")
    assert not (tmp_path / "ran").exists()
    assert AuditEvent.objects.filter(action="job.refused", note="os.system").exists()


def test_hayats_own_schedules_still_run(in_process_worker, django_capture_on_commit_callbacks):
    Schedule.objects.create(name="beat", func=HEARTBEAT, schedule_type="I", minutes=1,
                            next_run=timezone.now() - timedelta(minutes=5))
    run_due_schedules(django_capture_on_commit_callbacks)
    assert Success.objects.get().func == HEARTBEAT
    assert Schedule.objects.filter(name="beat").exists()
    assert not AuditEvent.objects.filter(action="job.refused").exists()
