"""`python run.py serve` as a hospital's server runs it: a plain message when the database is down, several web
worker processes beside the background worker, and SIGTERM stops all of them."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.processes import ROOT, free_port, private_environment

pytestmark = pytest.mark.processes


def test_serve_with_an_unreachable_database_prints_one_line_naming_it_and_fails(tmp_path):
    port = free_port()
    env = private_environment(tmp_path, DATABASE_URL=f"postgres://hayat@127.0.0.1:{port}/hayat")
    result = subprocess.run([sys.executable, "run.py", "serve"], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0], lines
    assert "Traceback" not in result.stdout


def hayat_processes(data_dir: Path) -> set[int]:
    """Every process on this machine started for the Hayat that keeps its data in `data_dir` (Linux's /proc)."""
    marker = f"HAYAT_DATA_DIR={data_dir}".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


def wait_until_served(url: str, server: subprocess.Popen, seconds: float = 400) -> None:
    deadline = time.monotonic() + seconds  # migrating a new database and loading ICD-10 take a while
    while True:
        assert server.poll() is None, "run.py serve ended before serving"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"{url} did not answer within {seconds} s"
        time.sleep(1)


def test_sigterm_stops_the_web_workers_and_the_background_worker_leaving_no_process(tmp_path):
    port = free_port()
    env = private_environment(tmp_path, HAYAT_DEMO="0", HAYAT_LISTEN=f"127.0.0.1:{port}", HAYAT_WEB_WORKERS="2",
                              HAYAT_WORKER_PROCESSES="1")
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([sys.executable, "run.py", "serve"], env=env, cwd=ROOT, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_served(f"http://127.0.0.1:{port}/login/", server)
        time.sleep(3)  # the worker's cluster starts its processes
        running = hayat_processes(tmp_path)
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") for pid in running]
        assert sum(b"granian" in command for command in commands) == 3  # the server and its two workers
        assert any(b"qcluster" in command for command in commands)

        os.killpg(server.pid, signal.SIGTERM)  # what systemd sends to the service's process group
        server.wait(timeout=30)
        assert hayat_processes(tmp_path) == set()
    finally:
        for pid in hayat_processes(tmp_path):
            os.kill(pid, signal.SIGKILL)
        log.close()


def test_the_served_application_keeps_its_loaded_code_out_of_the_garbage_collectors_walks(tmp_path):
    """Every full collection would otherwise walk the few hundred thousand objects of the loaded code and views."""
    script = "import gc, hayat.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    result = subprocess.run([sys.executable, "-c", script], env=private_environment(tmp_path), cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=True)
    frozen, still_walked = map(int, result.stdout.split())
    assert frozen > 100_000 and still_walked < frozen / 10, (frozen, still_walked)
