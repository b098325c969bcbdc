"""The real background worker runs the scheduled heartbeat, on the database queue and on Redis, and starting
Hayat again never registers a schedule twice."""

import os
import sqlite3
import time

import pytest

from tests.processes import START_STEPS, manage, private_environment, start, stop

pytestmark = pytest.mark.processes

BROKERS = ["database"] + (["redis"] if os.environ.get("HAYAT_TEST_REDIS_URL") else [])


def heartbeat_successes(database) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT COUNT(*) FROM django_q_task WHERE func = 'hayat.ops.jobs.heartbeat' AND success = 1"
        ).fetchone()[0]


def schedules_by_name(database) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        return dict(connection.execute("SELECT name, COUNT(*) FROM django_q_schedule GROUP BY name").fetchall())


def wait_for_heartbeats(database, count: int) -> None:
    deadline = time.monotonic() + 90  # django-q's scheduler looks at the schedules every 30 s or so
    while heartbeat_successes(database) < count:
        assert time.monotonic() < deadline, "the worker did not run the heartbeat within 90 s"
        time.sleep(0.5)


@pytest.mark.parametrize("broker", BROKERS)
def test_worker_runs_the_heartbeat_schedule(tmp_path, broker):
    extra = {"HAYAT_REDIS_URL": os.environ["HAYAT_TEST_REDIS_URL"]} if broker == "redis" else {}
    env = private_environment(tmp_path, HAYAT_WORKER_PROCESSES="1", **extra)
    manage(env, "migrate", "--noinput", "-v", "0")
    worker = start(env, "manage.py", "qcluster")
    try:
        wait_for_heartbeats(tmp_path / "hayat.sqlite3", 1)
    finally:
        stop(worker)


def test_schedules_are_registered_once_however_often_hayat_starts(tmp_path):
    """Two starts as `python run.py serve` makes them (migrate, compile translations, seed the demo, run the
    worker until it reports running) register every schedule exactly once; the reference system added its
    schedule again at every start."""
    env = private_environment(tmp_path, HAYAT_WORKER_PROCESSES="1")
    database = tmp_path / "hayat.sqlite3"
    schedules_after_each_start = []
    for start_number in (1, 2):
        for step in START_STEPS:
            manage(env, *step)
        log = tmp_path / f"worker-{start_number}.log"
        worker = start(env, "manage.py", "qcluster", log=log)
        try:
            wait_for_line(log, "running.")
        finally:
            stop(worker)
        schedules_after_each_start.append(schedules_by_name(database))
    first, second = schedules_after_each_start
    assert first["heartbeat"] == 1 and set(first.values()) == {1}
    assert second == first


def wait_for_line(log, text: str) -> None:
    deadline = time.monotonic() + 60
    while text not in log.read_text(encoding="utf-8", errors="replace"):
        assert time.monotonic() < deadline, f"the worker did not log {text!r} within a minute"
        time.sleep(0.3)
