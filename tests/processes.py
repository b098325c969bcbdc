"""Starting Hayat's real processes (migrate, the web server, the worker) for tests, on a private SQLite file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFLINE_GUARD = ROOT / "tests" / "offline.py"
# What `python run.py serve` runs through manage.py before it starts the worker and the web server.
START_STEPS = [("migrate", "--noinput", "-v", "0"), ("createcachetable",), ("compile_translations",), ("seed_demo",)]


def private_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "HAYAT_REDIS_URL"}}
    # PYTHONPATH: the children import this checkout's hayat, whatever the virtualenv has installed
    env.update(HAYAT_DATA_DIR=str(data_dir), HAYAT_SECRET_KEY="process-test-key-process-test-key-0123456789",
               DJANGO_SETTINGS_MODULE="hayat.settings", PYTHONPATH=str(ROOT), **extra)
    return env


def offline(*args: str) -> list[str]:
    """The command line for running `args` (a script, or -m module) with no network beyond this machine."""
    return [sys.executable, str(OFFLINE_GUARD), *args]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(offline("manage.py", *args), check=True, env=env, cwd=ROOT, timeout=300)


def start(env: dict[str, str], *args: str, log: Path | None = None) -> subprocess.Popen:
    """Starts a process in the background; its output goes to `log` when given, else nowhere."""
    output = log.open("ab") if log is not None else subprocess.DEVNULL
    try:
        return subprocess.Popen(offline(*args), env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    finally:
        if log is not None:
            output.close()


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_web_server(env: dict[str, str], port: int, workers: int = 2) -> subprocess.Popen:
    """Starts the web server as `run.py serve` does (Granian) on 127.0.0.1:`port` and waits until it listens."""
    import run

    server = subprocess.Popen([str(part) for part in run.web_server_command(f"127.0.0.1:{port}", workers)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "the web server did not start"
            time.sleep(0.3)
