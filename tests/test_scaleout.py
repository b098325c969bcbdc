"""Two app servers and two workers on one PostgreSQL and one Redis, behind nginx sharing requests round robin:
the rules hold across processes, and nothing a user made lives in one server's memory.

Marked `scaleout`: `run.py test` runs it once, in the PostgreSQL pass (it makes its own database beside the
test database, `<name>_scaleout`, and uses Redis database 14 unless HAYAT_TEST_SCALEOUT_REDIS_URL says otherwise).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
import redis

from tests.processes import ROOT, free_port, manage, private_environment, start, start_web_server, stop
from tests.proxy import Browser, csrf_token_in, start_nginx

pytestmark = pytest.mark.scaleout

REDIS_URL = os.environ.get("HAYAT_TEST_SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/14")
ACCRUAL = "hayat.billing.jobs.accrue_bed_time"


@dataclass
class Cluster:
    database: str
    proxy: int
    servers: list[int]
    data: dict
    folder: Path

    def rows(self, sql: str, *params) -> list[tuple]:
        with psycopg.connect(self.database) as connection:
            return connection.execute(sql, params).fetchall()

    def browser(self) -> Browser:
        return Browser(self.proxy)


def scaleout_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    assert url.startswith("postgres"), "the scale-out test runs on PostgreSQL: DATABASE_URL=postgres://..."
    base, name = url.rsplit("/", 1)
    url = f"{base}/{name}_scaleout"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}_scaleout" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}_scaleout"')
    return url


def make_data(env: dict) -> dict:
    script = "import json, django; django.setup(); from tests.scaleout_data import make; print(json.dumps(make()))"
    made = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True,
                          text=True, timeout=300)
    return json.loads(made.stdout.strip().splitlines()[-1])


@contextmanager
def running_cluster(folder: Path) -> Iterator[Cluster]:
    database = scaleout_database()
    redis.Redis.from_url(REDIS_URL).flushdb()
    shared = {"DATABASE_URL": database, "HAYAT_REDIS_URL": REDIS_URL, "HAYAT_MEDIA_ROOT": str(folder / "media"),
              "HAYAT_WORKER_PROCESSES": "1", "HAYAT_TRUSTED_PROXIES": "127.0.0.1"}
    hosts = [private_environment(folder / f"host{number}", **shared) for number in (1, 2)]
    manage(hosts[0], "migrate", "--noinput", "-v", "0")
    for env in hosts:  # each host serves its own copy of the static files, as `run.py serve` collects them
        manage(env, "collectstatic", "--noinput", "-v", "0")
    data = make_data(hosts[0])
    ports, proxy = [free_port(), free_port()], free_port()
    processes = [start_web_server(env, port, workers=1) for env, port in zip(hosts, ports, strict=True)]
    processes += [start(env, "manage.py", "qcluster", log=folder / f"worker{number}.log")
                  for number, env in enumerate(hosts, start=1)]
    processes.append(start_nginx(folder, proxy, ports))
    try:
        yield Cluster(database, proxy, ports, data, folder)
    finally:
        for process in reversed(processes):
            stop(process)
        base, name = database.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def upstreams_used(cluster: Cluster, path_part: str) -> set[str]:
    lines = (cluster.folder / "nginx-access.log").read_text().splitlines()
    return {line.split()[0] for line in lines if path_part in line}


def in_parallel(work, count: int) -> list:
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(work, range(count)))


def twenty_parallel_bookings_for_the_last_place_give_one(cluster: Cluster) -> None:
    desk = cluster.browser()
    desk.sign_in_to_the_api("desk", cluster.data["password"])
    data = cluster.data

    def book(index: int) -> int:
        return Browser(cluster.proxy, token=desk.token).post_json("/api/bookings/", {
            "start_date": data["start"], "end_date": data["end"],
            "guests": [{"patient": data["hopefuls"][index], "room": data["room"], "tariff": data["tariff"]}],
        }).status

    statuses = in_parallel(book, len(data["hopefuls"]))
    assert statuses.count(201) == 1, statuses
    assert set(statuses) - {201} <= {400, 409}, statuses
    assert upstreams_used(cluster, "POST /api/bookings/") == {f"127.0.0.1:{port}" for port in cluster.servers}
    assert cluster.rows("SELECT COUNT(*) FROM stays_guestline WHERE room_id = %s AND holds_place",
                        data["room"]) == [(2,)]


def two_tellers_paying_the_last_amount_due_give_one_payment(cluster: Cluster) -> None:
    tellers = [cluster.browser(), cluster.browser()]
    for number, teller in enumerate(tellers, start=1):
        teller.sign_in_to_the_api(f"teller{number}", cluster.data["password"])
    bill = f"/api/bills/{cluster.data['bill']}/"
    due = Decimal(tellers[0].get(bill).json()["live_balance"])
    assert due > 0

    def pay(index: int) -> int:
        return tellers[index].post_json("/api/payments/", {"bill": cluster.data["bill"], "amount": str(due)}).status

    statuses = in_parallel(pay, 2)
    assert sorted(statuses) in ([201, 400], [201, 409]), statuses
    assert cluster.rows("SELECT COUNT(*) FROM billing_payment WHERE bill_id = %s", cluster.data["bill"]) == [(1,)]


def two_workers_accrue_bed_time_without_a_duplicate_line(cluster: Cluster) -> None:
    runs = 8
    script = ("import django; django.setup(); from django_q.tasks import async_task\n"
              f"for _ in range({runs}): async_task({ACCRUAL!r})")
    env = private_environment(cluster.folder / "host1", DATABASE_URL=cluster.database, HAYAT_REDIS_URL=REDIS_URL)
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True, timeout=120)
    deadline = time.monotonic() + 120
    while cluster.rows("SELECT COUNT(*) FROM django_q_task WHERE func = %s AND success", ACCRUAL)[0][0] < runs:
        assert time.monotonic() < deadline, "the workers did not run the accrual within two minutes"
        time.sleep(1)
    for worker in ("worker1.log", "worker2.log"):  # both workers took runs from the Redis queue
        assert f"'{ACCRUAL}'" in (cluster.folder / worker).read_text(), worker
    lines = cluster.rows("SELECT b.episode_id, COUNT(*) FROM billing_billitem i JOIN billing_bill b "
                         "ON b.id = i.bill_id WHERE i.kind = 'bed_time' GROUP BY b.episode_id")
    assert len(lines) == cluster.data["inpatients"] + 1  # the bulk admissions and the bill paid earlier
    assert {count for _episode, count in lines} == {1}


def a_session_and_an_upload_made_on_one_server_are_seen_on_the_other(cluster: Cluster) -> None:
    first, second = (Browser(port, tls=False) for port in cluster.servers)
    assert first.log_in("doc", cluster.data["password"]).status == 302
    second.cookies = dict(first.cookies)
    assert second.get("/").status == 200  # signed in there too: the session is in the database

    result = cluster.data["result"]
    content = b"%PDF-1.4\n% films\n" + b"0" * 300_000 + b"\n%%EOF\n"
    form = first.get(f"/lab/{result}/groups/new/")
    uploaded = first.post_files(f"/lab/{result}/groups/new/", {
        "description": "Films", "csrfmiddlewaretoken": csrf_token_in(form.text)}, [("files", "films.pdf", content)])
    assert uploaded.status == 302, uploaded.text[:2000]
    (attachment,), = cluster.rows("SELECT a.id FROM lab_attachment a JOIN lab_attachmentgroup g ON g.id = a.group_id "
                                  "WHERE g.result_id = %s", result)
    download = second.get(f"/lab/files/{attachment}/")
    assert download.status == 200 and download.body == content


def test_the_rules_hold_across_two_app_servers_and_two_workers_behind_nginx(tmp_path):
    """One test, so that xdist keeps the whole cluster (one database, one Redis database) on one worker."""
    with running_cluster(tmp_path) as cluster:
        twenty_parallel_bookings_for_the_last_place_give_one(cluster)
        two_tellers_paying_the_last_amount_due_give_one_payment(cluster)
        two_workers_accrue_bed_time_without_a_duplicate_line(cluster)
        a_session_and_an_upload_made_on_one_server_are_seen_on_the_other(cluster)
