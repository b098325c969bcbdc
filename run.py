"""Sets Hayat up and runs it, with nothing but Python 3.11+ installed.

    python run.py serve   create the virtualenv, migrate, load demo data, start the worker and serve :8000
    python run.py test    create the virtualenv and run the whole test suite

Both are idempotent: a second run reuses the virtualenv, the database and the demo data.
Only the standard library is used here, because nothing else exists yet when this runs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
DATA_DIR = Path(os.environ.get("HAYAT_DATA_DIR", ROOT / "var"))
LISTEN = os.environ.get("HAYAT_LISTEN", "127.0.0.1:8000")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_virtualenv(extras: str) -> None:
    """Creates .venv and installs the project; reinstalls only when pyproject.toml changed."""
    if not venv_python().exists():
        print(f"Creating the virtualenv in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if installed(extras) or (extras == "" and installed("test")):  # the test extras include the app
        return
    print("Installing Hayat and its dependencies ...", flush=True)
    target = f".[{extras}]" if extras else "."
    run([venv_python(), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target])
    install_stamp(extras).write_text(install_fingerprint(extras))


def install_stamp(extras: str) -> Path:
    return VENV / f"hayat-installed-{extras or 'app'}.sha256"


def install_fingerprint(extras: str) -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()


def installed(extras: str) -> bool:
    """Whether the virtualenv holds Hayat with these extras, installed from the current pyproject.toml."""
    stamp = install_stamp(extras)
    return stamp.exists() and stamp.read_text() == install_fingerprint(extras)


def ensure_secret_key() -> None:
    """Every installation gets its own secret key, kept outside the repository."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")


def run(command: list, env: dict | None = None, check: bool = True) -> int:
    completed = subprocess.run([str(part) for part in command], cwd=ROOT, env=env)  # noqa: S603
    if check and completed.returncode != 0:
        sys.exit(completed.returncode)
    return completed.returncode


def manage(*args: str, env: dict | None = None) -> None:
    run([venv_python(), ROOT / "manage.py", *args], env=env)


def serve() -> None:
    ensure_virtualenv("")
    ensure_secret_key()
    manage("check_database")
    manage("migrate", "--noinput", "-v", "0")
    manage("createcachetable")
    manage("compile_translations")
    manage("collectstatic", "--noinput", "-v", "0")
    manage("empty_upload_folder")
    manage("load_icd10", "--if-empty")
    if os.environ.get("HAYAT_DEMO", "1") != "0":
        manage("seed_demo")
    signal.signal(signal.SIGTERM, stop_as_on_ctrl_c)
    # django-q2 does not stop on Ctrl+Break, Windows' only signal to a process group; Granian does.
    children = [start_child([venv_python(), ROOT / "manage.py", "qcluster"], stops_on_ctrl_break=False),
                start_child(web_server_command(LISTEN, web_workers()), stops_on_ctrl_break=True)]
    print(f"Serving Hayat on http://{LISTEN} with {web_workers()} web worker process(es)  "
          "(Ctrl+C stops the server and the worker)", flush=True)
    asked_to_stop = False
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        asked_to_stop = True
    finally:
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signal_number, signal.SIG_IGN)  # a second Ctrl+C must not cut the stopping short
        stop_children(children)
    if not asked_to_stop:
        print("The web server or the worker stopped on its own; Hayat stopped the other.", flush=True)
        sys.exit(1)


def stop_as_on_ctrl_c(signum, frame) -> None:
    """SIGTERM (what systemd and other service managers send) stops Hayat as Ctrl+C does."""
    raise KeyboardInterrupt


def web_workers() -> int:
    """HAYAT_WEB_WORKERS, by default one process per core: each serves requests on its own core."""
    return max(1, int(os.environ.get("HAYAT_WEB_WORKERS") or os.cpu_count() or 1))


def web_server_command(listen: str, workers: int) -> list:
    """Granian serves the WSGI app from several processes on one port, on Linux and Windows (ADR 0006)."""
    host, port = listen.rsplit(":", 1)
    return [venv_python(), "-m", "granian", "--interface", "wsgi", "--host", host.strip("[]"), "--port", port,
            "--workers", str(workers), "--blocking-threads", os.environ.get("HAYAT_WEB_THREADS", "8"),
            "--workers-kill-timeout", "15", "--no-ws", "--log-level", "warning", "hayat.wsgi:application"]


def start_child(command: list, *, stops_on_ctrl_break: bool) -> subprocess.Popen:
    """Starts a process in a group of its own: Ctrl+C and SIGTERM come to run.py, which stops the whole group."""
    if os.name == "nt":
        child = subprocess.Popen([str(part) for part in command], cwd=ROOT,  # noqa: S603
                                 creationflags=subprocess.CREATE_NEW_PROCESS_GROUP)
    else:
        child = subprocess.Popen([str(part) for part in command], cwd=ROOT, start_new_session=True)  # noqa: S603
    child.stops_on_ctrl_break = stops_on_ctrl_break
    return child


def stop_children(children: list[subprocess.Popen], grace: float = 20) -> None:
    """Asks every child to stop, waits up to `grace` seconds, then kills what is left of each one's group."""
    for child in children:
        ask_to_stop(child)
    deadline = time.monotonic() + grace
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        kill_group(child)  # also the processes it started and left behind
        child.wait()


def ask_to_stop(child: subprocess.Popen) -> None:
    if os.name != "nt":
        signal_group(child, signal.SIGTERM)
    elif child.stops_on_ctrl_break:
        child.send_signal(signal.CTRL_BREAK_EVENT)
    else:  # Ctrl+Break would end only its first process and orphan the others: end the tree while it is whole
        kill_group(child)


def kill_group(child: subprocess.Popen) -> None:
    if os.name == "nt":
        subprocess.run(["taskkill", "/PID", str(child.pid), "/T", "/F"], capture_output=True)  # noqa: S607
    else:
        signal_group(child, signal.SIGKILL)


def signal_group(child: subprocess.Popen, signal_number: int) -> None:
    try:
        os.killpg(child.pid, signal_number)
    except (ProcessLookupError, PermissionError):
        pass


def find_chromium() -> str | None:
    configured = os.environ.get("HAYAT_CHROMIUM")
    if configured:
        return configured
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


# The real processes run once: on their own SQLite files in the SQLite pass, and the scale-out proof (two app
# servers and two workers behind nginx) on PostgreSQL + Redis in the PostgreSQL pass.
TEST_SELECTION = {
    "SQLite": "not e2e and not scaleout",
    "PostgreSQL": "not e2e and not processes",
    "MariaDB": "not e2e and not processes and not scaleout",
}


def test(pytest_args: list[str]) -> None:
    """Runs the suite on SQLite, then on PostgreSQL and MariaDB when their URLs are given, then in Chromium."""
    ensure_virtualenv("test")
    ensure_secret_key()
    manage("compile_translations")
    engines = [("SQLite", os.environ.get("HAYAT_TEST_SQLITE_URL", ""))]
    for label, variable in (("PostgreSQL", "HAYAT_TEST_POSTGRES_URL"), ("MariaDB", "HAYAT_TEST_MARIADB_URL")):
        if os.environ.get(variable):
            engines.append((label, os.environ[variable]))
    workers = os.environ.get("HAYAT_TEST_WORKERS", "2")
    failed = []
    for label, url in engines:
        print(f"\n=== Test suite on {label} ===", flush=True)
        env = dict(os.environ, DATABASE_URL=url) if url else {k: v for k, v in os.environ.items()
                                                           if k != "DATABASE_URL"}
        selection = TEST_SELECTION[label]
        code = run([venv_python(), "-m", "pytest", "-m", selection, "-n", workers, *pytest_args],
                   env=env, check=False)
        if code != 0:
            failed.append(label)
    failed += browser_tests(pytest_args)
    if failed:
        print(f"\nFAILED on: {', '.join(failed)}", flush=True)
        sys.exit(1)
    print(f"\nAll passed on: {', '.join(label for label, _ in engines)} and the browser.", flush=True)


def browser_tests(pytest_args: list[str]) -> list[str]:
    chromium = find_chromium()
    if not chromium:
        message = "No Chromium found (install Debian's `chromium` or set HAYAT_CHROMIUM)."
        if os.environ.get("HAYAT_REQUIRE_BROWSER"):
            print(f"\n{message} Browser tests are required here.", flush=True)
            return ["browser (no Chromium)"]
        print(f"\n{message} Browser tests were not run.", flush=True)
        return []
    print("\n=== Browser tests (Chromium) ===", flush=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(HAYAT_CHROMIUM=chromium, DJANGO_ALLOW_ASYNC_UNSAFE="true")
    code = run([venv_python(), "-m", "pytest", "-m", "e2e", "-p", "no:xdist", *pytest_args],
               env=env, check=False)
    return ["browser"] if code != 0 else []


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "test", "manage"}:
        print(__doc__)
        sys.exit(2)
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "serve":
        serve()
    elif command == "test":
        test(rest)
    else:
        ensure_virtualenv("")
        ensure_secret_key()
        manage(*rest)


if __name__ == "__main__":
    main()
