"""Load test: N virtual users drive a running Hayat over HTTP, each on its own keep-alive connection and login,
through every main page and list API; prints p50/p95/p99 and requests/s per endpoint.

    python bench/load.py --url http://127.0.0.1:8123 --users 1 --seconds 60
    python bench/load.py --url http://127.0.0.1:8123 --users 50 --think 5 --seconds 120 --save big-50.json
    python bench/load.py --url http://127.0.0.1:8123 --baseline demo-1.json      # growth demo → big per endpoint
    DATABASE_URL=... python bench/load.py --queries [--baseline demo-1.json]     # queries per endpoint, in-process

Every virtual user signs in once per role it needs (demo logins: `hayat-<user id>-demo`, or --password; at most
`--sign-ins` users at a time, since each sign-in hashes a password and fifty users signing in at once starve the
server) and then walks the endpoints in a shuffled order, over and over, pausing a random 0–2×`--think` seconds
between requests (and once before the first, so that the users do not all start together). `--save` writes the
figures (and the query counts with --queries) to a JSON file; `--baseline` names such a file from a smaller
database (the demo, or the big hospital's generator at a hundredth of its size) and prints, per endpoint, how much
slower (or how many more queries) the measured database is, marking the endpoints that grow by `GROWTH_GOAL` or
more. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent

# (name, role that opens it, path); {patient}, {booking}, ... are filled from the lists once, before the run.
ENDPOINTS = [
    ("dashboard (admin)", "admin", "/"),
    ("dashboard (doctor)", "doctor", "/"),
    ("dashboard (nurse)", "nurse", "/"),
    ("dashboard (reception)", "reception", "/"),
    ("dashboard (teller)", "teller", "/"),
    ("patient list", "reception", "/patients/"),
    ("patient search", "reception", "/patients/?q={surname}"),
    ("patient page", "doctor", "/patients/{patient}/"),
    ("booking list", "reception", "/stays/bookings/"),
    ("booking page", "reception", "/stays/bookings/{booking}/"),
    ("calendar, 31 days", "reception", "/stays/calendar/?days=31"),
    ("reservations", "reception", "/stays/reservations/"),
    ("availability", "reception", "/facilities/availability/"),
    ("room list", "admin", "/facilities/rooms/"),
    ("episode list", "doctor", "/clinical/"),
    ("episode page", "doctor", "/clinical/{episode}/"),
    ("lab result list", "doctor", "/lab/"),
    ("lab result page", "doctor", "/lab/{lab_result}/"),
    ("bill list", "teller", "/billing/"),
    ("bill page", "teller", "/billing/bills/{bill}/"),
    ("api patients", "reception", "/api/patients/"),
    ("api patient search", "reception", "/api/patients/?search={surname}"),
    ("api bookings", "reception", "/api/bookings/"),
    ("api episodes", "doctor", "/api/episodes/"),
    ("api lab results", "doctor", "/api/lab-results/"),
    ("api bills", "teller", "/api/bills/"),
    ("api payments", "teller", "/api/payments/"),
    ("api rooms", "admin", "/api/rooms/"),
]
# The records the detail pages open: the newest of each list API; the episode an admitted one, whose page carries the
# transfer's bed picker (the heaviest phase, and the same phase on every database compared).
SAMPLES = {"patient": "/api/patients/", "booking": "/api/bookings/", "episode": "/api/episodes/?status=admitted",
           "lab_result": "/api/lab-results/", "bill": "/api/bills/"}
SAMPLE_ROLE = "admin"
GROWTH_GOAL = 2.0  # from the smaller database to the big hospital, per endpoint


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=60, help="how long to drive the server")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between a user's requests (s)")
    parser.add_argument("--password", help="the same password for every role (default: the demo passwords)")
    parser.add_argument("--sign-ins", type=int, default=4, help="users signing in at the same time")
    parser.add_argument("--only", help="a regular expression: only the endpoints whose name matches")
    parser.add_argument("--queries", action="store_true",
                        help="count the queries of each endpoint in this process, on DATABASE_URL (no server)")
    parser.add_argument("--save", help="write the figures to this JSON file")
    parser.add_argument("--baseline", help="a JSON file saved on a smaller database: print the growth per endpoint")
    arguments = parser.parse_args()
    endpoints = [endpoint for endpoint in ENDPOINTS if not arguments.only or re.search(arguments.only, endpoint[0])]
    baseline = json.loads(Path(arguments.baseline).read_text()) if arguments.baseline else {}
    figures = count_queries(endpoints) if arguments.queries else drive(arguments, endpoints)
    report(figures, baseline, arguments)
    if arguments.save:
        Path(arguments.save).write_text(json.dumps(figures, indent=1))


# --- over HTTP ---------------------------------------------------------------------------------------------------


class Browser:
    """One virtual user: one keep-alive connection, a signed-in session per role."""

    def __init__(self, url: str, password: str | None) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        self.password = password
        self.cookies: dict[str, dict[str, str]] = defaultdict(dict)

    def get(self, path: str, role: str) -> tuple[int, bytes]:
        return self.request("GET", path, role)

    def request(self, method: str, path: str, role: str, body: str | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        jar = self.cookies[role]
        headers = {"Cookie": "; ".join(f"{key}={value}" for key, value in jar.items()), **(headers or {})}
        for attempt in range(2):  # the server may close a kept-alive connection: open a new one once
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            key, value = header.split(";", 1)[0].split("=", 1)
            jar[key] = value
        return response.status, content

    def sign_in(self, role: str) -> None:
        status, page = self.get("/login/", role)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        password = self.password or f"hayat-{role}-demo"
        body = urlencode({"csrfmiddlewaretoken": token, "username": role, "password": password})
        status, _page = self.request("POST", "/login/", role, body, {
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{self.host}:{self.port}/login/"})
        if status != 302:
            raise SystemExit(f"Signing in as {role!r} failed (HTTP {status}); give --password.")


def drive(arguments, endpoints: list[tuple[str, str, str]]) -> dict:
    warm = Browser(arguments.url, arguments.password)
    values = sample_values(warm)
    paths = [(name, role, path.format(**values)) for name, role, path in endpoints]
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop_at: list[float] = []
    ready = threading.Barrier(arguments.users, action=lambda: stop_at.append(time.perf_counter() + arguments.seconds))
    signing_in = threading.Semaphore(max(1, arguments.sign_ins))

    def user(number: int) -> None:
        rng = random.Random(number)
        browser = Browser(arguments.url, arguments.password)
        try:
            with signing_in:
                for role in {role for _name, role, _path in paths}:
                    browser.sign_in(role)
        except (OSError, http.client.HTTPException) as error:
            print(f"virtual user {number} could not sign in ({error}); the run stops", file=sys.stderr)
            ready.abort()
            return
        try:
            ready.wait()
        except threading.BrokenBarrierError:
            return
        if arguments.think:
            time.sleep(rng.uniform(0, 2 * arguments.think))
        while True:
            order = paths[:]
            rng.shuffle(order)
            for name, role, path in order:
                if time.perf_counter() >= stop_at[0]:
                    return
                started = time.perf_counter()
                status, _content = browser.get(path, role)
                elapsed = time.perf_counter() - started
                with lock:
                    timings[name].append(elapsed)
                    if status != 200:
                        errors[name] += 1
                if arguments.think:
                    time.sleep(rng.uniform(0, 2 * arguments.think))

    threads = [threading.Thread(target=user, args=(number,), daemon=True) for number in range(arguments.users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not stop_at:
        raise SystemExit("Not every virtual user could sign in: give the server fewer users or more time.")
    wall = time.perf_counter() - (stop_at[0] - arguments.seconds)
    return {"users": arguments.users, "think": arguments.think, "seconds": wall, "endpoints": {
        name: {"count": len(times), "errors": errors[name], "p50": percentile(times, 50),
               "p95": percentile(times, 95), "p99": percentile(times, 99), "rate": len(times) / wall}
        for name, times in timings.items()}}


def sample_values(browser: Browser) -> dict[str, str]:
    """The newest record of each list, for the detail pages, and a surname prefix to search for."""
    browser.sign_in(SAMPLE_ROLE)
    values = {}
    for key, path in SAMPLES.items():
        status, content = browser.get(path, SAMPLE_ROLE)
        rows = json.loads(content)
        rows = rows.get("results", rows) if isinstance(rows, dict) else rows
        values[key] = str(rows[0]["id"])
    status, content = browser.get(f"{SAMPLES['patient']}{values['patient']}/", SAMPLE_ROLE)
    values["surname"] = quote(json.loads(content)["last_name"][:4])
    return values


def percentile(values: list[float], share: int) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share / 100 * (len(ordered) - 1)))] * 1000


# --- in-process: queries per endpoint ----------------------------------------------------------------------------


def count_queries(endpoints: list[tuple[str, str, str]]) -> dict:
    """Each endpoint opened once (after a warm-up) with Django's test client on DATABASE_URL; its queries counted."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hayat.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from hayat.accounts.models import User

    setup_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clients = {}
    for role in {role for _name, role, _path in endpoints} | {SAMPLE_ROLE}:
        clients[role] = Client()
        clients[role].force_login(User.objects.get(user_id=role))
    values = {}
    for key, path in SAMPLES.items():
        rows = clients[SAMPLE_ROLE].get(path).json()
        values[key] = str(rows.get("results", rows)[0]["id"] if isinstance(rows, dict) else rows[0]["id"])
    values["surname"] = quote(clients[SAMPLE_ROLE].get(f"/api/patients/{values['patient']}/").json()["last_name"][:4])
    counts = {}
    for name, role, path in endpoints:
        url = path.format(**values)
        clients[role].get(url)
        with CaptureQueriesContext(connection) as queries:
            status = clients[role].get(url).status_code
        counts[name] = {"queries": len(queries), "status": status}
    return {"endpoints": counts}


# --- report ------------------------------------------------------------------------------------------------------


def report(figures: dict, baseline: dict, arguments) -> None:
    rows = figures["endpoints"]
    before = baseline.get("endpoints", {})
    if arguments.queries:
        print(f"{'endpoint':<26}{'queries':>9}{'status':>8}" + (f"{'base':>7}{'growth':>8}" if before else ""))
        for name, row in rows.items():
            line = f"{name:<26}{row['queries']:>9}{row['status']:>8}"
            if name in before:
                line += growth(row["queries"], max(1, before[name]["queries"]), width=7, decimals=0)
            print(line)
        return
    total = sum(row["count"] for row in rows.values())
    print(f"{figures['users']} users, think {figures['think']} s, {figures['seconds']:.0f} s: {total} requests, "
          f"{total / figures['seconds']:.1f} req/s")
    header = f"{'endpoint':<26}{'n':>6}{'err':>5}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>7}"
    print(header + (f"{'base p50':>10}{'growth':>8}" if before else ""))
    for name, _role, _path in ENDPOINTS:
        if name not in rows:
            continue
        row = rows[name]
        line = (f"{name:<26}{row['count']:>6}{row['errors']:>5}{row['p50']:>9.0f}{row['p95']:>9.0f}{row['p99']:>9.0f}"
                f"{row['rate']:>7.2f}")
        if name in before and before[name].get("p50"):
            line += growth(row["p50"], before[name]["p50"], width=10, decimals=0)
        print(line)
    everything = [row["p95"] for row in rows.values()]
    print(f"{'worst p95':<26}{'':>11}{'':>9}{max(everything):>9.0f}   median of p50s "
          f"{statistics.median(row['p50'] for row in rows.values()):.0f} ms")


def growth(value: float, base: float, *, width: int, decimals: int) -> str:
    """The baseline's figure and the growth to this one, marked when it reaches the goal of GROWTH_GOAL."""
    ratio = value / base
    mark = f"  ≥ {GROWTH_GOAL:g}×" if ratio >= GROWTH_GOAL else ""
    return f"{base:>{width}.{decimals}f}{ratio:>7.1f}×{mark}"


if __name__ == "__main__":
    main()
