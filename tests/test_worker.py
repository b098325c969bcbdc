"""The real background worker runs the scheduled heartbeat, on the database queue and on Redis."""

import os
import sqlite3
import time

import pytest

from tests.processes import manage, private_environment, start, stop

pytestmark = pytest.mark.processes

BROKERS = ["database"] + (["redis"] if os.environ.get("HAYAT_TEST_REDIS_URL") else [])


def heartbeat_successes(database) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT COUNT(*) FROM django_q_task WHERE func = 'hayat.ops.jobs.heartbeat' AND success = 1"
        ).fetchone()[0]


def schedules_named_heartbeat(database) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT COUNT(*) FROM django_q_schedule WHERE name = 'heartbeat'").fetchone()[0]


@pytest.mark.parametrize("broker", BROKERS)
def test_worker_runs_the_heartbeat_schedule(tmp_path, broker):
    extra = {"HAYAT_REDIS_URL": os.environ["HAYAT_TEST_REDIS_URL"]} if broker == "redis" else {}
    env = private_environment(tmp_path, HAYAT_WORKER_PROCESSES="1", **extra)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "migrate", "--noinput", "-v", "0")  # a second start registers nothing again
    database = tmp_path / "hayat.sqlite3"
    assert schedules_named_heartbeat(database) == 1
    worker = start(env, "manage.py", "qcluster")
    try:
        deadline = time.monotonic() + 60
        while heartbeat_successes(database) == 0:
            assert time.monotonic() < deadline, "the worker did not run the heartbeat within a minute"
            time.sleep(0.5)
    finally:
        stop(worker)
    assert schedules_named_heartbeat(database) == 1
